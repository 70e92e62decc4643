from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from .conf import IMPORTER_DEFAULTS


class PressImporterConfig(AppConfig):
    """The legacy-archive importer (`manage.py import_press_release`), an optional part: add
    "press.importer" to INSTALLED_APPS beside "press" where the office has such an archive."""

    name = "press.importer"
    label = "press_importer"
    verbose_name = _("Press release archive import")

    press_settings = IMPORTER_DEFAULTS

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
