"""The journalists' mailings (press.mailings): the release to the lists chosen for it, and the
embargo notice ahead of its go-live with each journalist's personal link."""

from django.utils.translation import gettext_lazy as _

from ..mailings.kinds import MailingKind
from .mail import embargo_message, journalist_release_message

LISTS = "lists"
EMBARGO = "embargo"


def journalist_message(*, delivery, release, document, data):
    journalist = delivery.recipient
    if not journalist.active:
        return None
    return journalist_release_message(
        release=release, document=document, journalist=journalist, delivery_id=delivery.pk
    )


def embargo_notice_message(*, delivery, release, document, data):
    journalist = delivery.recipient
    link = delivery.embargo_link
    if not journalist.active or link is None or not link.is_active():
        return None
    return embargo_message(
        release=release, journalist=journalist, link=link, delivery_id=delivery.pk
    )


LISTS_KIND = MailingKind(name=LISTS, label=_("distribution lists"), message=journalist_message)
EMBARGO_KIND = MailingKind(
    name=EMBARGO,
    label=_("distribution lists, under embargo"),
    message=embargo_notice_message,
    before_public=True,
)
