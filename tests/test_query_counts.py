"""Listings cost the same number of SQL queries however many releases a page shows.

Each listing is requested once to warm what a running site keeps warm (site root paths), then
counted at two page sizes; every release has 5 paragraphs, 2 quotes and 3 photos.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.generate import releases_generate

MAX_QUERIES = 15


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
    return newsroom


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
    large = queries_for(client, listing.format(size=50))
    assert small == large <= MAX_QUERIES


@pytest.mark.parametrize(
    "url",
    [
        "/api/press/releases?limit=50",
        "/api/press/releases?limit=10&offset=10&date_from=2000-01-01",
        "/api/press/releases/{pk}",
    ],
)
def test_the_press_api_answers_in_three_queries_site_documents_count(client, archive, url):
    """The site, one statement for visibility and the documents (no release objects made, no
    separate query for view restrictions), and the count for a list."""
    from press.models import PressReleasePage

    url = url.format(pk=PressReleasePage.objects.visible().first().pk)
    assert queries_for(client, url) <= (3 if "?" in url else 2)


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
