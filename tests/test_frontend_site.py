"""A site that names its headless frontend (press office settings): every address the product
gives out for its newsroom, releases and topics is the frontend's, the Wagtail pages send
readers there (unless the site keeps them), and what only the CMS serves stays on the CMS."""

from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import Site

from press.models import PressReleasePage, PressSettings
from press.publishing.webhooks import RELEASE_PUBLISHED, webhook_payload
from tests.factories import PressReleasePageFactory, TopicFactory, body_paragraph

FRONTEND = "https://presse.example"
CMS = "http://testserver"


@pytest.fixture
def office(newsroom):
    office = PressSettings.for_site(Site.objects.get(is_default_site=True))
    office.frontend_url = FRONTEND
    office.frontend_release_path = "/mitteilungen/{slug}/"
    office.frontend_topic_path = "/themen/{slug}/"
    office.frontend_newsroom_path = "/"
    office.save()
    return office


@pytest.fixture
def release(newsroom):
    topic = TopicFactory(name="Verkehr", slug="verkehr")
    release = PressReleasePageFactory(
        parent=newsroom, slug="radweg", body=[body_paragraph("<p>Ein neuer Radweg.</p>")]
    )
    release.topics.add(topic)
    release.save_revision().publish()
    return release


def test_without_a_frontend_every_address_is_the_cms(client, release):
    answer = client.get(f"/api/press/releases/{release.pk}").json()

    assert answer["html_url"] == f"{CMS}/presse/radweg/"
    assert client.get("/presse/radweg/").status_code == 200


def test_api_feeds_sitemap_ninjs_and_webhooks_name_the_frontend(client, office, release):
    release.refresh_from_db()
    release.save_revision().publish()  # the stored document is rebuilt with the new address
    expected = f"{FRONTEND}/mitteilungen/radweg/"

    answer = client.get(f"/api/press/releases/{release.pk}").json()
    assert answer["html_url"] == expected
    # What the CMS alone serves stays there.
    assert answer["text_url"] == f"{CMS}/presse/radweg/text/"
    assert answer["press_kit_url"] == f"{CMS}/presse/radweg/presskit/"
    assert client.get(f"/api/v2/pages/{release.pk}/").json()["meta"]["html_url"] == expected
    assert client.get(f"/api/press/releases/{release.pk}/ninjs").json()["uri"] == expected
    payload = webhook_payload(event=RELEASE_PUBLISHED, release=release, occurred_at=None)
    assert payload["release"]["html_url"] == expected

    feed = ElementTree.fromstring(client.get("/presse/rss/").content)
    channel = feed.find("channel")
    assert channel.findtext("link") == f"{FRONTEND}/"
    assert channel.findtext("item/link") == expected
    atom_self = channel.find("{http://www.w3.org/2005/Atom}link").get("href")
    assert atom_self == f"{CMS}/presse/rss/"
    topic_feed = ElementTree.fromstring(client.get("/presse/thema/verkehr/rss/").content)
    assert topic_feed.find("channel").findtext("link") == f"{FRONTEND}/themen/verkehr/"

    assert expected in client.get("/sitemap.xml").content.decode()


def test_admin_view_live_and_preview_open_the_frontend(admin_client, office, release):
    # The admin's "view live" (status tag, message after publishing) is the page's `url`.
    assert PressReleasePage.objects.get(pk=release.pk).url == f"{FRONTEND}/mitteilungen/radweg/"

    preview = admin_client.get(reverse("wagtailadmin_pages:view_draft", args=[release.pk]))
    assert preview.status_code == 302
    target = urlsplit(preview["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{FRONTEND}/preview"
    assert parse_qs(target.query)["token"]


def test_wagtail_pages_redirect_to_the_frontend_with_their_query(client, office, release):
    assert client.get("/presse/radweg/")["Location"] == f"{FRONTEND}/mitteilungen/radweg/"
    assert client.get("/presse/?jahr=2023")["Location"] == f"{FRONTEND}/?jahr=2023"
    assert client.get("/presse/thema/verkehr/")["Location"] == f"{FRONTEND}/themen/verkehr/"
    # Text version, feeds and downloads are served by the CMS, frontend or not.
    assert client.get("/presse/radweg/text/").status_code == 200
    assert client.get("/presse/rss/").status_code == 200


def test_a_site_can_keep_its_pages_with_links_to_the_cms_parts(client, office, release):
    office.frontend_redirect = False
    office.save()

    page = client.get("/presse/radweg/")
    html = page.content.decode()
    assert page.status_code == 200
    assert f'<link rel="canonical" href="{FRONTEND}/mitteilungen/radweg/">' in html
    assert 'href="/presse/radweg/text/"' in html
    assert f'href="{FRONTEND}/themen/verkehr/"' in html


def test_a_version_lives_below_its_language_on_the_frontend(client, office, release):
    """The English version's address on the frontend is the original's route below /en, like
    the CMS's own (/en/presse/…): linked from the original, redirected to, found by the press
    API's by-path, and named in the webhook with the original's id."""
    from tests.test_versions import version_make

    english = version_make(release, "en", title="New cycle path", text="A new cycle path.")
    expected = f"{FRONTEND}/en/mitteilungen/radweg/"

    assert client.get(f"/api/press/releases/{english.pk}").json()["html_url"] == expected
    original = client.get(f"/api/press/releases/{release.pk}").json()
    assert [(t["language"], t["html_url"]) for t in original["translations"]] == [("en", expected)]
    assert client.get("/en/presse/radweg/")["Location"] == expected
    found = client.get("/api/press/releases/by-path", {"path": "/en/mitteilungen/radweg/"})
    assert found.json()["id"] == english.pk
    by_slug = client.get("/api/press/releases/by-path", {"slug": "radweg"})
    assert by_slug.json()["id"] == release.pk
    payload = webhook_payload(event=RELEASE_PUBLISHED, release=english, occurred_at=None)
    assert payload["release"]["language"] == "en"
    assert payload["release"]["versions"] == [release.pk]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("frontend_release_path", "/mitteilungen/"),
        ("frontend_release_path", "mitteilungen/{slug}/"),
        ("frontend_topic_path", "/themen/{slug}/{slug}/"),
        ("frontend_newsroom_path", "/presse?x=1"),
    ],
)
def test_a_route_without_its_slug_or_not_a_path_is_a_form_error(newsroom, field, value):
    office = PressSettings.for_site(Site.objects.get(is_default_site=True))
    setattr(office, field, value)

    with pytest.raises(ValidationError) as error:
        office.full_clean()
    assert field in error.value.message_dict
