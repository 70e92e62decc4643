"""The mail engine's settings: keys of the host's PRESS dict, known where press.mailings is
installed."""

from typing import Any

from ..conf import press_setting

MAILINGS_DEFAULTS: dict[str, Any] = {
    # The TASKS alias that sends (a worker queue in production), mails per batch (one SMTP
    # connection each), attempts per recipient for temporary failures (4xx, connection
    # lost), and the seconds after which a claim of a worker that died is taken over.
    "MAIL_TASK_BACKEND": "default",
    "MAIL_BATCH_SIZE": 100,
    "MAIL_ATTEMPTS": 5,
    "MAIL_CLAIM_SECONDS": 10 * 60,
}


def mailings_setting(name: str) -> Any:
    return press_setting(name, defaults=MAILINGS_DEFAULTS)
