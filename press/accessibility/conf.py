"""The accessibility part's settings: keys of the host's PRESS dict, known where
press.accessibility is installed."""

from typing import Any

from ..conf import press_setting

ACCESSIBILITY_DEFAULTS: dict[str, Any] = {
    # Public path of the form "Barriere melden", below where the host includes press.urls.
    "BARRIER_REPORT_PATH": "barrier-report/",
    # Who is told of each new report by mail; empty: the addresses of Django's MANAGERS.
    "BARRIER_REPORT_RECIPIENTS": [],
    # Reports per client address, and in all, within the window (seconds); beyond: 429. The
    # second keeps a flood from many addresses out of the office's mailbox.
    "BARRIER_REPORT_MAX_PER_CLIENT": 5,
    "BARRIER_REPORT_MAX_TOTAL": 100,
    "BARRIER_REPORT_RATE_WINDOW": 60 * 60,
}


def accessibility_setting(name: str) -> Any:
    return press_setting(name, defaults=ACCESSIBILITY_DEFAULTS)
