"""Background work of the plugin, on Django's task framework (django_tasks, as Wagtail 8 ships it)."""

import datetime
import logging
import time

from django.utils import timezone
from django_tasks import task

from .conf import press_setting
from .webhooks import webhook_attempt, webhook_backoff, webhook_secret_for

logger = logging.getLogger("press.webhooks")


@task(backend="webhooks")
def webhook_deliver(*, url: str, event: str, body: str, delivery_id: str, attempt: int = 1) -> bool:
    """Send one delivery to one endpoint, retrying with exponential back-off.

    A backend that can defer tasks (a worker) gets a new task per retry, run after
    PRESS["WEBHOOK_BACKOFF"] · 2ⁿ seconds. The immediate backend runs tasks inside the request
    that published, so there the retries stay in this run with the short
    PRESS["WEBHOOK_INLINE_BACKOFF"] pauses. Never raises: a failed delivery is logged.
    """
    secret = webhook_secret_for(url=url)
    if secret is None:
        logger.error("Webhook %s ist nicht mehr eingerichtet; %s verworfen.", url, delivery_id)
        return False
    attempts = press_setting("WEBHOOK_ATTEMPTS")
    deferred = webhook_deliver.get_backend().supports_defer
    while True:
        try:
            delivered = webhook_attempt(
                url=url, secret=secret, body=body, event=event, delivery_id=delivery_id
            )
        except Exception:
            logger.exception("Webhook %s an %s: Versuch %s gescheitert", delivery_id, url, attempt)
            delivered = False
        if delivered:
            return True
        if attempt >= attempts:
            logger.error(
                "Webhook %s %s an %s nach %s Versuchen aufgegeben.",
                event,
                delivery_id,
                url,
                attempt,
            )
            return False
        if deferred:
            delay = webhook_backoff(attempt=attempt, base=press_setting("WEBHOOK_BACKOFF"))
            webhook_deliver.using(
                run_after=timezone.now() + datetime.timedelta(seconds=delay)
            ).enqueue(url=url, event=event, body=body, delivery_id=delivery_id, attempt=attempt + 1)
            return False
        time.sleep(webhook_backoff(attempt=attempt, base=press_setting("WEBHOOK_INLINE_BACKOFF")))
        attempt += 1
