from django import template

from ..conf import subscriptions_setting

register = template.Library()


@register.simple_tag
def subscription_consent_text() -> str:
    """The text a subscriber agrees to, the same one the consent log stores."""
    return str(subscriptions_setting("SUBSCRIPTION_CONSENT_TEXT"))
