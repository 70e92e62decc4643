"""The mails to subscribers (the confirmation mail and a release) and to journalists of the
distribution lists (a release at publication, or its personal embargo link ahead of it).

Every mail names its recipient's one-click unsubscribe address twice: in the headers
(`List-Unsubscribe` with `List-Unsubscribe-Post: List-Unsubscribe=One-Click`, RFC 8058, so a
mail program offers the button and unsubscribes with a POST) and visibly in the body, with the
link to the subscriber's data (export or deletion). A journalist is on a list by the office's
choice, not by a sign-up: their mails say so and how to be taken off it, instead.
"""

import json

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ..addresses import mail_root_url
from .conf import subscriptions_setting
from .tokens import CONFIRM, DATA, UNSUBSCRIBE, token_make


def _absolute(name: str, token: str, *, root: str | None = None) -> str:
    return (root or mail_root_url()) + reverse(name, kwargs={"token": token})


def subscriber_links(subscriber) -> dict[str, str]:
    root = mail_root_url()
    return {
        "unsubscribe_url": _absolute(
            "press_subscription_unsubscribe",
            token_make(kind=UNSUBSCRIBE, subscriber=subscriber),
            root=root,
        ),
        "data_url": _absolute(
            "press_subscription_data", token_make(kind=DATA, subscriber=subscriber), root=root
        ),
    }


def confirmation_url(subscriber, *, consent, at: float | None = None) -> str:
    return _absolute(
        "press_subscription_confirm",
        token_make(kind=CONFIRM, subscriber=subscriber, consent=consent, at=at),
    )


def _message(*, subscriber, subject: str, text: str, html: str, links: dict, headers=None):
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscriber.email],
        headers={
            "List-Unsubscribe": f"<{links['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            **(headers or {}),
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def confirmation_message(*, subscriber, consent) -> EmailMultiAlternatives:
    """The mail asking to confirm `consent` (a ConsentRecord): it names what was agreed to,
    as recorded, and its link confirms that and nothing else."""
    links = subscriber_links(subscriber)
    with translation.override(subscriber.language or settings.LANGUAGE_CODE):
        context = {
            "confirm_url": confirmation_url(subscriber, consent=consent),
            "hours": subscriptions_setting("SUBSCRIPTION_CONFIRM_MAX_AGE") // 3600,
            "consent_text": consent.consent_text,
            "scope": consent.scope(),
            **links,
        }
        return _message(
            subscriber=subscriber,
            subject=_("Please confirm your subscription to the press releases"),
            text=render_to_string("press/mail/confirm.txt", context),
            html=render_to_string("press/mail/confirm.html", context),
            links=links,
        )


def release_message(
    *, release, document, subscriber, delivery_id: int, data: dict | None = None
) -> EmailMultiAlternatives:
    """A release as a subscriber gets it: the stored text version as text/plain, the release
    with its photos linked as HTML, the title as subject. `data` is the document's JSON when
    the caller parsed it already (once per mailing run, not per mail). The Message-ID names
    the delivery, so a mail sent again after a worker died just after the server took it is
    recognisably the same message."""
    links = subscriber_links(subscriber)
    if data is None:
        data = json.loads(document.api_json)
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(">") or "localhost"
    with translation.override(subscriber.language or settings.LANGUAGE_CODE):
        context = {"release": data, "text": document.text, **links}
        return _message(
            subscriber=subscriber,
            subject=release.title,
            text=render_to_string("press/mail/release.txt", context),
            html=render_to_string("press/mail/release.html", context),
            links=links,
            headers={"Message-ID": f"<press-delivery-{delivery_id}@{domain}>"},
        )
