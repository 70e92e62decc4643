"""Sign-up, confirmation, unsubscribe and the subscriber's data: the rules, for form and API.

Answers never tell whether an address is known: a sign-up of a confirmed address, one within
the cool-down and a new one look the same to the client, and none sends mail in the request
(the confirmation mail is a task, tasks.confirmation_deliver). Only a bad address, missing
consent and too many sign-ups (limits.py) are errors.
"""

import datetime
import logging
import re

from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ..mailings.models import Delivery
from ..models import Topic
from .conf import subscriptions_setting
from .limits import client_digest, signup_limit_check
from .models import ConsentRecord, Subscriber
from .tasks import confirmation_enqueue
from .tokens import CONFIRM, DATA, UNSUBSCRIBE, TokenError, token_read

logger = logging.getLogger("press.subscriptions")

EMAIL_MAX_LENGTH = 254
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}")
# RFC 5322's dot-atom without `%`: no quoted local part, no routing through the domain's server.
PLAIN_LOCAL_PART = re.compile(r"[A-Za-z0-9!#$&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$&'*+/=?^_`{|}~-]+)*")
# The one answer to every accepted sign-up, whether or not the address was known.
NEUTRAL_ANSWER = gettext_lazy(
    "Thank you. Unless this address is subscribed already, it will receive a mail with a "
    "link to confirm the subscription. Please check your inbox."
)


def email_normalize(email: str) -> str:
    """The address as stored; ValidationError when it is none, or one a press office would
    never mail: Django's validator takes addresses that route elsewhere or nowhere (an IP
    literal `x@[127.0.0.1]` or dotted IP, a dotless `root@localhost`, `%` routing through the
    domain's server, a quoted local part)."""
    email = BaseUserManager.normalize_email((email or "").strip())
    if len(email) > EMAIL_MAX_LENGTH:
        raise ValidationError("too long", code="invalid")
    validate_email(email)
    local, _at, domain = email.rpartition("@")
    # Django's validator has checked the domain's labels; what is left is their kind.
    labels = domain.split(".")
    if (
        not PLAIN_LOCAL_PART.fullmatch(local)
        or domain.startswith("[")
        or len(labels) < 2
        or labels[-1].isdigit()
    ):
        raise ValidationError("not an address to mail", code="invalid")
    return email


class UnknownTopics(ValueError):
    """Slugs that name no topic."""

    def __init__(self, slugs: list[str]):
        super().__init__(", ".join(slugs))
        self.slugs = slugs


def topics_for_slugs(*, slugs) -> list[Topic]:
    """The topics `slugs` name, in the office's order; UnknownTopics for any that names none."""
    wanted = list(dict.fromkeys(slugs))
    # Only what can be a slug is looked up (a NUL byte is no query PostgreSQL accepts).
    found = list(Topic.objects.filter(slug__in=[s for s in wanted if SLUG.fullmatch(s)]))
    unknown = sorted(set(wanted) - {topic.slug for topic in found})
    if unknown:
        raise UnknownTopics(unknown)
    return found


def subscribe(
    *,
    email: str,
    channel: str,
    client: str,
    language: str = "",
    topics: list[Topic] | None = None,
) -> None:
    """Record the sign-up and its consent, and queue its confirmation mail. `email` is
    normalised already; `topics` empty or None: all press releases. Raises RateLimited.

    Every accepted sign-up does the same here — one task queued, no mail in the request — so
    neither the answer nor its time tells whether the address was unknown, pending or
    confirmed. The task decides: a confirmed subscription is not changed by a sign-up nobody
    confirms, and within the cool-down no second mail goes out. The mail's link confirms the
    consent record it was sent for and nothing else: a later sign-up of the address (with
    other topics, by someone else) waits for a mail of its own."""
    topics = list(topics or [])
    signup_limit_check(email=email, client=client)
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(email__iexact=email).first()
        if subscriber is None:
            try:
                with transaction.atomic():
                    subscriber = Subscriber.objects.create(email=email, language=language)
            except IntegrityError:  # the same address, signed up at this very moment
                subscriber = Subscriber.objects.select_for_update().get(email__iexact=email)
        # Logged for a confirmed address too (it stays unconfirmed): every accepted sign-up is
        # a row, which the limits count while the cache is down, and costs the same.
        consent_id = ConsentRecord.objects.create(
            subscriber=subscriber,
            consent_text=str(subscriptions_setting("SUBSCRIPTION_CONSENT_TEXT")),
            channel=channel,
            topics=[topic.as_data() for topic in topics],
            client_digest=client_digest(client),
        ).pk
        if subscriber.state != Subscriber.CONFIRMED:
            subscriber.state = Subscriber.PENDING
            subscriber.language = language or subscriber.language
            subscriber.save(update_fields=["state", "language"])
        subscriber_id = subscriber.pk
        # Queued once the rows are committed, so that a worker finds them.
        transaction.on_commit(
            lambda: confirmation_enqueue(subscriber_id=subscriber_id, consent_id=consent_id),
            robust=True,
        )


def confirm(*, token: str) -> Subscriber:
    """Confirm the consent record a confirmation link was mailed for, with its topics;
    TokenExpired, or TokenError for a link that is forged, used already, of an address that is
    confirmed, unsubscribed or gone, or whose topics all have been deleted since."""
    payload = token_read(kind=CONFIRM, token=token)
    now = timezone.now()
    with transaction.atomic():
        subscriber = (
            Subscriber.objects.select_for_update()
            .filter(
                state=Subscriber.PENDING,
                email__iexact=payload.get("e", ""),
                consents__pk=payload.get("c"),
            )
            .first()
        )
        consent = (
            subscriber.consents.filter(
                pk=payload.get("c"), confirmed_at__isnull=True, mailed_at__isnull=False
            ).first()
            if subscriber is not None
            else None
        )
        if consent is None:
            raise TokenError
        slugs = [topic["slug"] for topic in consent.topics]
        topics = list(Topic.objects.filter(slug__in=slugs))
        if slugs and not topics:
            raise TokenError  # no topic left: confirming would subscribe to everything
        subscriber.state = Subscriber.CONFIRMED
        subscriber.confirmed_at = now
        subscriber.save(update_fields=["state", "confirmed_at"])
        subscriber.topics.set(topics)
        consent.confirmed_at = now
        consent.save(update_fields=["confirmed_at"])
    return subscriber


def subscriber_for(*, kind: str, token: str) -> Subscriber:
    """The subscriber an unsubscribe or data link names; TokenError when there is none."""
    payload = token_read(kind=kind, token=token)
    subscriber = Subscriber.objects.filter(
        pk=payload.get("s"), email__iexact=payload.get("e", "")
    ).first()
    if subscriber is None:
        raise TokenError
    return subscriber


def unsubscribe(*, token: str) -> Subscriber:
    """Unsubscribe; mails not yet sent to the address are dropped. Idempotent."""
    subscriber = subscriber_for(kind=UNSUBSCRIBE, token=token)
    with transaction.atomic():
        Subscriber.objects.filter(pk=subscriber.pk).exclude(state=Subscriber.UNSUBSCRIBED).update(
            state=Subscriber.UNSUBSCRIBED, unsubscribed_at=timezone.now()
        )
        subscriber.deliveries.filter(state=Delivery.PENDING).delete()
    subscriber.refresh_from_db()
    return subscriber


def subscriber_data(subscriber: Subscriber) -> dict:
    """Everything stored about a subscriber (the export of a data request)."""
    return {
        "email": subscriber.email,
        "state": subscriber.state,
        "language": subscriber.language,
        "subscribed_at": subscriber.created_at,
        "confirmed_at": subscriber.confirmed_at,
        "unsubscribed_at": subscriber.unsubscribed_at,
        "topics": [topic.as_data() for topic in subscriber.topics.all()],
        "consents": [
            {
                "consent_text": consent.consent_text,
                "channel": consent.channel,
                "topics": consent.topics,
                "agreed_at": consent.agreed_at,
                "confirmed_at": consent.confirmed_at,
            }
            for consent in subscriber.consents.order_by("agreed_at")
        ],
        "mails_sent": [
            {"release": delivery.mailing.release.title, "sent_at": delivery.sent_at}
            for delivery in subscriber.deliveries.filter(state=Delivery.SENT)
            .select_related("mailing__release")
            .order_by("sent_at")
        ],
    }


def subscriber_delete(*, token: str) -> None:
    """Delete a subscriber with the consent log and deliveries (a deletion request)."""
    subscriber_for(kind=DATA, token=token).delete()


def pending_cleanup(*, now: datetime.datetime | None = None) -> int:
    """Delete sign-ups unconfirmed for PRESS["SUBSCRIPTION_PENDING_DAYS"] days since the
    last consent; how many were deleted."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=subscriptions_setting("SUBSCRIPTION_PENDING_DAYS"))
    stale = (
        Subscriber.objects.filter(state=Subscriber.PENDING, created_at__lt=cutoff)
        .exclude(consents__agreed_at__gte=cutoff)
        .values_list("pk", flat=True)
    )
    _deleted, by_model = Subscriber.objects.filter(pk__in=list(stale)).delete()
    # The client digests only served the sign-up limits of their window.
    window = datetime.timedelta(seconds=subscriptions_setting("SUBSCRIPTION_RATE_WINDOW"))
    ConsentRecord.objects.filter(agreed_at__lt=now - window).exclude(client_digest="").update(
        client_digest=""
    )
    return by_model.get(Subscriber._meta.label, 0)
