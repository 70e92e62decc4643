"""Sending a release to its recipients: at most once each, nothing lost when a worker dies.

A mailing fixes its recipients once, as one Delivery row per confirmed subscriber (unique per
mailing and subscriber). A worker claims a delivery with one conditional UPDATE (pending →
sending; only one worker's UPDATE matches), sends it over its SMTP connection and marks it sent
as soon as the server has accepted the mail. A second worker skips what is claimed; a run after
a crash takes the pending ones and the claims older than PRESS["MAIL_CLAIM_SECONDS"] (a worker
killed between the server's acceptance and the UPDATE is the one case in which a mail can go
out again: it carries the same Message-ID, so mail programs see it as the same mail).

Temporary failures (a 4xx answer, a lost or refused connection) wait for the next attempt with
exponential back-off; a permanent one (5xx) or the last attempt is recorded on the delivery.

The journalists' mailings (press.distribution) go the same way; their deliveries are made when
a list is sent to, so `recipients_fix` leaves them alone. An embargo mailing goes out before the
release is public (that is its point), each mail with the journalist's personal link.
"""

import contextlib
import datetime
import logging
import smtplib

from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Exists, Min, OuterRef, Q
from django.utils import timezone

from ..conf import press_setting
from ..models import Delivery, Mailing, PressReleasePage, Subscriber, release_document_for

logger = logging.getLogger("press.subscriptions")


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


def recipients_fix(*, mailing: Mailing) -> None:
    """One delivery per subscriber of the release (subscribers_for_release), made once per
    mailing."""
    if mailing.recipients_fixed_at is not None:
        return
    with transaction.atomic():
        locked = Mailing.objects.select_for_update().get(pk=mailing.pk)
        if locked.recipients_fixed_at is None:
            subscribers = (
                subscribers_for_release(release=mailing.release)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            Delivery.objects.bulk_create(
                (Delivery(mailing=locked, subscriber_id=pk) for pk in subscribers.iterator()),
                batch_size=1000,
                ignore_conflicts=True,
            )
            locked.recipients_fixed_at = timezone.now()
            locked.save(update_fields=["recipients_fixed_at"])
        mailing.recipients_fixed_at = locked.recipients_fixed_at


def _claimable(*, now: datetime.datetime) -> Q:
    stale = now - datetime.timedelta(seconds=press_setting("MAIL_CLAIM_SECONDS"))
    due = Q(state=Delivery.PENDING) & (Q(not_before__isnull=True) | Q(not_before__lte=now))
    return due | Q(state=Delivery.SENDING, claimed_at__lt=stale)


def deliveries_claim(*, mailing: Mailing, limit: int) -> list[int]:
    """Up to `limit` deliveries now this worker's; each claim is one conditional UPDATE."""
    now = timezone.now()
    claimable = _claimable(now=now)
    candidates = list(
        mailing.deliveries.filter(claimable).order_by("pk").values_list("pk", flat=True)[:limit]
    )
    return [
        pk
        for pk in candidates
        if Delivery.objects.filter(claimable, pk=pk).update(state=Delivery.SENDING, claimed_at=now)
    ]


def smtp_code(error: Exception) -> int | None:
    """The SMTP reply code of a failure; None when the server gave none (connection errors)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused) and error.recipients:
        return next(iter(error.recipients.values()))[0]
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code
    return None


def delivery_backoff(*, attempt: int, deferred: bool) -> float:
    base = press_setting("MAIL_BACKOFF" if deferred else "MAIL_INLINE_BACKOFF")
    return base * 2 ** (attempt - 1)


def delivery_message(*, delivery: Delivery, release, document):
    """The mail of a delivery: the release to a subscriber or a journalist, or a journalist's
    embargo link; None when it is no longer to be sent (unsubscribed, inactive, revoked)."""
    from .mail import embargo_message, journalist_release_message, release_message

    if delivery.subscriber_id is not None:
        if delivery.subscriber.state != Subscriber.CONFIRMED:  # unsubscribed since
            return None
        return release_message(
            release=release,
            document=document,
            subscriber=delivery.subscriber,
            delivery_id=delivery.pk,
        )
    if not delivery.journalist.active:
        return None
    if delivery.mailing.kind == Mailing.EMBARGO:
        link = delivery.embargo_link
        if link is None or not link.is_active():
            return None
        return embargo_message(
            release=release, journalist=delivery.journalist, link=link, delivery_id=delivery.pk
        )
    return journalist_release_message(
        release=release,
        document=document,
        journalist=delivery.journalist,
        delivery_id=delivery.pk,
    )


def delivery_send(*, delivery: Delivery, release, document, connection, deferred: bool) -> None:
    mine = Delivery.objects.filter(pk=delivery.pk, state=Delivery.SENDING)
    attempt = delivery.attempts + 1
    try:
        message = delivery_message(delivery=delivery, release=release, document=document)
        if message is None:
            mine.delete()
            return
        connection.open()
        if connection.send_messages([message]) != 1:
            raise smtplib.SMTPException("the mail backend sent nothing")
    except Exception as error:
        code = smtp_code(error)
        text = f"{code or ''} {error}".strip()[:1000]
        with contextlib.suppress(Exception):
            connection.close()  # a fresh connection for the next one
        if (code is not None and 500 <= code < 600) or attempt >= press_setting("MAIL_ATTEMPTS"):
            logger.error(
                "Mailing %s to %s failed: %s", delivery.mailing_id, delivery.recipient, text
            )
            mine.update(state=Delivery.FAILED, attempts=attempt, error=text, claimed_at=None)
        else:
            logger.warning(
                "Mailing %s to %s, attempt %s: %s",
                delivery.mailing_id,
                delivery.recipient,
                attempt,
                text,
            )
            wait = delivery_backoff(attempt=attempt, deferred=deferred)
            mine.update(
                state=Delivery.PENDING,
                attempts=attempt,
                error=text,
                claimed_at=None,
                not_before=timezone.now() + datetime.timedelta(seconds=wait),
            )
        return
    # The server has the mail: recorded at once, before the next one is sent.
    mine.update(
        state=Delivery.SENT, attempts=attempt, sent_at=timezone.now(), error="", claimed_at=None
    )


def mailing_send(*, mailing_id: int, deferred: bool) -> datetime.datetime | None:
    """Send what is due of a mailing, in batches of PRESS["MAIL_BATCH_SIZE"] over one
    connection each. Returns when the next retry is due (None: nothing left to retry)."""
    mailing = Mailing.objects.select_related("release").filter(pk=mailing_id).first()
    if mailing is None:
        return None
    release = mailing.release
    embargo = mailing.kind == Mailing.EMBARGO
    if not embargo and not (release.live and release.is_visible()):
        logger.warning(
            "Mailing %s: release %s is not public; nothing sent.", mailing.pk, release.pk
        )
        return None
    # An embargo mail carries a link, not the release: no document is needed (nor built for
    # a release that is not public).
    document = None if embargo else release_document_for(release)
    recipients_fix(mailing=mailing)
    batch = press_setting("MAIL_BATCH_SIZE")
    while claimed := deliveries_claim(mailing=mailing, limit=batch):
        if not embargo and not PressReleasePage.objects.visible().filter(pk=release.pk).exists():
            # Taken offline while it was being sent: stop; a new publication resumes it.
            mailing.deliveries.filter(pk__in=claimed).update(
                state=Delivery.PENDING, claimed_at=None
            )
            logger.warning("Mailing %s stopped: release %s went offline.", mailing.pk, release.pk)
            return None
        connection = get_connection(fail_silently=False)
        try:
            deliveries = Delivery.objects.filter(pk__in=claimed).select_related(
                "mailing", "subscriber", "journalist", "embargo_link"
            )
            for delivery in deliveries.order_by("pk"):
                delivery_send(
                    delivery=delivery,
                    release=release,
                    document=document,
                    connection=connection,
                    deferred=deferred,
                )
        finally:
            try:
                connection.close()
            except Exception:
                logger.warning("Closing the mail connection failed", exc_info=True)
    waiting = mailing.deliveries.filter(state=Delivery.PENDING).aggregate(at=Min("not_before"))
    if mailing.deliveries.filter(state=Delivery.PENDING).exists():
        return waiting["at"] or timezone.now()
    return None
