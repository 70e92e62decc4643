from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from .conf import DISTRIBUTION_DEFAULTS


class PressDistributionConfig(AppConfig):
    """Journalists and the office's distribution lists (Presseverteiler), with embargo
    notices, an optional part: add "press.distribution" and "press.mailings" to
    INSTALLED_APPS beside "press". The lists chosen per release come with the release
    editor."""

    name = "press.distribution"
    label = "press_distribution"
    verbose_name = _("Press distribution lists")
    default_auto_field = "django.db.models.BigAutoField"

    press_settings = DISTRIBUTION_DEFAULTS

    @property
    def press_release_panels(self):
        from wagtail.admin.panels import FieldPanel, InlinePanel

        return [
            InlinePanel(
                "distribution_choices",
                heading=_("Send to distribution lists"),
                label=_("Distribution list"),
                help_text=_(
                    "E-mail the release to the journalists of these lists when it is published; "
                    "each journalist gets it once. A list added later is sent to at the next "
                    "publication."
                ),
                panels=[FieldPanel("distribution_list")],
            )
        ]

    def ready(self):
        from ..mailings.kinds import mailing_kind_register
        from .kinds import EMBARGO_KIND, LISTS_KIND
        from .receivers import distribution_receivers_connect

        mailing_kind_register(LISTS_KIND)
        mailing_kind_register(EMBARGO_KIND)
        distribution_receivers_connect()
