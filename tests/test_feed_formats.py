"""Atom 1.0, JSON Feed 1.1 and the Google News sitemap beside RSS: what news desks and feed
readers ingest, linked from the newsroom, with visible releases only and any text an editor
can type."""

import datetime
import json
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from press.models import PressReleasePage, PressSettings
from tests.factories import (
    ImageFactory,
    PressContactFactory,
    PressReleasePageFactory,
    body_image,
    body_paragraph,
)
from tests.test_feeds import hidden_releases

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture
def published(newsroom):
    photo = ImageFactory(title="Hafen")
    release = PressReleasePageFactory(
        parent=newsroom,
        title="Masterplan Industrie",
        slug="masterplan-industrie",
        lead="Die Stadt legt ihren Plan vor.",
        contact=PressContactFactory(name="Michael Bergmann", email="presse@duesseldorf.de"),
        body=[body_paragraph("<p>Im Rathaus tagte der Steuerungskreis.</p>"), body_image(photo)],
    )
    release.save_revision().publish()
    release.refresh_from_db()
    hidden_releases(newsroom)
    return release


def test_the_newsroom_links_its_three_feeds_and_each_answers(client, newsroom, published):
    html = client.get(newsroom.url).content.decode()
    for media_type, route in [
        ("application/rss+xml", "rss/"),
        ("application/atom+xml", "atom/"),
        ("application/feed+json", "json/"),
    ]:
        assert f'rel="alternate" type="{media_type}"' in html
        assert f'href="{newsroom.url}{route}"' in html
        response = client.get(f"{newsroom.url}{route}")
        assert response.status_code == 200
        assert response["Content-Type"].startswith(media_type)


def test_atom_feed_lists_visible_releases_with_their_dates_and_photo(client, newsroom, published):
    response = client.get(f"{newsroom.url}atom/")
    feed = ET.fromstring(response.content)

    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}title") == "Pressedienst – Landeshauptstadt Düsseldorf"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"{newsroom.full_url}atom/"
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Masterplan Industrie"]
    entry = entries[0]
    assert entry.find(f"{ATOM}link[@rel='alternate']").get("href") == published.full_url
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Michael Bergmann"
    updated = datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))
    assert abs(updated - published.last_published_at) < datetime.timedelta(seconds=1)
    enclosure = entry.find(f"{ATOM}link[@rel='enclosure']")
    assert enclosure.get("type") == "image/jpeg"
    assert client.get(enclosure.get("href").removeprefix("http://testserver")).status_code == 200


def test_json_feed_is_version_1_1_with_the_same_items(client, newsroom, published):
    feed = client.get(f"{newsroom.url}json/").json()

    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "Pressedienst – Landeshauptstadt Düsseldorf"
    assert feed["feed_url"] == f"{newsroom.full_url}json/"
    assert feed["home_page_url"] == newsroom.full_url
    assert feed["language"] == "de"
    (item,) = feed["items"]
    assert item["id"] == item["url"] == published.full_url
    assert item["title"] == "Masterplan Industrie"
    assert "Die Stadt legt ihren Plan vor." in item["content_text"]
    assert item["authors"] == [{"name": "Michael Bergmann"}]
    published_at = datetime.datetime.fromisoformat(item["date_published"])
    assert abs(published_at - published.first_published_at) < datetime.timedelta(seconds=1)
    (attachment,) = item["attachments"]
    assert attachment["mime_type"] == "image/jpeg" and attachment["size_in_bytes"] > 0
    assert item["image"] == attachment["url"]


def test_feeds_and_news_sitemap_survive_control_characters(client, newsroom):
    office = PressSettings.for_site(newsroom.get_site())
    office.service_name = "Presse\x0bdienst"
    office.save()
    release = PressReleasePageFactory(
        parent=newsroom,
        title="Masterplan Industrie",
        body=[body_paragraph("<p>Im Rathaus\x01 tagte der Steuerungskreis.</p>")],
    )
    release.save_revision().publish()
    # The editor's forms refuse such a title; one stored before, or written past them, still
    # must not break a feed.
    type(release).objects.filter(pk=release.pk).update(title="Masterplan\x0b Industrie\x1b")

    atom = ET.fromstring(client.get(f"{newsroom.url}atom/").content)
    assert atom.find(f"{ATOM}entry").findtext(f"{ATOM}title") == "Masterplan Industrie"
    feed = json.loads(client.get(f"{newsroom.url}json/").content)
    assert feed["items"][0]["title"] == "Masterplan Industrie"  # as in RSS and Atom
    news = ET.fromstring(client.get("/sitemap-news.xml").content)
    assert news.find(f".//{NEWS}title").text == "Masterplan Industrie"
    assert news.find(f".//{NEWS}name").text == "Pressedienst"


def test_news_sitemap_lists_the_last_two_days_releases_only(client, newsroom, published):
    old = PressReleasePageFactory(
        parent=newsroom,
        title="Alte Meldung",
        slug="alte-meldung",
        release_date=datetime.date(2023, 1, 5),
    )
    old.save_revision().publish()
    PressReleasePage.objects.filter(pk=old.pk).update(
        first_published_at=timezone.now() - datetime.timedelta(days=3)
    )

    response = client.get("/sitemap-news.xml")

    assert response.status_code == 200
    urlset = ET.fromstring(response.content)
    urls = urlset.findall(f"{SITEMAP}url")
    assert [url.findtext(f"{SITEMAP}loc") for url in urls] == [published.full_url]
    news = urls[0].find(f"{NEWS}news")
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Pressedienst"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "de"
    assert news.findtext(f"{NEWS}title") == "Masterplan Industrie"
    moment = datetime.datetime.fromisoformat(news.findtext(f"{NEWS}publication_date"))
    assert abs(moment - published.first_published_at) < datetime.timedelta(seconds=1)
