"""The importer's settings: keys of the host's PRESS dict, known where press.importer is installed."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from ..conf import press_setting

IMPORTER_DEFAULTS: dict[str, Any] = {
    # Archive import: the time zone in which an archive's release dates are days (None: the
    # site's TIME_ZONE), the hour a release counts as published, and the newsroom it creates
    # when the site has none.
    "IMPORT_TIME_ZONE": None,
    "IMPORT_PUBLICATION_HOUR": 10,
    "IMPORT_NEWSROOM_TITLE": _("Press releases"),
    "IMPORT_NEWSROOM_SLUG": "press",
    # Archive import limits: bytes of one input file and characters of one release (an
    # archive release is a few thousand characters; more is a wrong file or an attack).
    "IMPORT_MAX_FILE_BYTES": 1024 * 1024,
    "IMPORT_MAX_RELEASE_CHARS": 200_000,
    # Photo downloads of the import: seconds for the whole transfer (connect, redirects and
    # body together, not per read) and bytes of one photo.
    "IMPORT_DOWNLOAD_TIMEOUT": 30,
    "IMPORT_DOWNLOAD_MAX_BYTES": 20 * 1024 * 1024,
    # Networks (CIDR) a photo may be fetched from although they are internal (an office's own
    # photo server; a test's server on 127.0.0.x). Empty: only public addresses.
    "IMPORT_ALLOWED_NETWORKS": (),
}


def importer_setting(name: str) -> Any:
    return press_setting(name, defaults=IMPORTER_DEFAULTS)
