"""Background work of the plugin, on Django's task framework (django_tasks, as Wagtail 8 ships it).

Deliveries run on the backend named by PRESS["WEBHOOK_TASK_BACKEND"] (an alias of TASKS,
"default" unless the host gives webhooks a worker queue of their own)."""

import datetime
import logging
import time

from django.utils import timezone
from django_tasks import task

from ..conf import press_setting
from .webhooks import webhook_attempt, webhook_backoff, webhook_secret_for

logger = logging.getLogger("press.webhooks")

# Seconds before retry n are BACKOFF * 2**(n-1): a worker that can defer waits the long one
# between runs; a backend that runs tasks inline (inside the editor's request) the short one.
WEBHOOK_BACKOFF = 30
WEBHOOK_INLINE_BACKOFF = 0.25


@task()
def webhook_deliver(*, url: str, event: str, body: str, delivery_id: str, attempt: int = 1) -> bool:
    """Send one delivery to one endpoint, retrying with exponential back-off.

    A backend that can defer tasks (a worker) gets a new task per retry, run after
    WEBHOOK_BACKOFF · 2ⁿ seconds. The immediate backend runs tasks inside the request
    that published, so there the retries stay in this run with the short
    WEBHOOK_INLINE_BACKOFF pauses. Never raises: a failed delivery is logged.
    """
    secret = webhook_secret_for(url=url)
    if secret is None:
        logger.error("Webhook %s is no longer configured; %s dropped.", url, delivery_id)
        return False
    attempts = press_setting("WEBHOOK_ATTEMPTS")
    deferred = webhook_task().get_backend().supports_defer
    while True:
        try:
            delivered = webhook_attempt(
                url=url, secret=secret, body=body, event=event, delivery_id=delivery_id
            )
        except Exception:
            logger.exception("Webhook %s to %s: attempt %s failed", delivery_id, url, attempt)
            delivered = False
        if delivered:
            return True
        if attempt >= attempts:
            logger.error(
                "Webhook %s %s to %s given up after %s attempts.",
                event,
                delivery_id,
                url,
                attempt,
            )
            return False
        if deferred:
            delay = webhook_backoff(attempt=attempt, base=WEBHOOK_BACKOFF)
            webhook_task(run_after=timezone.now() + datetime.timedelta(seconds=delay)).enqueue(
                url=url, event=event, body=body, delivery_id=delivery_id, attempt=attempt + 1
            )
            return False
        time.sleep(webhook_backoff(attempt=attempt, base=WEBHOOK_INLINE_BACKOFF))
        attempt += 1


def webhook_task(**options):
    """The delivery task on the configured backend (checked at start-up by press.checks)."""
    return webhook_deliver.using(backend=press_setting("WEBHOOK_TASK_BACKEND"), **options)


def webhook_deliver_enqueue(**kwargs) -> None:
    webhook_task().enqueue(**kwargs)
