"""Redis that fails fast: a circuit breaker in front of every connection of the cache.

The cache only saves work (cms/settings/base.py), so a Redis that is down, or accepts and never
answers, must cost a request next to nothing and must not fill the log. redis-py's connections
here time out after REDIS_TIMEOUT (50 ms by default) and do not retry; the first failure opens
the breaker of this process, and for REDIS_RETRY_AFTER seconds every cache operation fails at
once without touching the network (django-redis turns that into a cache miss). Then one
operation tries again: if it works the breaker closes. The outage is logged once when it starts
and once when it ends, never per request.
"""

import logging
import threading
import time

from redis.backoff import NoBackoff
from redis.connection import Connection
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger("cms.cache")

FAILURES = (RedisConnectionError, RedisTimeoutError, OSError)


class Breaker:
    """Open after a failure; one trial after `retry_after` seconds; closed by a success."""

    def __init__(self, *, retry_after: float = 5.0):
        self.retry_after = retry_after
        self.lock = threading.Lock()
        self.opened_at: float | None = None
        self.trial_at = 0.0
        self.trial_thread: int | None = None

    def allow(self) -> bool:
        with self.lock:
            if self.opened_at is None:
                return True
            thread = threading.get_ident()
            if self.trial_thread == thread:  # the trial's connect, then its command
                return True
            now = time.monotonic()
            if now < self.trial_at:
                return False
            self.trial_at = now + self.retry_after  # this caller is the one trial
            self.trial_thread = thread
            return True

    def failed(self, error: Exception) -> None:
        with self.lock:
            now = time.monotonic()
            self.trial_at = now + self.retry_after
            self.trial_thread = None
            if self.opened_at is not None:
                return
            self.opened_at = now
        logger.error(
            "Redis (cache) unreachable: %s. Requests go on without the cache; trying again "
            "every %s s.",
            error or type(error).__name__,
            self.retry_after,
        )

    def succeeded(self) -> None:
        if self.opened_at is None:  # the common case, without the lock
            return
        with self.lock:
            if self.opened_at is None:
                return
            down_for = time.monotonic() - self.opened_at
            self.opened_at = None
            self.trial_thread = None
        logger.warning("Redis (cache) answers again, after %.0f s.", down_for)

    def reset(self) -> None:
        with self.lock:
            self.opened_at = None
            self.trial_at = 0.0
            self.trial_thread = None


breaker = Breaker()


class BreakerConnection(Connection):
    """redis-py's TCP connection, through the process's breaker (CONNECTION_POOL_KWARGS)."""

    def guard(self) -> None:
        if not breaker.allow():
            raise RedisConnectionError("Redis skipped: the cache is down (circuit open)")

    def connect(self):
        self.guard()
        try:
            return super().connect()
        except FAILURES as error:
            breaker.failed(error)
            raise

    def send_packed_command(self, command, check_health=True):
        self.guard()
        try:
            return super().send_packed_command(command, check_health=check_health)
        except FAILURES as error:
            breaker.failed(error)
            raise

    def read_response(self, *args, **kwargs):
        try:
            response = super().read_response(*args, **kwargs)
        except FAILURES as error:
            breaker.failed(error)
            # A half-read answer must not be read by the next command on this connection.
            self.disconnect()
            raise
        breaker.succeeded()
        return response


def redis_cache_options(*, connect_timeout: float, timeout: float) -> dict:
    """django-redis OPTIONS: errors ignored (a miss), short timeouts, no retries (redis-py
    retries three times with back-off by default: seconds per request), the breaker."""
    return {
        "IGNORE_EXCEPTIONS": True,
        "SOCKET_CONNECT_TIMEOUT": connect_timeout,
        "SOCKET_TIMEOUT": timeout,
        "CONNECTION_POOL_KWARGS": {
            "connection_class": BreakerConnection,
            "retry": Retry(NoBackoff(), 0),
        },
    }
