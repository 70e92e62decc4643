"""The newsroom's RSS feed and /sitemap.xml: valid XML, visible releases only."""

import datetime
import email.utils
import xml.etree.ElementTree as ET

from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from press.models import PressReleasePage, PressSettings
from tests.factories import (
    ImageFactory,
    PressContactFactory,
    PressIndexPageFactory,
    PressReleasePageFactory,
    body_image,
    body_paragraph,
    original_path,
)

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
ATOM_NS = "{http://www.w3.org/2005/Atom}"


def hidden_releases(newsroom) -> list[PressReleasePage]:
    """A draft, a password-protected and an expired release: none may appear anywhere public."""
    draft = PressReleasePageFactory(parent=newsroom, title="Entwurf", slug="entwurf")
    draft.unpublish()
    private = PressReleasePageFactory(parent=newsroom, title="Geschützt", slug="geschuetzt")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    expired = PressReleasePageFactory(parent=newsroom, title="Abgelaufen", slug="abgelaufen")
    # Expired but still flagged live: the selector's expired=False is what keeps it out.
    PressReleasePage.objects.filter(pk=expired.pk).update(expired=True)
    return [draft, private, expired]


def feed_of(client, newsroom) -> ET.Element:
    response = client.get(f"{newsroom.url}rss/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(response.content).find("channel")


# RSS


def test_feed_is_valid_rss_describing_the_newsroom(client, newsroom):
    channel = feed_of(client, newsroom)

    assert channel.findtext("title") == "Pressedienst – Landeshauptstadt Düsseldorf"
    assert channel.findtext("link") == newsroom.full_url
    assert channel.findtext("language") == "de"
    assert channel.find(f"{ATOM_NS}link").get("href") == f"{newsroom.full_url}rss/"


def test_feed_items_are_visible_releases_newest_first(client, newsroom):
    for day, title in [(3, "Mitte"), (9, "Neueste"), (1, "Älteste")]:
        PressReleasePageFactory(
            parent=newsroom, title=title, release_date=datetime.date(2023, 5, day)
        )
    hidden_releases(newsroom)
    other_newsroom = PressIndexPageFactory(parent=newsroom.get_parent(), slug="archiv")
    PressReleasePageFactory(parent=other_newsroom, title="Anderer Newsroom")

    titles = [item.findtext("title") for item in feed_of(client, newsroom).findall("item")]
    assert titles == ["Neueste", "Mitte", "Älteste"]


def test_feed_item_carries_link_description_date_author_and_photo(client, newsroom):
    photo = ImageFactory()
    release = PressReleasePageFactory(
        parent=newsroom,
        title="Tom & Jerry <im> Rathaus",
        lead="",
        contact=PressContactFactory(name="Annemarie Wotschke", email="presse@duesseldorf.de"),
        body=[
            body_paragraph("<p>Die CO<sub>2</sub>-Bilanz &amp; mehr.</p>"),
            body_image(photo, caption="Rathaus", credit="LHD"),
        ],
    )
    [item] = feed_of(client, newsroom).findall("item")

    assert item.findtext("title") == "Tom & Jerry <im> Rathaus"
    assert item.findtext("link") == release.full_url
    assert item.findtext("guid") == release.full_url
    assert item.findtext("description") == "Die CO₂-Bilanz & mehr."
    assert item.findtext("pubDate") == "Tue, 07 Feb 2023 00:00:00 +0100"
    assert item.findtext("author") == "presse@duesseldorf.de (Annemarie Wotschke)"
    enclosure = item.find("enclosure")
    assert enclosure.get("url") == f"http://testserver{original_path(photo)}"
    assert enclosure.get("type") == "image/jpeg"
    assert int(enclosure.get("length")) == photo.file.size


def test_feed_item_without_photo_has_no_enclosure(client, newsroom):
    PressReleasePageFactory(parent=newsroom, lead="Vorspann.", body=[])
    [item] = feed_of(client, newsroom).findall("item")
    assert item.find("enclosure") is None
    assert item.findtext("description") == "Vorspann."


def test_feed_is_limited_to_feed_size(client, newsroom, settings):
    settings.PRESS = {**settings.PRESS, "FEED_SIZE": 2}
    for day in range(1, 5):
        PressReleasePageFactory(
            parent=newsroom, title=f"Tag {day}", release_date=datetime.date(2023, 1, day)
        )
    titles = [item.findtext("title") for item in feed_of(client, newsroom).findall("item")]
    assert titles == ["Tag 4", "Tag 3"]


def test_feed_of_an_unpublished_newsroom_is_not_found(client, newsroom):
    newsroom.unpublish()
    assert client.get(f"{newsroom.url}rss/").status_code == 404


# Sitemap


def sitemap_locations(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return [loc.text for loc in root.findall("sm:url/sm:loc", SITEMAP_NS)]


def test_sitemap_lists_home_newsroom_and_visible_releases(client, home, newsroom):
    visible = PressReleasePageFactory(parent=newsroom, slug="sichtbar")

    locations = sitemap_locations(client)
    assert home.full_url in locations
    assert newsroom.full_url in locations
    assert visible.full_url in locations
    assert len(locations) == len(set(locations)) == 3


def test_sitemap_leaves_out_drafts_private_and_expired_releases(client, newsroom):
    visible = PressReleasePageFactory(parent=newsroom, slug="sichtbar")
    hidden = hidden_releases(newsroom)

    locations = sitemap_locations(client)
    assert visible.full_url in locations
    for release in hidden:
        assert release.full_url not in locations, release.title


def test_sitemap_release_entry_carries_its_last_publication(client, newsroom):
    release = PressReleasePageFactory(parent=newsroom, slug="sichtbar")
    release.save_revision().publish()
    release.refresh_from_db()

    root = ET.fromstring(client.get("/sitemap.xml").content)
    [entry] = [
        url
        for url in root.findall("sm:url", SITEMAP_NS)
        if url.findtext("sm:loc", namespaces=SITEMAP_NS) == release.full_url
    ]
    lastmod = entry.findtext("sm:lastmod", namespaces=SITEMAP_NS)
    # The sitemap writes the day in the site's time zone (Europe/Berlin): between midnight
    # Berlin time and midnight UTC that is already the next day.
    assert lastmod == timezone.localtime(release.last_published_at).date().isoformat()


def test_sitemap_is_served_as_xml(client, newsroom):
    response = client.get("/sitemap.xml")
    assert response["Content-Type"].startswith("application/xml")


def test_feed_dates_a_published_release_by_its_first_publication(client, newsroom):
    release = PressReleasePageFactory(parent=newsroom)
    release.save_revision().publish()
    release.refresh_from_db()

    [item] = feed_of(client, newsroom).findall("item")
    published = email.utils.parsedate_to_datetime(item.findtext("pubDate"))
    assert published == release.first_published_at.replace(microsecond=0)


def test_sitemap_leaves_out_an_expired_page_of_the_host(client, home, newsroom):
    Page.objects.filter(pk=home.pk).update(expired=True)
    locations = sitemap_locations(client)
    assert home.full_url not in locations
    assert newsroom.full_url in locations


def test_control_characters_an_editor_pasted_do_not_break_the_feed(client, newsroom):
    """A vertical tab pasted into a title (or a settings field) is dropped from the feed, which
    XML 1.0 could not carry; the feed stays a well-formed RSS document."""
    office = PressSettings.for_site(newsroom.get_site())
    office.service_name = "Presse\x0bdienst"
    office.save()
    release = PressReleasePageFactory(
        parent=newsroom,
        title="Masterplan Industrie",
        body=[body_paragraph("<p>Im Rathaus\x01 tagte der Steuerungskreis.</p>")],
    )
    release.save_revision().publish()
    # The editor's forms refuse such a title now (test_models); one stored before, or written
    # past them, still must not break the feed.
    type(release).objects.filter(pk=release.pk).update(title="Masterplan\x0b Industrie\x1b")

    response = client.get(f"{newsroom.url}rss/")

    assert response.status_code == 200
    channel = ET.fromstring(response.content).find("channel")
    assert channel.find("title").text.startswith("Pressedienst")
    item = channel.find("item")
    assert item.find("title").text == "Masterplan Industrie"
    assert "Im Rathaus tagte der Steuerungskreis." in item.find("description").text
