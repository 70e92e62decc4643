"""What a frontend cache or CDN must forget when a release changes.

The pages come with their own cached paths (`get_cached_paths`: the release with its text
version, the newsroom with its feed); the API and sitemap addresses are `reverse()`d from
where the host mounted them, so nothing here assumes a path.
"""

import contextlib

from django.urls import NoReverseMatch, reverse
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.models import Page, PageLogEntry, Revision

from ..addresses import base_url
from ..conf import press_setting
from ..models import Topic
from ..sitemaps import news_sitemap


def release_purge_batch(*, release) -> PurgeBatch:
    """Every address a cache may hold that shows this release or lists it.

    The page itself too: Wagtail's own frontend-cache handlers purge it the moment it is
    published or unpublished, before the change is committed, so a reader in between can put
    the old page back; this batch is sent once the change is committed (and on delete,
    nothing else purges it after the fact).
    """
    batch = PurgeBatch()
    batch.add_page(release)
    try:
        newsroom = release.get_parent()
    except Page.DoesNotExist:  # deleted together with its newsroom
        newsroom = None
    if newsroom is not None:
        newsroom = newsroom.specific
        batch.add_page(newsroom)
        if hasattr(newsroom, "topic_cached_paths"):
            newsroom_url = newsroom.get_full_url()
            for topic in release_topics_purged(release=release):
                batch.add_urls(
                    newsroom_url + path for path in newsroom.topic_cached_paths(topic=topic)
                )
    site = release.get_site()
    if site is not None:
        batch.add_page(site.root_page)  # a home page lists the latest releases
    root = site.root_url.rstrip("/") if site is not None else base_url()
    if root:
        batch.add_urls(root + path for path in release_api_paths(release=release))
    return batch


def release_topics_purged(*, release) -> list:
    """The topics whose pages and feeds list or listed the release: its topics now (the live
    row's, as published, or as they were when it went offline) and those of the revision
    published before, from which a changed publication may have removed it."""
    ids = {topic.pk for topic in release.topics.all()} if release.pk else set()
    published = (
        PageLogEntry.objects.filter(page_id=release.pk, action="wagtail.publish")
        .exclude(revision__isnull=True)
        .order_by("-timestamp", "-pk")
        .values_list("revision_id", flat=True)[:2]
    )
    for content in Revision.objects.filter(pk__in=list(published)).values_list(
        "content", flat=True
    ):
        ids.update(pk for pk in (content or {}).get("topics", []) if isinstance(pk, int))
    return list(Topic.objects.filter(pk__in=ids))


def release_api_paths(*, release) -> list[str]:
    """The host's API and sitemap addresses that carry the release, wherever they are mounted."""
    paths = []
    with contextlib.suppress(NoReverseMatch):  # a host without the press API
        paths += [
            reverse("press_api:releases_list"),
            reverse("press_api:releases_detail", kwargs={"id": release.pk}),
            reverse("press_api:releases_ninjs", kwargs={"id": release.pk}),
        ]
    namespace = press_setting("API_V2_NAMESPACE")
    if namespace:
        with contextlib.suppress(NoReverseMatch):  # a host without API v2
            paths += [
                reverse(f"{namespace}:pages:listing"),
                reverse(f"{namespace}:pages:detail", args=[release.pk]),
            ]
    for view in (sitemap, news_sitemap):  # a host may mount either, both or none
        with contextlib.suppress(NoReverseMatch):
            paths.append(reverse(view))
    return paths
