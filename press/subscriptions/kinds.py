"""The subscribers' mailing: who gets a release, and the mail each gets (press.mailings)."""

import json

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from ..mailings.kinds import MailingKind
from ..models import PressReleasePage, release_document_for
from ..models.versions import language_default
from .mail import release_message
from .models import Subscriber

SUBSCRIBERS = "subscribers"


def subscribers_for_release(*, release):
    """The confirmed subscribers a release goes to: those of all releases (no topics) and
    those of any of its topics (its live row's), each once."""
    chosen = Subscriber.topics.through.objects.filter(subscriber_id=OuterRef("pk"))
    release_topics = PressReleasePage.topics.through.objects.filter(
        pressreleasepage_id=release.pk
    ).values("topic_id")
    return Subscriber.objects.filter(state=Subscriber.CONFIRMED).filter(
        ~Exists(chosen) | Exists(chosen.filter(topic_id__in=release_topics))
    )


def release_subscribers_choice(*, release) -> bool:
    """Whether the editor wants the release mailed to the subscribers (yes unless they said
    no: a release made outside the editor has no choice stored)."""
    choice = release.subscriber_mailing.first()
    return choice is None or choice.send


def release_version_in(*, release, language: str):
    """The release's visible version in the subscriber's language, if it has one (None for
    the original's language: the original itself goes out)."""
    if not language or language == language_default():
        return None
    return (
        PressReleasePage.objects.visible()
        .filter(translation_key=release.translation_key, locale__language_code=language)
        .first()
    )


def subscriber_message(*, delivery, release, document, data):
    subscriber = delivery.recipient
    if subscriber.state != Subscriber.CONFIRMED:  # unsubscribed since
        return None
    version = release_version_in(release=release, language=subscriber.language)
    if version is not None:
        release, document = version, release_document_for(version)
        data = json.loads(document.api_json)
    return release_message(
        release=release,
        document=document,
        data=data,
        subscriber=subscriber,
        delivery_id=delivery.pk,
    )


SUBSCRIBERS_KIND = MailingKind(
    name=SUBSCRIBERS,
    label=_("subscribers"),
    message=subscriber_message,
    recipients=subscribers_for_release,
)
