"""When a release goes live, goes offline or is deleted: purge caches, call webhooks and
announce it (press.signals) to whoever listens (the e-mail subscriptions and distribution
lists do).

Covers the editor's publish/unpublish/delete and `publish_scheduled` (a scheduled release going
live publishes its revision → page_published; an expiring one is unpublished → page_unpublished).
Everything is worked out while the release is still at hand (a deleted one is gone afterwards)
and sent once the transaction commits, so nothing is announced that is then rolled back, and a
failure is logged instead of raising into the editor's request.
"""

import functools
import logging
import uuid

from django.db import transaction
from django.db.models.signals import post_delete, pre_delete
from django.utils import timezone
from wagtail.contrib.frontend_cache.utils import get_backends
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from ..models import PressReleasePage
from ..models.embargo import embargo_photo_ids
from ..models.renditions import image_ids_in, photos_renditions_withdraw
from ..signals import release_published as release_published_signal
from ..signals import release_withdrawn
from .edge import release_tags, tag_backends
from .purge import release_purge_batch
from .tasks import webhook_deliver_enqueue
from .webhooks import (
    RELEASE_DELETED,
    RELEASE_PUBLISHED,
    RELEASE_UNPUBLISHED,
    webhook_body,
    webhook_endpoints,
    webhook_payload,
)

logger = logging.getLogger(__name__)


def release_change_notify(*, release, event: str) -> None:
    """Purge and webhooks for one change, sent after the transaction commits. Without a
    frontend cache (WAGTAILFRONTENDCACHE empty) nothing is purged; without endpoints nothing
    is sent or queued. A cache that purges by tag (Varnish with xkey) gets the tags alone:
    every answer it keeps is tagged, and each purge of an address already dropped by the
    tags would only make it fetch that address again."""
    address_backends = [
        name for name, backend in get_backends().items() if not hasattr(backend, "purge_tags")
    ]
    purge = release_purge_batch(release=release) if address_backends else None
    # Worked out now: a deleted release has no parent afterwards.
    tags = None
    if tag_backends():
        try:
            parent_id = release.get_parent().pk
        except (Page.DoesNotExist, AttributeError):  # deleted together with its newsroom
            parent_id = None
        tags = release_tags(
            release_id=release.pk, parent_id=parent_id, translation_key=release.translation_key
        )
    endpoints = webhook_endpoints()
    body = None
    if endpoints:
        payload = webhook_payload(event=event, release=release, occurred_at=timezone.now())
        body = webhook_body(payload=payload)

    def send():
        if purge is not None:
            purge.purge(backends=address_backends)
        if tags:
            for backend in tag_backends():
                backend.purge_tags(sorted(set(tags)))
        for endpoint in endpoints:
            webhook_deliver_enqueue(
                url=endpoint["url"], event=event, body=body, delivery_id=uuid.uuid4().hex
            )

    if purge is not None or tags or endpoints:
        transaction.on_commit(send, robust=True)


def _guarded(handler):
    # A notification must never stop a publish, unpublish or delete.
    @functools.wraps(handler)
    def wrapper(*args, **kwargs):
        try:
            handler(*args, **kwargs)
        except Exception:
            logger.exception("Notifying about a press release failed")

    return wrapper


@_guarded
def release_published(sender, instance, **kwargs):
    # Publishing with a future go-live date only schedules (the release stays offline);
    # publish_scheduled publishes it again when the time comes, and that is announced.
    # A release behind a view restriction is not public, so it is not announced either.
    if instance.live and instance.is_visible():
        release_change_notify(release=instance, event=RELEASE_PUBLISHED)


def release_announce(signal, **kwargs) -> None:
    """Send one of press.signals; a receiver that fails is logged, the others still run."""
    for receiver, result in signal.send_robust(sender=PressReleasePage, **kwargs):
        if isinstance(result, Exception):
            logger.error(
                "A receiver of a press release announcement failed: %r",
                receiver,
                exc_info=result,
            )


@_guarded
def release_published_announce(sender, instance, **kwargs):
    # Separate from the notification, so neither failing stops the other.
    if instance.live and instance.is_visible():
        release_announce(release_published_signal, release=instance)


@_guarded
def release_unpublished(sender, instance, **kwargs):
    # Wagtail unpublishes a live page without saving right before deleting it; that page is
    # announced once, as deleted, by release_deleted.
    if type(instance).objects.filter(pk=instance.pk, live=True).exists():
        return
    release_change_notify(release=instance, event=RELEASE_UNPUBLISHED)
    release_announce(release_withdrawn, release=instance, deleted=False)


@_guarded
def release_deleted(sender, instance, **kwargs):
    # A draft that never went live (or already went offline) was never announced.
    if instance.live:
        release_change_notify(release=instance, event=RELEASE_DELETED)
        release_announce(release_withdrawn, release=instance, deleted=True)


@_guarded
def release_photos_withdraw(sender, instance, **kwargs):
    """A release unpublished or being deleted: the renditions of its photos (the live version,
    and the scheduled or latest draft an embargo link may have shown) leave the public storage
    once the change is committed, unless a visible page still shows the photo. The photos are
    read now, while the release and its revisions are still there."""
    image_ids = image_ids_in(instance.body) | embargo_photo_ids(release=instance)
    if image_ids:
        transaction.on_commit(lambda: photos_renditions_withdraw(image_ids=image_ids), robust=True)


def release_signals_connect() -> None:
    page_unpublished.connect(
        release_photos_withdraw,
        sender=PressReleasePage,
        dispatch_uid="press.release_photos_withdraw.unpublished",
    )
    pre_delete.connect(
        release_photos_withdraw,
        sender=PressReleasePage,
        dispatch_uid="press.release_photos_withdraw.deleted",
    )
    page_published.connect(
        release_published, sender=PressReleasePage, dispatch_uid="press.release_published"
    )
    page_published.connect(
        release_published_announce,
        sender=PressReleasePage,
        dispatch_uid="press.release_published_announce",
    )
    page_unpublished.connect(
        release_unpublished, sender=PressReleasePage, dispatch_uid="press.release_unpublished"
    )
    post_delete.connect(
        release_deleted, sender=PressReleasePage, dispatch_uid="press.release_deleted"
    )
