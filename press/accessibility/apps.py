from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from .conf import ACCESSIBILITY_DEFAULTS


class PressAccessibilityConfig(AppConfig):
    """The form "Barriere melden" (its reports in the admin with their reply deadline, the
    office told by mail) and the accessibility statement as a page; both linked from the
    footer of every page of every site (`press_footer_links`)."""

    name = "press.accessibility"
    label = "press_accessibility"
    verbose_name = _("Accessibility")
    default_auto_field = "django.db.models.BigAutoField"
    press_urls = "press.accessibility.urls"
    press_footer_links = "press.accessibility.links.footer_links"
    press_settings = ACCESSIBILITY_DEFAULTS
