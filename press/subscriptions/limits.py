"""Sign-up limits: PRESS["SUBSCRIPTION_MAX_PER_ADDRESS"] sign-ups per address and
PRESS["SUBSCRIPTION_MAX_PER_CLIENT"] per client address within
PRESS["SUBSCRIPTION_RATE_WINDOW"] seconds.

They are counted in Django's cache. A cache that cannot count — Redis down, which django-redis
with IGNORE_EXCEPTIONS answers with None, or a backend that raises — must not switch them off
(60 sign-ups would send 60 mails): the database counts instead, the consent records of the
window per address and per client. A refused sign-up leaves no record there, so in that mode
only accepted ones count; concurrent requests may each slip one past the limit, never more.
The switch is logged once when the cache fails and once when it counts again, per process.
"""

import datetime
import hashlib
import hmac
import logging

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from .conf import subscriptions_setting
from .models import ConsentRecord

logger = logging.getLogger("press.subscriptions")

# Per process: whether the last count fell back to the database (for logging the change only).
_counting_in_database = False


class RateLimited(Exception):
    """Too many sign-ups for this address or from this client; retry after `seconds`."""

    def __init__(self, seconds: int):
        super().__init__(seconds)
        self.seconds = seconds


class CacheUnavailable(Exception):
    pass


def client_digest(client: str) -> str:
    """A keyed digest of a client address: equal for equal addresses, and without the site's
    secret no way back to the address (a plain hash of an IPv4 address is undone by trying
    all 2³² of them)."""
    key = f"press.subscriptions.client:{settings.SECRET_KEY}".encode()
    return hmac.new(key, (client or "unknown").encode(), hashlib.sha256).hexdigest()


def _address_digest(email: str) -> str:
    return hashlib.sha256(email.lower().encode()).hexdigest()[:32]


def _cache_count(key: str, window: int) -> int:
    """This attempt counted in the cache: the attempts within the window, this one included."""
    try:
        added = cache.add(key, 1, timeout=window)
        count = 1 if added is True else cache.incr(key) if added is False else None
    except Exception as error:  # any backend's connection error, or the key expired meanwhile
        raise CacheUnavailable from error
    if not isinstance(count, int):  # django-redis ignoring an error answers None
        raise CacheUnavailable
    return count


def _database_counts(*, email: str, client: str, window: int) -> tuple[int, int]:
    since = timezone.now() - datetime.timedelta(seconds=window)
    recent = ConsentRecord.objects.filter(agreed_at__gte=since)
    return (
        recent.filter(subscriber__email__iexact=email).count(),
        recent.filter(client_digest=client_digest(client)).count(),
    )


def signup_limit_check(*, email: str, client: str) -> None:
    """Count this sign-up; RateLimited when the address or the client has had too many."""
    global _counting_in_database
    window = subscriptions_setting("SUBSCRIPTION_RATE_WINDOW")
    max_address = subscriptions_setting("SUBSCRIPTION_MAX_PER_ADDRESS")
    max_client = subscriptions_setting("SUBSCRIPTION_MAX_PER_CLIENT")
    try:
        by_address = _cache_count(f"press:subscribe:address:{_address_digest(email)}", window)
        by_client = _cache_count(f"press:subscribe:client:{client_digest(client)[:32]}", window)
    except CacheUnavailable:
        if not _counting_in_database:
            logger.warning("Subscription limits: cache unavailable, counting in the database")
            _counting_in_database = True
        # The earlier sign-ups of the window are in the database; this one is not yet.
        earlier_address, earlier_client = _database_counts(
            email=email, client=client, window=window
        )
        by_address, by_client = earlier_address + 1, earlier_client + 1
    else:
        if _counting_in_database:
            logger.warning("Subscription limits: cache available again")
            _counting_in_database = False
    if by_address > max_address or by_client > max_client:
        raise RateLimited(window)
