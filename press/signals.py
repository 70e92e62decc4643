"""When a release goes live, goes offline or is deleted: purge caches and call webhooks.

Covers the editor's publish/unpublish/delete and `publish_scheduled` (a scheduled release going
live publishes its revision → page_published; an expiring one is unpublished → page_unpublished).
Everything is worked out while the release is still at hand (a deleted one is gone afterwards)
and sent once the transaction commits, so nothing is announced that is then rolled back, and a
failure is logged instead of raising into the editor's request.
"""

import contextlib
import functools
import logging
import uuid

from django.db import transaction
from django.db.models.signals import post_delete
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from wagtail.contrib.frontend_cache.utils import get_backends, purge_urls_from_cache
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from .conf import base_url
from .selectors import release_is_visible
from .tasks import webhook_deliver
from .webhooks import (
    RELEASE_DELETED,
    RELEASE_PUBLISHED,
    RELEASE_UNPUBLISHED,
    webhook_body,
    webhook_endpoints,
    webhook_payload,
)

logger = logging.getLogger("press.signals")

# The typed press API (a fixed point of the site); its list and detail are cached like pages.
PRESS_API_RELEASES = "/api/press/releases"


def release_cached_urls(*, release, include_page: bool) -> list[str]:
    """Every address a cache may hold that shows this release or lists it.

    Wagtail's own frontend-cache handlers already purge the page itself on publish and
    unpublish (`include_page=False` then); on delete nothing else does.
    """
    urls = []
    page_url = release.get_full_url()
    if page_url:
        if include_page:
            urls.append(page_url)
        urls.append(f"{page_url}text/")
    try:
        newsroom = release.get_parent()
    except Page.DoesNotExist:  # deleted together with its newsroom
        newsroom = None
    newsroom_url = newsroom.get_full_url() if newsroom else None
    if newsroom_url:
        urls += [newsroom_url, f"{newsroom_url}rss/"]
    site = release.get_site()
    roots = {base_url()}
    if site is not None:
        roots.add(site.root_url.rstrip("/"))
        urls.append(f"{site.root_url.rstrip('/')}/")  # the home page lists the latest releases
    api_paths = [PRESS_API_RELEASES, f"{PRESS_API_RELEASES}/{release.pk}", "/sitemap.xml"]
    with contextlib.suppress(NoReverseMatch):  # a host site without API v2
        api_paths += [
            reverse("wagtailapi:pages:listing"),
            reverse("wagtailapi:pages:detail", args=[release.pk]),
        ]
    for root in sorted(root for root in roots if root):
        urls += [f"{root}{path}" for path in api_paths]
    return list(dict.fromkeys(urls))


def release_change_notify(*, release, event: str, include_page: bool) -> None:
    """Purge and webhooks for one change, sent after the transaction commits."""
    purge_urls = (
        release_cached_urls(release=release, include_page=include_page) if get_backends() else []
    )
    endpoints = webhook_endpoints()
    body = None
    if endpoints:
        payload = webhook_payload(event=event, release=release, occurred_at=timezone.now())
        body = webhook_body(payload=payload)

    def send():
        if purge_urls:
            purge_urls_from_cache(purge_urls)
        for endpoint in endpoints:
            webhook_deliver.enqueue(
                url=endpoint["url"], event=event, body=body, delivery_id=uuid.uuid4().hex
            )

    if purge_urls or endpoints:
        transaction.on_commit(send, robust=True)


def _guarded(handler):
    # A notification must never stop a publish, unpublish or delete.
    @functools.wraps(handler)
    def wrapper(*args, **kwargs):
        try:
            handler(*args, **kwargs)
        except Exception:
            logger.exception("Benachrichtigung über eine Pressemitteilung gescheitert")

    return wrapper


@_guarded
def release_published(sender, instance, **kwargs):
    # Publishing with a future go-live date only schedules (the release stays offline);
    # publish_scheduled publishes it again when the time comes, and that is announced.
    # A release behind a view restriction is not public, so it is not announced either.
    if instance.live and release_is_visible(instance):
        release_change_notify(release=instance, event=RELEASE_PUBLISHED, include_page=False)


@_guarded
def release_unpublished(sender, instance, **kwargs):
    # Wagtail unpublishes a live page without saving right before deleting it; that page is
    # announced once, as deleted, by release_deleted.
    if type(instance).objects.filter(pk=instance.pk, live=True).exists():
        return
    release_change_notify(release=instance, event=RELEASE_UNPUBLISHED, include_page=False)


@_guarded
def release_deleted(sender, instance, **kwargs):
    # A draft that never went live (or already went offline) was never announced.
    if instance.live:
        release_change_notify(release=instance, event=RELEASE_DELETED, include_page=True)


def release_signals_connect() -> None:
    from .models import PressReleasePage

    page_published.connect(
        release_published, sender=PressReleasePage, dispatch_uid="press.release_published"
    )
    page_unpublished.connect(
        release_unpublished, sender=PressReleasePage, dispatch_uid="press.release_unpublished"
    )
    post_delete.connect(
        release_deleted, sender=PressReleasePage, dispatch_uid="press.release_deleted"
    )
