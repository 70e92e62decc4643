"""The distribution lists' settings: keys of the host's PRESS dict, known where
press.distribution is installed."""

from typing import Any

from ..conf import press_setting

DISTRIBUTION_DEFAULTS: dict[str, Any] = {
    # The journalist import: the largest file in bytes, the most rows, and the most bytes an
    # XLSX (a zip) may unpack to, read from its zip directory before anything is unpacked.
    "JOURNALIST_IMPORT_MAX_BYTES": 2 * 1024 * 1024,
    "JOURNALIST_IMPORT_MAX_ROWS": 5000,
    "JOURNALIST_IMPORT_MAX_UNPACKED_BYTES": 20 * 1024 * 1024,
}


def distribution_setting(name: str) -> Any:
    return press_setting(name, defaults=DISTRIBUTION_DEFAULTS)
