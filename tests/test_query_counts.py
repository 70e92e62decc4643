"""Listings cost the same number of SQL queries however many releases a page shows.

Each listing is requested once to warm what a running site keeps warm (site root paths), then
counted at two page sizes; every release has 5 paragraphs, 2 quotes, 3 photos, 2 topics and
2 tags.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.generate import releases_generate
from tests.factories import TopicFactory

# What a page costs (constant in its page size): the site, the locale of the request's language
# (the versions' i18n routing), the page and its ancestors, aliases, view restrictions, the
# list, its count, topics and tags, the years and topics menus, the office settings (twice:
# the page and the footer's parts), the accessibility statement's site and page, and whether a
# view restriction covers the page for the edge cache.
MAX_QUERIES = 19
# A release page: the site, the request's locale, the page and its ancestors, view
# restrictions, the release's locale (its versions), the stored document, its topics, the
# related releases (one statement), the settings, the contact, the next scheduled change for
# the edge cache, and the footer's accessibility statement.
RELEASE_PAGE_QUERIES = 21


def queries_for(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


@pytest.fixture
def archive(newsroom, settings):
    cache.clear()  # no renditions or site paths from an earlier test
    settings.PRESS = {**settings.PRESS, "PAGE_SIZE": 10, "FEED_SIZE": 50}
    releases_generate(parent=newsroom, count=50, photos=3, seed=7, publish=True)
    releases_topics_add(newsroom=newsroom)
    return newsroom


def releases_topics_add(*, newsroom) -> None:
    """Two of three topics and two tags on each release, stored in their documents."""
    from taggit.models import Tag

    from press.models import PressReleasePage, ReleaseTag
    from press.publishing.documents import releases_documents_store

    topics = [
        TopicFactory(name=name, slug=name.lower()) for name in ("Verkehr", "Umwelt", "Kultur")
    ]
    tags = [Tag.objects.create(name=name, slug=name.lower()) for name in ("Rhein", "Radverkehr")]
    releases = list(PressReleasePage.objects.child_of(newsroom).order_by("pk"))
    through = PressReleasePage.topics.through
    through.objects.bulk_create(
        through(pressreleasepage_id=release.pk, topic_id=topics[(n + k) % 3].pk)
        for n, release in enumerate(releases)
        for k in (0, 1)
    )
    ReleaseTag.objects.bulk_create(
        ReleaseTag(content_object_id=release.pk, tag=tag) for release in releases for tag in tags
    )
    releases_documents_store(
        releases=PressReleasePage.objects.child_of(newsroom).select_related("contact")
    )


def test_newsroom_page_queries_do_not_grow_with_its_page_size(client, archive, settings):
    small = queries_for(client, archive.url)
    settings.PRESS = {**settings.PRESS, "PAGE_SIZE": 50}
    large = queries_for(client, archive.url)
    assert small == large <= MAX_QUERIES


def test_feed_queries_do_not_grow_with_its_items(client, archive, settings):
    settings.PRESS = {**settings.PRESS, "FEED_SIZE": 10}
    small = queries_for(client, archive.url + "rss/")
    settings.PRESS = {**settings.PRESS, "FEED_SIZE": 50}
    response = client.get(archive.url + "rss/")
    assert response.content.count(b"<item>") == 50
    assert response.content.count(b"<enclosure ") == 50
    large = queries_for(client, archive.url + "rss/")
    assert small == large <= MAX_QUERIES


@pytest.mark.parametrize(
    "listing",
    [
        "/api/press/releases?limit={size}",
        "/api/v2/pages/?type=press.PressReleasePage&fields=*&limit={size}",
        "/api/press/releases?topic=verkehr&topic=umwelt&tag=rhein&limit={size}",
        "/api/v2/pages/?type=press.PressReleasePage&fields=*&topic=verkehr&topic=umwelt&tag=rhein&limit={size}",
    ],
)
def test_api_listings_of_full_releases_cost_the_same_queries_at_10_and_50(client, archive, listing):
    small = queries_for(client, listing.format(size=10))
    response = client.get(listing.format(size=50))
    data = response.json()
    releases = data.get("results") or data.get("items")
    assert len(releases) == 50
    photos = [block for block in releases[0]["body"] if block["type"] == "image"]
    assert len(photos) == 3 and photos[0]["value"]["image"]["renditions"]
    assert len(releases[0]["topics"]) == 2 and len(releases[0]["tags"]) == 2
    large = queries_for(client, listing.format(size=50))
    assert small == large <= MAX_QUERIES


@pytest.mark.parametrize(
    "url",
    [
        "/api/press/releases?limit=50",
        "/api/press/releases?limit=10&offset=10&date_from=2000-01-01",
        "/api/press/releases/{pk}",
        "/api/press/releases?limit=10&tag=rhein&tag=radverkehr",
        "/api/press/releases?limit=10&topic=verkehr&topic=kultur",
    ],
)
def test_the_press_api_answers_in_three_queries_site_documents_count_or_versions(
    client, archive, url
):
    """The site, one statement for visibility and the documents (no release objects made, no
    separate query for view restrictions), and the count for a list; a topic filter adds one
    query for the topics' slugs, a tag filter none (each is a subquery of that statement); one
    release adds the statement for its versions in other languages."""
    from press.models import PressReleasePage

    url = url.format(pk=PressReleasePage.objects.visible().first().pk)
    expected = 3 if "?" not in url else 4 if "topic=" in url else 3
    assert queries_for(client, url) <= expected


def test_a_site_without_versions_pays_no_query_for_them(client, archive, settings):
    """Without Wagtail's internationalisation there are no versions: one release is the site
    and the document again, and names no translations."""
    from press.models import PressReleasePage

    settings.WAGTAIL_I18N_ENABLED = False
    url = f"/api/press/releases/{PressReleasePage.objects.visible().first().pk}"
    assert queries_for(client, url) <= 2
    assert client.get(url).json()["translations"] == []


def test_rebuilding_documents_costs_the_same_queries_for_10_and_50_releases(archive):
    """A rebuild (a renamed topic, an edited contact) reads topics, tags and corrections of a
    whole batch at once, not per release."""
    from press.models import PressReleasePage
    from press.publishing.documents import releases_documents_store

    def rebuild(count: int) -> int:
        releases = PressReleasePage.objects.child_of(archive).select_related("contact")
        with CaptureQueriesContext(connection) as context:
            assert releases_documents_store(releases=releases.order_by("pk")[:count]) == count
        return len(context.captured_queries)

    rebuild(50)  # the site's root paths, as a running worker has them
    assert rebuild(10) == rebuild(50)


def test_a_release_page_with_related_releases_costs_the_same_queries(client, archive):
    """Related releases, chosen and sharing a topic, of the request's site only: one statement
    however many there are (the site is the one Wagtail's serving found)."""
    import re

    from press.models import PressReleasePage, ReleaseRelation

    release, *others = PressReleasePage.objects.visible()[:3]
    ReleaseRelation.objects.create(release=release, related=others[1], sort_order=0)
    page = client.get(release.url).content.decode()
    section = re.search(r'<section class="release__related".*?</section>', page, re.S).group(0)
    assert section.count("<li>") == 3 and others[1].title in section
    assert queries_for(client, release.url) <= RELEASE_PAGE_QUERIES


@pytest.mark.parametrize("route", ["text/", "pdf/", "presskit/"])
def test_release_downloads_ask_for_view_restrictions_once(client, archive, route):
    """Wagtail's serving checks the view restrictions; the route reuses that answer to choose
    public or private caching instead of running the visibility query again."""
    from press.models import PressReleasePage

    release = PressReleasePage.objects.visible().first()
    url = release.url + route
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and response["ETag"]
    restriction_queries = [
        query["sql"]
        for query in context.captured_queries
        if "wagtailcore_pageviewrestriction" in query["sql"]
    ]
    assert len(restriction_queries) == 1, restriction_queries


@pytest.mark.parametrize("route", ["text/", "pdf/", "presskit/"])
def test_release_downloads_behind_a_password_stay_private(client, archive, route):
    from django.urls import reverse
    from wagtail.models import PageViewRestriction

    from press.models import PressReleasePage

    release = PressReleasePage.objects.visible().first()
    restriction = PageViewRestriction.objects.create(
        page=archive, restriction_type="password", password="geheim"
    )
    assert client.get(release.url + route).status_code == 200  # the password form
    client.post(
        reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, archive.pk]),
        {"password": "geheim", "return_url": release.url},
    )
    response = client.get(release.url + route)
    assert response.status_code == 200
    assert response["Content-Type"] != "text/html; charset=utf-8"  # the file, not the form
    assert "public" not in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "ETag" not in response
