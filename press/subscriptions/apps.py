from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from .conf import SUBSCRIPTIONS_DEFAULTS


class PressSubscriptionsConfig(AppConfig):
    """E-mail subscriptions (double opt-in) to the press releases, an optional part: add
    "press.subscriptions" and "press.mailings" to INSTALLED_APPS beside "press". Its sign-up
    form, links and API operation come with press.urls; its choice per release ("send to
    subscribers") with the release editor."""

    name = "press.subscriptions"
    label = "press_subscriptions"
    verbose_name = _("Press release subscriptions")
    default_auto_field = "django.db.models.BigAutoField"
    press_urls = "press.subscriptions.urls"
    press_api_register = "press.subscriptions.api.subscriptions_api_register"
    press_newsroom_templates = ("press/subscriptions/form.html",)

    press_settings = SUBSCRIPTIONS_DEFAULTS

    @property
    def press_release_panels(self):
        from wagtail.admin.panels import FieldPanel, InlinePanel

        return [
            # No row: the release is mailed (the office's usual case). A form left as it
            # starts is an empty one that Django's formsets do not save, so the editor says
            # "no" by adding the row and unticking it.
            InlinePanel(
                "subscriber_mailing",
                heading=_("E-mail to the subscribers"),
                label=_("Mailing to the subscribers"),
                help_text=_(
                    "At its first publication the release is e-mailed to the confirmed "
                    "subscribers. Not this one: add the mailing below and untick it."
                ),
                max_num=1,
                panels=[FieldPanel("send")],
            )
        ]

    def ready(self):
        from ..mailings.kinds import mailing_kind_register
        from .kinds import SUBSCRIBERS_KIND
        from .receivers import subscriptions_receivers_connect

        mailing_kind_register(SUBSCRIBERS_KIND)
        subscriptions_receivers_connect()
