"""Wagtail API v2 at /api/v2/: a release's fields as data a frontend can use."""

import datetime
import json

import pytest
from wagtail.models import PageViewRestriction

from tests.factories import (
    ImageFactory,
    PressContactFactory,
    PressReleasePageFactory,
    body_image,
    body_paragraph,
    body_quote,
    original_path,
)

PAGES = "/api/v2/pages/"
RELEASES = {"type": "press.PressReleasePage", "fields": "*"}


@pytest.fixture
def photo(db):
    return ImageFactory(title="Steuerungskreis")


@pytest.fixture
def release(newsroom, photo):
    return PressReleasePageFactory(
        parent=newsroom,
        title="Masterplan Industrie",
        slug="masterplan-industrie",
        release_date=datetime.date(2023, 2, 7),
        lead="Bilanz des Steuerungskreises.",
        contact=PressContactFactory(
            name="Annemarie Wotschke", email="presse@duesseldorf.de", phone="0211.89-93131"
        ),
        body=[
            body_paragraph(
                f'<p>Mehr im <a linktype="page" id="{newsroom.pk}">Newsroom</a>, '
                "CO<sub>2</sub> sinkt.</p>"
            ),
            body_quote("<p>Wir bündeln Kräfte.</p>", "Dr. Stephan Keller", "Oberbürgermeister"),
            body_image(photo, caption="Im Rathaus", credit="David Young", alt="Zwölf Personen"),
        ],
    )


def get_json(client, path, params=None) -> dict:
    response = client.get(path, params)
    assert response.status_code == 200, response.content
    return response.json()


def release_item(client, params=None) -> dict:
    data = get_json(client, PAGES, {**RELEASES, **(params or {})})
    [item] = data["items"]
    return item


def test_release_fields_in_the_listing(client, release):
    item = release_item(client)

    assert item["title"] == "Masterplan Industrie"
    assert item["release_date"] == "2023-02-07"
    assert item["lead"] == "Bilanz des Steuerungskreises."
    assert item["contact"] == {
        "name": "Annemarie Wotschke",
        "email": "presse@duesseldorf.de",
        "phone": "0211.89-93131",
    }
    assert item["text_url"] == "http://testserver/presse/masterplan-industrie/text/"
    assert client.get(item["text_url"])["Content-Type"] == "text/plain; charset=utf-8"


def test_rich_text_is_real_html_without_internal_link_markup(client, release, newsroom):
    item = release_item(client)
    paragraph, quote, _image = item["body"]

    assert paragraph["type"] == "paragraph"
    assert '<a href="/presse/">Newsroom</a>' in paragraph["value"]["html"]
    assert "CO<sub>2</sub>" in paragraph["value"]["html"]
    assert "linktype" not in json.dumps(item["body"])
    assert quote["type"] == "quote"
    assert quote["value"]["text"] == "<p>Wir bündeln Kräfte.</p>"
    assert quote["value"]["name"] == "Dr. Stephan Keller"
    assert quote["value"]["role"] == "Oberbürgermeister"


def test_image_is_urls_with_size_alt_caption_and_credit_never_a_bare_id(client, release, photo):
    image_block = release_item(client)["body"][2]
    value = image_block["value"]

    assert image_block["type"] == "image"
    assert value["caption"] == "Im Rathaus"
    assert value["credit"] == "David Young"
    assert value["alt"] == "Zwölf Personen"
    image = value["image"]
    assert isinstance(image, dict)
    assert image["url"] == f"http://testserver{original_path(photo)}"
    assert (image["width"], image["height"]) == (1200, 800)
    assert [r["width"] for r in image["renditions"]] == [400, 800, 1200]
    for rendition in image["renditions"]:
        assert rendition["url"].startswith("http://testserver/")
        assert rendition["height"] == rendition["width"] * 2 // 3


def test_detail_carries_the_same_fields(client, release):
    detail = get_json(client, f"{PAGES}{release.pk}/")
    listed = release_item(client)

    assert detail["meta"]["type"] == "press.PressReleasePage"
    assert detail["meta"]["html_url"] == release.full_url
    for field in ("release_date", "lead", "body", "contact", "text_url"):
        assert detail[field] == listed[field], field


def test_filter_by_release_date(client, newsroom, release):
    PressReleasePageFactory(
        parent=newsroom, title="Anderer Tag", release_date=datetime.date(2023, 2, 8)
    )

    data = get_json(client, PAGES, {**RELEASES, "release_date": "2023-02-07"})
    assert [item["title"] for item in data["items"]] == ["Masterplan Industrie"]
    assert data["meta"]["total_count"] == 1


def test_filter_by_title(client, newsroom, release):
    PressReleasePageFactory(parent=newsroom, title="Radschnellweg eröffnet")

    data = get_json(client, PAGES, {**RELEASES, "title": "Radschnellweg eröffnet"})
    assert [item["title"] for item in data["items"]] == ["Radschnellweg eröffnet"]


def test_find_by_html_path(client, release):
    response = client.get(f"{PAGES}find/", {"html_path": "/presse/masterplan-industrie/"})
    assert response.status_code == 302
    detail = client.get(response["Location"]).json()
    assert detail["id"] == release.pk
    assert detail["release_date"] == "2023-02-07"


def test_find_by_unknown_html_path_is_not_found(client, release):
    response = client.get(f"{PAGES}find/", {"html_path": "/presse/gibt-es-nicht/"})
    assert response.status_code == 404


def test_hidden_releases_stay_out_of_the_api(client, newsroom, release):
    draft = PressReleasePageFactory(parent=newsroom, title="Entwurf", slug="entwurf")
    draft.unpublish()
    private = PressReleasePageFactory(parent=newsroom, title="Geschützt", slug="geschuetzt")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )

    listed = get_json(client, PAGES, RELEASES)
    assert [item["title"] for item in listed["items"]] == ["Masterplan Industrie"]
    for hidden in (draft, private):
        assert client.get(f"{PAGES}{hidden.pk}/").status_code == 404
    response = client.get(f"{PAGES}find/", {"html_path": "/presse/geschuetzt/"})
    assert response.status_code == 404


def test_images_and_documents_endpoints_exist(client, release, photo):
    images = get_json(client, "/api/v2/images/")
    assert photo.pk in [item["id"] for item in images["items"]]
    assert get_json(client, "/api/v2/documents/")["meta"]["total_count"] == 0


def test_newsroom_is_in_the_api_with_its_intro(client, newsroom):
    data = get_json(client, PAGES, {"type": "press.PressIndexPage", "fields": "intro"})
    [item] = data["items"]
    assert item["title"] == "Presse"
    assert "intro" in item
