"""The sending task, on the backend PRESS["MAIL_TASK_BACKEND"] names (checked by press.E004).

A worker backend gets a new task for the next retry, run when it is due; the immediate
backend (tests, a host without a worker) waits the short MAIL_INLINE_BACKOFF pauses
inside the run.
"""

import logging
import time

from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from ..models import PressReleasePage
from .conf import mailings_setting
from .kinds import mailing_kinds
from .models import Delivery, Mailing
from .sending import claim_stale_before, mailing_send

logger = logging.getLogger("press.mailings")


@task()
def mailing_deliver(*, mailing_id: int) -> bool:
    """Send a mailing; True when nothing is left to send. Re-running it is always safe."""
    deferred = mailing_task().get_backend().supports_defer
    while True:
        retry_at = mailing_send(mailing_id=mailing_id, deferred=deferred)
        if retry_at is None:
            return True
        if deferred:
            mailing_task(run_after=retry_at).enqueue(mailing_id=mailing_id)
            return False
        time.sleep(max(0.0, (retry_at - timezone.now()).total_seconds()))


def mailing_task(**options):
    return mailing_deliver.using(backend=mailings_setting("MAIL_TASK_BACKEND"), **options)


def mailing_enqueue(*, mailing_id: int) -> None:
    mailing_task().enqueue(mailing_id=mailing_id)


def mailings_resume() -> list[int]:
    """Queue again the mailings of public releases that a dead worker left half sent:
        deliveries due (pending) or claimed longer ago than PRESS["MAIL_CLAIM_SECONDS"] (or no
        deliveries yet), and neither a fresher claim nor a mail sent since (nobody is at it). The
        queue keeps the task of a worker killed mid-run as running for ever; without this the rest
        would wait for the next publication. Queuing one twice is harmless: the claims make the
        second run send nothing the first sends. A release taken offline stays stopped (an
    embargo mailing, sent before its release is public, resumes)."""
    now = timezone.now()
    stale = claim_stale_before(now=now)
    due = Q(state=Delivery.PENDING) & (Q(not_before__isnull=True) | Q(not_before__lte=now))
    stalled = Delivery.objects.filter(due | Q(state=Delivery.SENDING, claimed_at__lt=stale))
    busy = Delivery.objects.filter(
        Q(state=Delivery.SENDING, claimed_at__gte=stale) | Q(sent_at__gte=stale)
    )
    # A mailing whose recipients were never fixed: its worker died before it fixed them
    # (that transaction rolled back), or it waits behind others in the queue (queued twice).
    unfixed = Q(recipients_fixed_at__isnull=True, created_at__lt=stale)
    mailing_ids = list(
        Mailing.objects.filter(Q(pk__in=stalled.values("mailing_id")) | unfixed)
        # An embargo notice goes out before its release is public (that is its point).
        .filter(
            Q(release__in=PressReleasePage.objects.visible())
            | Q(kind__in=[kind.name for kind in mailing_kinds() if kind.before_public])
        )
        .exclude(pk__in=busy.values("mailing_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for mailing_id in mailing_ids:
        mailing_enqueue(mailing_id=mailing_id)
    return mailing_ids
