"""The subscriptions' settings: keys of the host's PRESS dict, known where press.subscriptions
is installed."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from ..conf import press_setting

SUBSCRIPTIONS_DEFAULTS: dict[str, Any] = {
    # Public path of the sign-up form and the subscribers' links, below where the host includes
    # press.urls.
    "SUBSCRIPTION_PATH": "subscriptions/",
    # The text a subscriber agrees to, stored with each consent; seconds a confirmation link
    # is valid; days before an unconfirmed sign-up is deleted
    # (`manage.py press_subscriptions_cleanup`); seconds within which a repeated sign-up sends
    # no second confirmation mail.
    "SUBSCRIPTION_CONSENT_TEXT": _(
        "I would like to receive the press releases by e-mail. I can unsubscribe at any time "
        "with the link in every mail."
    ),
    "SUBSCRIPTION_CONFIRM_MAX_AGE": 2 * 24 * 60 * 60,
    "SUBSCRIPTION_PENDING_DAYS": 7,
    "SUBSCRIPTION_RESEND_COOLDOWN": 60 * 60,
    # Sign-ups per address and per client address within the window (seconds); beyond: 429.
    "SUBSCRIPTION_MAX_PER_ADDRESS": 5,
    "SUBSCRIPTION_MAX_PER_CLIENT": 20,
    "SUBSCRIPTION_RATE_WINDOW": 60 * 60,
}


def subscriptions_setting(name: str) -> Any:
    return press_setting(name, defaults=SUBSCRIPTIONS_DEFAULTS)
