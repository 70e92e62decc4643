"""Sign-up, confirmation, unsubscribe and the subscriber's data: the rules, for form and API.

Answers never tell whether an address is known: a sign-up of a confirmed address, one within
the cool-down and a new one look the same to the client. Only a bad address, missing consent
and too many sign-ups are errors.
"""

import datetime
import hashlib
import logging
import re

from django.contrib.auth.base_user import BaseUserManager
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ..mailings.models import Delivery
from ..models import Topic
from .conf import subscriptions_setting
from .mail import confirmation_message
from .models import ConsentRecord, Subscriber
from .tokens import CONFIRM, DATA, UNSUBSCRIBE, TokenError, token_read

logger = logging.getLogger("press.subscriptions")

EMAIL_MAX_LENGTH = 254
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}")
# The one answer to every accepted sign-up, whether or not the address was known.
NEUTRAL_ANSWER = gettext_lazy(
    "Thank you. Unless this address is subscribed already, it will receive a mail with a "
    "link to confirm the subscription. Please check your inbox."
)


class RateLimited(Exception):
    """Too many sign-ups for this address or from this client; retry after `seconds`."""

    def __init__(self, seconds: int):
        super().__init__(seconds)
        self.seconds = seconds


def email_normalize(email: str) -> str:
    """The address as stored; ValidationError when it is none."""
    email = BaseUserManager.normalize_email((email or "").strip())
    if len(email) > EMAIL_MAX_LENGTH:
        raise ValidationError("too long", code="invalid")
    validate_email(email)
    return email


def _over_limit(key: str, limit: int, window: int) -> bool:
    # A failing cache (django-redis ignoring errors) counts nothing: sign-up stays possible.
    try:
        count = 1 if cache.add(key, 1, timeout=window) else cache.incr(key)
    except Exception:
        logger.warning("Subscription rate limit: cache unavailable", exc_info=True)
        return False
    return (count or 0) > limit


def _hashed(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def rate_limit_check(*, email: str, client: str) -> None:
    window = subscriptions_setting("SUBSCRIPTION_RATE_WINDOW")
    over_address = _over_limit(
        f"press:subscribe:address:{_hashed(email.lower())}",
        subscriptions_setting("SUBSCRIPTION_MAX_PER_ADDRESS"),
        window,
    )
    over_client = _over_limit(
        f"press:subscribe:client:{_hashed(client or 'unknown')}",
        subscriptions_setting("SUBSCRIPTION_MAX_PER_CLIENT"),
        window,
    )
    if over_address or over_client:
        raise RateLimited(window)


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
    """Record the sign-up and its consent; send the confirmation mail unless the address is
    confirmed already or one was sent within the cool-down. `email` is normalised already;
    `topics` empty or None: all press releases. A pending sign-up takes the topics of the
    latest one (what its confirmation will confirm); a confirmed subscription is not changed
    by a sign-up nobody confirms. Raises RateLimited."""
    topics = list(topics or [])
    rate_limit_check(email=email, client=client)
    now = timezone.now()
    cooldown = datetime.timedelta(seconds=subscriptions_setting("SUBSCRIPTION_RESEND_COOLDOWN"))
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(email__iexact=email).first()
        if subscriber is None:
            try:
                with transaction.atomic():
                    subscriber = Subscriber.objects.create(email=email, language=language)
            except IntegrityError:  # the same address, signed up at this very moment
                subscriber = Subscriber.objects.select_for_update().get(email__iexact=email)
        if subscriber.state == Subscriber.CONFIRMED:
            return
        ConsentRecord.objects.create(
            subscriber=subscriber,
            consent_text=str(subscriptions_setting("SUBSCRIPTION_CONSENT_TEXT")),
            channel=channel,
            topics=[topic.as_data() for topic in topics],
        )
        subscriber.topics.set(topics)
        subscriber.state = Subscriber.PENDING
        subscriber.language = language or subscriber.language
        sent = subscriber.confirmation_sent_at
        if sent is not None and now - sent < cooldown:
            subscriber.save(update_fields=["state", "language"])
            return
        subscriber.confirmation_sent_at = now
        subscriber.save(update_fields=["state", "language", "confirmation_sent_at"])
    try:
        confirmation_message(subscriber=subscriber).send()
    except Exception:
        # Not sent: the next sign-up may try again at once.
        logger.exception("Confirmation mail to subscriber %s not sent", subscriber.pk)
        Subscriber.objects.filter(pk=subscriber.pk).update(confirmation_sent_at=None)


def confirm(*, token: str) -> Subscriber:
    """Confirm the sign-up a confirmation link names; TokenExpired, or TokenError for a link
    that is forged, used already or of an address that is gone."""
    payload = token_read(kind=CONFIRM, token=token)
    now = timezone.now()
    with transaction.atomic():
        subscriber = (
            Subscriber.objects.select_for_update()
            .filter(pk=payload.get("s"), email__iexact=payload.get("e", ""))
            .first()
        )
        if (
            subscriber is None
            or subscriber.state != Subscriber.PENDING
            or subscriber.confirmation_nonce != payload.get("n")
        ):
            raise TokenError
        subscriber.state = Subscriber.CONFIRMED
        subscriber.confirmed_at = now
        subscriber.confirmation_nonce = Subscriber._meta.get_field("confirmation_nonce").default()
        subscriber.save(update_fields=["state", "confirmed_at", "confirmation_nonce"])
        subscriber.consents.filter(confirmed_at__isnull=True).update(confirmed_at=now)
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
    return by_model.get(Subscriber._meta.label, 0)
