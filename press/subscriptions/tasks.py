"""The subscribers' mail: the confirmation mail of a sign-up, sent by a task on
PRESS["MAIL_TASK_BACKEND"] (never inside the sign-up's request), and a release's mailing to
the subscribers, started at its first publication and sent by the mail engine (press.mailings).
"""

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from ..mailings.conf import mailings_setting
from ..mailings.models import Delivery, Mailing
from ..mailings.tasks import mailing_enqueue
from .conf import subscriptions_setting
from .kinds import SUBSCRIBERS, release_subscribers_choice, subscribers_for_release
from .mail import confirmation_message
from .models import ConsentRecord, Subscriber

logger = logging.getLogger("press.subscriptions")


@task()
def confirmation_deliver(*, subscriber_id: int, consent_id: int) -> bool:
    """Send the confirmation mail of one sign-up (its consent record); True when sent.

    Nothing for a subscriber confirmed (a sign-up nobody confirms changes no subscription),
    unsubscribed or deleted since, or within PRESS["SUBSCRIPTION_RESEND_COOLDOWN"] of the last
    mail to the address: that sign-up stays unconfirmed (its owner signs up again after the
    cool-down) and no earlier mail's link confirms it. A mail that fails is logged, and the
    next sign-up may try again at once."""
    now = timezone.now()
    cooldown = datetime.timedelta(seconds=subscriptions_setting("SUBSCRIPTION_RESEND_COOLDOWN"))
    with transaction.atomic():
        subscriber = (
            Subscriber.objects.select_for_update()
            .filter(pk=subscriber_id, state=Subscriber.PENDING)
            .first()
        )
        consent = (
            subscriber.consents.filter(
                pk=consent_id, mailed_at__isnull=True, confirmed_at__isnull=True
            ).first()
            if subscriber is not None
            else None
        )
        if consent is None:
            return False
        sent = subscriber.confirmation_sent_at
        if sent is not None and now - sent < cooldown:
            return False
        subscriber.confirmation_sent_at = consent.mailed_at = now
        subscriber.save(update_fields=["confirmation_sent_at"])
        consent.save(update_fields=["mailed_at"])
    try:
        confirmation_message(subscriber=subscriber, consent=consent).send()
    except Exception:
        logger.exception("Confirmation mail to subscriber %s not sent", subscriber.pk)
        Subscriber.objects.filter(pk=subscriber.pk, confirmation_sent_at=now).update(
            confirmation_sent_at=None
        )
        ConsentRecord.objects.filter(pk=consent.pk).update(mailed_at=None)
        return False
    return True


def confirmation_enqueue(*, subscriber_id: int, consent_id: int) -> None:
    confirmation_deliver.using(backend=mailings_setting("MAIL_TASK_BACKEND")).enqueue(
        subscriber_id=subscriber_id, consent_id=consent_id
    )


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
