"""Sending a release to its recipients: each once wherever SMTP lets us know, nothing lost
when a worker dies.

A mailing fixes its recipients once, as one Delivery row per recipient its kind names (unique
per mailing and recipient). A worker claims a batch with one conditional UPDATE (pending ->
sending, stamped with the batch's token; a row another worker claimed meanwhile no longer
matches) and reads it back with one SELECT. Then one committed UPDATE per mail:

    mail n accepted (250)  ->  UPDATE: n sent, n+1 handed over  ->  SMTP transaction of n+1

so a row is marked handed over before its mail leaves, and sent as soon as the server has
answered. A worker that dies leaves its claim; after PRESS["MAIL_CLAIM_SECONDS"] (a live worker
keeps its claim fresh however slow its server) another run takes it over, and then:

- a claimed row never handed over was certainly not sent: it is sent, once;
- the one row handed over but not recorded is the mail the server may or may not have accepted
  (SMTP cannot tell: the server's 250 and our UPDATE are two systems, the duplicate window of
  RFC 1047). It is sent again, flagged `maybe_twice` and logged. For a press office a gap is
  worse than a duplicate: a recipient never learns what they missed, while the repeat carries
  the same Message-ID (mail programs and servers that de-duplicate drop it). It is at most one
  mail per worker that died, never a batch. A connection that breaks once the mail is on its
  way, without a reply code, is the same blind spot: retried as a temporary failure, flagged.

Temporary failures (a 4xx answer, a lost or refused connection) wait for the next attempt with
exponential back-off; a permanent one (5xx) or the last attempt is recorded on the delivery.

What a kind sends is its part's (press.mailings.kinds): the subscribers' mailing names its
recipients when first sent; the journalists' deliveries are made when a list is sent to, so
`recipients_fix` leaves them alone. A kind sent before its release is public (an embargo
notice) goes out without the release's document.
"""

import contextlib
import datetime
import itertools
import json
import logging
import secrets
import smtplib

import django.core.mail
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Case, F, Min, Q, Value, When
from django.utils import timezone

from ..models import PressReleasePage, release_document_for
from .conf import mailings_setting
from .kinds import mailing_kind
from .models import Delivery, Mailing

logger = logging.getLogger("press.mailings")


def mail_connection():
    """The connection of the site's default mailer: `mailers.default` from Django 6.1 on (whose
    `get_connection` is deprecated), else `get_connection`. Errors are raised, not hidden."""
    mailers = getattr(django.core.mail, "mailers", None)
    if mailers is not None:
        return mailers.default
    return django.core.mail.get_connection(fail_silently=False)


def recipients_fix(*, mailing: Mailing) -> None:
    """One delivery per recipient its kind names for the release, made once per mailing."""
    if mailing.recipients_fixed_at is not None:
        return
    recipients_of = mailing_kind(mailing.kind).recipients
    with transaction.atomic():
        locked = Mailing.objects.select_for_update().get(pk=mailing.pk)
        if locked.recipients_fixed_at is None and recipients_of is not None:
            recipients = recipients_of(release=mailing.release)
            recipient_type = ContentType.objects.get_for_model(recipients.model)
            pks = recipients.order_by("pk").values_list("pk", flat=True)
            # Streamed and inserted 1,000 at a time: bulk_create makes a list of whatever it
            # is given, so a generator of all recipients would be held whole in memory.
            pks = pks.iterator(chunk_size=1000)
            while chunk := list(itertools.islice(pks, 1000)):
                Delivery.objects.bulk_create(
                    [
                        Delivery(mailing=locked, recipient_type=recipient_type, recipient_id=pk)
                        for pk in chunk
                    ],
                    ignore_conflicts=True,
                )
        if locked.recipients_fixed_at is None:
            locked.recipients_fixed_at = timezone.now()
            locked.save(update_fields=["recipients_fixed_at"])
        mailing.recipients_fixed_at = locked.recipients_fixed_at


def _claimable(*, now: datetime.datetime) -> Q:
    due = Q(state=Delivery.PENDING) & (Q(not_before__isnull=True) | Q(not_before__lte=now))
    return due | Q(state=Delivery.SENDING, claimed_at__lt=claim_stale_before(now=now))


def claim_stale_before(*, now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(seconds=mailings_setting("MAIL_CLAIM_SECONDS"))


def deliveries_claim(*, mailing: Mailing, limit: int) -> list[Delivery]:
    """Up to `limit` deliveries now this worker's, with their recipients: one UPDATE and one
    SELECT for the batch (and one for each model of recipient). Empty only when nothing is left to claim."""
    for _race in range(5):
        now = timezone.now()
        claimable = _claimable(now=now)
        token = secrets.token_hex(16)
        candidates = mailing.deliveries.filter(claimable).order_by("pk").values("pk")[:limit]
        # The condition is evaluated again on each row as it is updated: a row another worker
        # claimed since the subquery read it is left alone. A taken-over row that was handed
        # over (its worker died around the SMTP transaction) is flagged before the mark is
        # cleared for this attempt (the SET expressions read the row as it was).
        claimed = Delivery.objects.filter(claimable, pk__in=candidates).update(
            state=Delivery.SENDING,
            claimed_at=now,
            claim=token,
            maybe_twice=Case(
                When(state=Delivery.SENDING, handed_over_at__isnull=False, then=Value(True)),
                default=F("maybe_twice"),
            ),
            handed_over_at=None,
        )
        if claimed:
            return list(
                Delivery.objects.filter(claim=token, state=Delivery.SENDING)
                .select_related("mailing", "embargo_link")
                .prefetch_related("recipient")
                .order_by("pk")
            )
        if not mailing.deliveries.filter(claimable).exists():
            return []
    return []  # another worker keeps taking them first: it is sending them


def smtp_code(error: Exception) -> int | None:
    """The SMTP reply code of a failure; None when the server gave none (connection errors)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused) and error.recipients:
        return next(iter(error.recipients.values()))[0]
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code
    return None


# Seconds before retry n are BACKOFF * 2**(n-1), as for webhooks (press.publishing.tasks).
MAIL_BACKOFF = 60
MAIL_INLINE_BACKOFF = 0.2


def delivery_backoff(*, attempt: int, deferred: bool) -> float:
    base = MAIL_BACKOFF if deferred else MAIL_INLINE_BACKOFF
    return base * 2 ** (attempt - 1)


class Batch:
    """A claimed batch on its way out: the bookkeeping of each mail is one UPDATE."""

    def __init__(self, *, deliveries: list[Delivery], deferred: bool):
        self.token = deliveries[0].claim
        self.claimed_at = deliveries[0].claimed_at
        self.deferred = deferred
        self.mine = Delivery.objects.filter(claim=self.token, state=Delivery.SENDING)

    def handover_record(self, *, sent: Delivery | None, next_up: Delivery | None) -> None:
        """`sent` accepted by the server and `next_up` about to be handed to it, in one
        committed UPDATE (the database's round trip per mail)."""
        now = timezone.now()
        if sent is None and next_up is None:
            return
        if sent is None:
            self.mine.filter(pk=next_up.pk).update(handed_over_at=now)
        elif next_up is None:
            self.mine.filter(pk=sent.pk).update(**self._sent_fields(sent, now))
        else:
            is_sent = Q(pk=sent.pk)
            self.mine.filter(pk__in=(sent.pk, next_up.pk)).update(
                **{
                    name: Case(
                        When(is_sent, then=Value(value)),
                        default=F(name),
                        output_field=Delivery._meta.get_field(name),
                    )
                    for name, value in self._sent_fields(sent, now).items()
                },
                handed_over_at=Case(When(is_sent, then=F("handed_over_at")), default=Value(now)),
            )
        self._claim_renew(now=now)

    def _sent_fields(self, delivery: Delivery, now: datetime.datetime) -> dict:
        return {
            "state": Delivery.SENT,
            "attempts": delivery.attempts + 1,
            "sent_at": now,
            "error": "",
            "claimed_at": None,
        }

    def _claim_renew(self, *, now: datetime.datetime) -> None:
        # A live worker keeps its claim fresh, however slow its server: only a dead worker's
        # claim grows older than MAIL_CLAIM_SECONDS.
        if (now - self.claimed_at).total_seconds() > mailings_setting("MAIL_CLAIM_SECONDS") / 3:
            self.mine.exclude(claimed_at=None).update(claimed_at=now)
            self.claimed_at = now

    def failure_record(self, *, delivery: Delivery, error: Exception, transmitted: bool) -> None:
        """A failed attempt. `transmitted`: the connection stood and the mail was on its way;
        without a reply code the server may have kept it (the connection broke after DATA),
        so a retry may be a second copy and is flagged like a takeover."""
        attempt = delivery.attempts + 1
        code = smtp_code(error)
        text = f"{code or ''} {error}".strip()[:1000]
        mine = self.mine.filter(pk=delivery.pk)
        if transmitted and code is None:
            mine.update(maybe_twice=True)
        if (code is not None and 500 <= code < 600) or attempt >= mailings_setting("MAIL_ATTEMPTS"):
            logger.error(
                "Mailing %s to %s failed: %s", delivery.mailing_id, delivery.recipient, text
            )
            mine.update(state=Delivery.FAILED, attempts=attempt, error=text, claimed_at=None)
            return
        logger.warning(
            "Mailing %s to %s, attempt %s: %s",
            delivery.mailing_id,
            delivery.recipient,
            attempt,
            text,
        )
        wait = delivery_backoff(attempt=attempt, deferred=self.deferred)
        mine.update(
            state=Delivery.PENDING,
            attempts=attempt,
            error=text,
            claimed_at=None,
            not_before=timezone.now() + datetime.timedelta(seconds=wait),
        )


def delivery_message(*, delivery: Delivery, release, document, data: dict | None):
    """The mail of a delivery as its kind makes it; None when it is no longer to be sent
    (the recipient unsubscribed or inactive, its link revoked, the recipient gone)."""
    if delivery.recipient is None:
        return None
    return mailing_kind(delivery.mailing.kind).message(
        delivery=delivery, release=release, document=document, data=data
    )


def batch_send(
    *, deliveries: list[Delivery], release, document, data: dict, deferred: bool
) -> None:
    """One claimed batch over one SMTP connection. The next mail is built while none is in
    flight, so that nothing but the UPDATE stands between a 250 and its record."""
    batch = Batch(deliveries=deliveries, deferred=deferred)
    for delivery in deliveries:
        if delivery.maybe_twice:
            logger.warning(
                "Mailing %s to %s: its worker died after handing the mail to the server and "
                "before recording the answer; sent again (same Message-ID).",
                delivery.mailing_id,
                delivery.recipient,
            )

    def messages():
        for delivery in deliveries:
            message = delivery_message(
                delivery=delivery, release=release, document=document, data=data
            )
            if message is None:
                # Unsubscribed, inactive or its embargo link revoked since it was fixed.
                batch.mine.filter(pk=delivery.pk).delete()
                continue
            yield delivery, message

    queue = messages()
    current = next(queue, None)
    batch.handover_record(sent=None, next_up=current and current[0])
    connection = mail_connection()
    try:
        while current is not None:
            delivery, message = current
            upcoming = next(queue, None)  # built now, while nothing is in flight
            transmitted = False
            try:
                connection.open()
                transmitted = True
                if connection.send_messages([message]) != 1:
                    raise smtplib.SMTPException("the mail backend sent nothing")
            except Exception as error:
                with contextlib.suppress(Exception):
                    connection.close()  # a fresh connection for the next one
                batch.failure_record(delivery=delivery, error=error, transmitted=transmitted)
                batch.handover_record(sent=None, next_up=upcoming and upcoming[0])
            else:
                # The server has the mail: recorded at once, with the next one's hand-over.
                batch.handover_record(sent=delivery, next_up=upcoming and upcoming[0])
            current = upcoming
    finally:
        try:
            connection.close()
        except Exception:
            logger.warning("Closing the mail connection failed", exc_info=True)


def mailing_send(*, mailing_id: int, deferred: bool) -> datetime.datetime | None:
    """Send what is due of a mailing, in batches of PRESS["MAIL_BATCH_SIZE"] over one
    connection each. Returns when to run again (None: nothing left to do): the next retry, or,
    on a worker, when other workers' claims would be stale if they died meanwhile."""
    mailing = Mailing.objects.select_related("release").filter(pk=mailing_id).first()
    if mailing is None:
        return None
    release = mailing.release
    try:
        embargo = mailing_kind(mailing.kind).before_public
    except LookupError:
        logger.error(
            "Mailing %s: its kind %r is not installed; nothing sent.", mailing.pk, mailing.kind
        )
        return None
    if not embargo and not (release.live and release.is_visible()):
        logger.warning(
            "Mailing %s: release %s is not public; nothing sent.", mailing.pk, release.pk
        )
        return None
    # A mail sent before the release is public carries a link, not the release: no document
    # is needed (nor built for a release that is not public).
    document = None if embargo else release_document_for(release)
    data = None if embargo else json.loads(document.api_json)  # once per run, not per mail
    recipients_fix(mailing=mailing)
    size = mailings_setting("MAIL_BATCH_SIZE")
    while deliveries := deliveries_claim(mailing=mailing, limit=size):
        if not embargo and not PressReleasePage.objects.visible().filter(pk=release.pk).exists():
            # Taken offline while it was being sent: stop; a new publication resumes it.
            mailing.deliveries.filter(claim=deliveries[0].claim, state=Delivery.SENDING).update(
                state=Delivery.PENDING, claimed_at=None
            )
            logger.warning("Mailing %s stopped: release %s went offline.", mailing.pk, release.pk)
            return None
        batch_send(
            deliveries=deliveries, release=release, document=document, data=data, deferred=deferred
        )
    waiting = mailing.deliveries.filter(state=Delivery.PENDING).aggregate(at=Min("not_before"))
    if mailing.deliveries.filter(state=Delivery.PENDING).exists():
        return waiting["at"] or timezone.now()
    others = mailing.deliveries.filter(state=Delivery.SENDING).aggregate(at=Min("claimed_at"))
    if deferred and others["at"] is not None:
        # Claimed by another worker: if it dies, this run's successor takes them over.
        seconds = mailings_setting("MAIL_CLAIM_SECONDS") + 1
        return others["at"] + datetime.timedelta(seconds=seconds)
    return None
