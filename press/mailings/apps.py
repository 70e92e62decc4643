from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from .conf import MAILINGS_DEFAULTS


class PressMailingsConfig(AppConfig):
    """The mail engine of press.subscriptions and press.distribution (add it with either)."""

    name = "press.mailings"
    label = "press_mailings"
    verbose_name = _("Press release mailings")
    default_auto_field = "django.db.models.BigAutoField"

    press_settings = MAILINGS_DEFAULTS
