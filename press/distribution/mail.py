"""The mails to journalists: a published release from a distribution list, and the embargo
notice with the journalist's personal link."""

import json

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from ..addresses import mail_root_url
from ..models.embargo import embargo_go_live_at, embargo_release_version, embargo_time_format


def _message_id(delivery_id: int) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(">") or "localhost"
    return f"<press-delivery-{delivery_id}@{domain}>"


def _journalist_message(*, journalist, subject: str, text: str, html: str, delivery_id: int):
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[journalist.email],
        headers={"Message-ID": _message_id(delivery_id)},
    )
    message.attach_alternative(html, "text/html")
    return message


def journalist_release_message(
    *, release, document, journalist, delivery_id: int
) -> EmailMultiAlternatives:
    """A published release as a journalist of a distribution list gets it: the subscribers'
    mail (text version as text/plain, HTML with the photos linked) with the list's footer."""
    data = json.loads(document.api_json)
    with translation.override(settings.LANGUAGE_CODE):
        context = {"release": data, "text": document.text, "journalist": journalist}
        return _journalist_message(
            journalist=journalist,
            subject=release.title,
            text=render_to_string("press/mail/release.txt", context),
            html=render_to_string("press/mail/release.html", context),
            delivery_id=delivery_id,
        )


def embargo_subject(*, release) -> str:
    """`Sperrfrist: 07. Februar 2023, 10:00 Uhr – Title`: the moment in the site's time zone."""
    version = embargo_release_version(release=release)
    return _("Embargo: %(moment)s – %(title)s") % {
        "moment": embargo_moment(release=release),
        "title": version.title,
    }


def embargo_moment(*, release) -> str:
    # The schedule may have been cancelled since the mail was queued: the embargo holds still.
    go_live_at = embargo_go_live_at(release=release)
    if go_live_at is None:
        return _("not scheduled yet")
    return embargo_time_format(moment=go_live_at)


def embargo_message(*, release, journalist, link, delivery_id: int) -> EmailMultiAlternatives:
    """The personal embargo link of a journalist: the release itself stays behind the link, so
    revoking the link withdraws it (the mail carries only title, lead and the embargo)."""
    version = embargo_release_version(release=release)
    url = mail_root_url() + link.get_absolute_url()
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "title": version.title,
            "lead": version.lead,
            "moment": embargo_moment(release=release),
            "embargo_url": url,
            "embargo_text_url": url + "text/",
            "expires_at": embargo_time_format(moment=link.expires_at),
            "journalist": journalist,
        }
        return _journalist_message(
            journalist=journalist,
            subject=embargo_subject(release=release),
            text=render_to_string("press/mail/embargo.txt", context),
            html=render_to_string("press/mail/embargo.html", context),
            delivery_id=delivery_id,
        )
