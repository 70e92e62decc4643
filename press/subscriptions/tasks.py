"""A release's mailing to the subscribers, started at its first publication and sent by the
mail engine (press.mailings)."""

from django.db import transaction
from django.utils import timezone

from ..mailings.models import Delivery, Mailing
from ..mailings.tasks import mailing_enqueue
from .kinds import SUBSCRIBERS, release_subscribers_choice, subscribers_for_release


def release_mailing_start(*, release) -> Mailing | None:
    """On a publication: the release's mailing, queued once the publication commits — only
    at the first publication of a release that is to be sent. A republication sends nothing
    (a mailing exists, or the release was first published earlier); it queues the mailing
    again only when deliveries are still pending (the release was offline meanwhile). A
    release from the archive import (`archive_id`) is not news: it is mailed to nobody."""
    if release.archive_id or not release_subscribers_choice(release=release):
        return None
    # A version (English, Leichte Sprache) goes out with its original's mailing, to the
    # subscribers of its language (kinds.subscriber_message), never as a mailing of its own.
    if not release.is_original():
        return None
    mailing = Mailing.objects.filter(release=release, kind=SUBSCRIBERS).first()
    if mailing is None:
        if release.first_published_at != release.last_published_at:
            return None
        mailing, _created = Mailing.objects.get_or_create(release=release, kind=SUBSCRIBERS)
    elif not mailing.deliveries.filter(state=Delivery.PENDING).exists():
        return None
    if (
        mailing.recipients_fixed_at is None
        and not subscribers_for_release(release=release).exists()
    ):
        # Nobody to send to: nothing queued, and its (empty) recipients are fixed, so that
        # press_mailings_resume never sends it to those who subscribe later.
        mailing.recipients_fixed_at = timezone.now()
        mailing.save(update_fields=["recipients_fixed_at"])
        return mailing
    mailing_id = mailing.pk
    transaction.on_commit(lambda: mailing_enqueue(mailing_id=mailing_id), robust=True)
    return mailing
