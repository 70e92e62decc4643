"""System checks of the importer's settings (ids in press.checks' table)."""

import zoneinfo

from django.core.checks import Error, register

from .conf import IMPORTER_DEFAULTS, importer_setting


def _zone_exists(name) -> bool:
    if not isinstance(name, str) or not name:
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


@register()
def check_importer_values(app_configs=None, **kwargs):
    errors = []
    try:
        zone = importer_setting("IMPORT_TIME_ZONE")
        hour = importer_setting("IMPORT_PUBLICATION_HOUR")
    except AttributeError:  # PRESS is not a dict: press.E002 says so
        return []
    if zone is not None and not _zone_exists(zone):
        errors.append(
            Error(
                f"PRESS['IMPORT_TIME_ZONE'] is {zone!r}, which is not a time zone name.",
                hint="Use an IANA name such as 'Europe/Berlin', or None for TIME_ZONE.",
                id="press.E012",
            )
        )
    if isinstance(hour, bool) or not isinstance(hour, int) or not 0 <= hour <= 23:
        errors.append(
            Error(
                f"PRESS['IMPORT_PUBLICATION_HOUR'] is {hour!r}; it must be an hour from 0 to 23.",
                hint=f"Leave it out for the default ({IMPORTER_DEFAULTS['IMPORT_PUBLICATION_HOUR']}).",
                id="press.E015",
            )
        )
    return errors
