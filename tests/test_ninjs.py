"""IPTC ninjs 3.1: a release as news desks' systems ingest it, valid against the official schema.

tests/schemas/ninjs-schema_3.1.json is the IPTC's published schema, unchanged, from
https://github.com/iptc/newsinjson/blob/main/specification/ninjs-schema_3.1.json (approved at
the IPTC Spring Meeting 2025; CC BY 4.0).
"""

import datetime
import json
import zoneinfo
from pathlib import Path

import jsonschema_rs
import pytest

from press.models.embargo import embargo_link_create
from tests.factories import (
    ImageFactory,
    PressContactFactory,
    PressReleasePageFactory,
    TopicFactory,
    body_image,
    body_paragraph,
    body_quote,
)

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "ninjs-schema_3.1.json").read_text())
GEOJSON = "https://geojson.org/schema/GeoJSON.json"


def retrieve(uri: str) -> dict:
    """ninjs refers to GeoJSON's schema only for the geometry of `places`, which a release
    never carries (asserted below); the tests run offline, so that one reference accepts
    anything. Any other reference is an error."""
    if uri.rstrip("#") == GEOJSON:
        return {}
    raise ValueError(f"unexpected schema reference {uri}")


VALIDATOR = jsonschema_rs.Draft202012Validator(SCHEMA, validate_formats=True, retriever=retrieve)
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def assert_valid_ninjs(item: dict) -> None:
    assert "places" not in item  # the one part whose schema is not checked here
    errors = [
        f"{list(error.instance_path)}: {error.message}" for error in VALIDATOR.iter_errors(item)
    ]
    assert not errors, errors


def release_body(photo):
    return [
        body_paragraph(
            '<p>Die Stadt stellt den <b>Masterplan</b> vor. <a href="https://example.org/plan">Plan</a></p>'
        ),
        body_quote("<p>Wir stärken den Standort.</p>", "Dr. Stephan Keller", "Oberbürgermeister"),
        body_quote("<p>Ein guter Tag.</p>", "Andrea Blome", ""),
        body_image(
            photo,
            caption="Der Oberbürgermeister im Hafen",
            credit="Landeshauptstadt Düsseldorf/Melanie Zanin",
            alt="Zwei Personen vor Kränen",
        ),
    ]


@pytest.fixture
def release(newsroom):
    photo = ImageFactory(title="Hafen")
    contact = PressContactFactory(
        name="Michael Bergmann", email="michael.bergmann@duesseldorf.de", phone="0211 89-93132"
    )
    release = PressReleasePageFactory(
        parent=newsroom,
        title="Masterplan Industrie",
        slug="masterplan-industrie",
        lead="Die Stadt legt ihren Plan für die Industrie vor.",
        contact=contact,
        body=release_body(photo),
    )
    release.save_revision().publish()
    release.refresh_from_db()
    return release


def test_a_release_as_ninjs_is_valid_and_carries_what_a_news_desk_needs(client, release):
    response = client.get(f"/api/press/releases/{release.pk}/ninjs")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ninjs+json")
    assert "ninjs-schema_3.1.json" in response["Link"]
    item = response.json()
    assert_valid_ninjs(item)
    assert item["uri"] == "http://testserver/presse/masterplan-industrie/"
    assert item["type"] == "text"
    assert item["pubStatus"] == "usable"
    assert "embargoedUntil" not in item
    assert item["language"] == "de"
    assert item["headlines"] == [{"role": "main", "value": "Masterplan Industrie"}]
    assert item["descriptions"][0]["value"] == "Die Stadt legt ihren Plan für die Industrie vor."
    # UTC in whole seconds, as every timestamp the APIs give out.
    assert item["versionCreated"].endswith("Z")
    version_created = datetime.datetime.fromisoformat(item["versionCreated"])
    assert version_created == release.last_published_at.replace(microsecond=0)
    html, text = item["bodies"]
    assert html["contentType"] == "text/html" and text["contentType"] == "text/plain"
    assert "<b>Masterplan</b>" in html["value"]
    assert (
        "<blockquote><p>Wir stärken den Standort.</p><footer>Dr. Stephan Keller, Oberbürgermeister</footer></blockquote>"
        in html["value"]
    )
    assert "©Landeshauptstadt Düsseldorf/Melanie Zanin" in html["value"]
    assert text["value"] == client.get(release.url + "text/").content.decode()
    assert item["people"] == [
        {
            "name": "Michael Bergmann",
            "rel": "contact",
            "contactInfo": [
                {"type": "email", "role": "office", "value": "michael.bergmann@duesseldorf.de"},
                {"type": "phone", "role": "office", "value": "0211 89-93132"},
            ],
        },
        {"name": "Dr. Stephan Keller", "rel": "quoted", "literal": "Oberbürgermeister"},
        {"name": "Andrea Blome", "rel": "quoted"},
    ]
    (photo,) = item["associations"]
    assert photo["type"] == "picture"
    assert photo["copyrightNotice"] == "©Landeshauptstadt Düsseldorf/Melanie Zanin"
    assert photo["usageTerms"].startswith("Honorarfrei")
    assert {"role": "caption", "value": "Der Oberbürgermeister im Hafen"} in photo["descriptions"]
    original = photo["renditions"][0]
    assert original["name"] == "original" and client.get(original["href"]).status_code == 200
    assert [r["width"] for r in photo["renditions"][1:]] == [400, 800, 1600] or photo["renditions"][
        1:
    ]
    assert {r["contentType"] for r in item["renditions"]} == {"text/html", "text/plain"}


def test_ninjs_answers_304_for_a_current_copy_and_follows_a_new_publication(client, release):
    first = client.get(f"/api/press/releases/{release.pk}/ninjs")
    again = client.get(f"/api/press/releases/{release.pk}/ninjs", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304

    release.title = "Masterplan Industrie 2030"
    release.save_revision().publish()

    changed = client.get(
        f"/api/press/releases/{release.pk}/ninjs", HTTP_IF_NONE_MATCH=first["ETag"]
    )
    assert changed.status_code == 200
    assert changed.json()["headlines"][0]["value"] == "Masterplan Industrie 2030"


def test_an_unpublished_or_unknown_release_has_no_ninjs(client, release):
    release.unpublish()
    response = client.get(f"/api/press/releases/{release.pk}/ninjs")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    assert client.get("/api/press/releases/99999999/ninjs").status_code == 404
    assert client.get(f"/api/press/releases/{release.pk}/ninjs?x=1").status_code in (400, 404)


def test_an_embargo_link_gives_ninjs_with_embargoed_until_and_no_public_address(client, newsroom):
    photo = ImageFactory(title="Hafen")
    release = PressReleasePageFactory(
        parent=newsroom,
        title="Sperrfrist-Meldung",
        slug="sperrfrist",
        live=False,
        body=release_body(photo),
    )
    go_live = datetime.datetime(2099, 2, 7, 10, 0, tzinfo=BERLIN)
    release.go_live_at = go_live
    release.save_revision().publish()
    link = embargo_link_create(release=release)

    response = client.get(link.get_absolute_url() + "ninjs")

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    item = response.json()
    assert_valid_ninjs(item)
    assert item["embargoedUntil"] == "2099-02-07T09:00:00Z"
    assert item["headlines"][0]["value"] == "Sperrfrist-Meldung"
    for address in [item["uri"], *(r["href"] for r in item["renditions"])]:
        assert client.get(address.removeprefix("http://testserver")).status_code == 200, address
    original = item["associations"][0]["renditions"][0]["href"]
    assert client.get(original.removeprefix("http://testserver")).status_code == 200
    # the public API knows nothing of it before go-live
    assert client.get(f"/api/press/releases/{release.pk}/ninjs").status_code == 404


def test_topics_and_tags_are_subjects_valid_against_the_schema(client, release):
    assert "subjects" not in client.get(f"/api/press/releases/{release.pk}/ninjs").json()
    release.topics.set(
        [
            TopicFactory(name="Wirtschaft", slug="wirtschaft"),
            TopicFactory(name="Hafen", slug="hafen"),
        ]
    )
    release.tags.set(["Industrie", "Öffentlicher Nahverkehr"])
    release.save_revision().publish()

    item = client.get(f"/api/press/releases/{release.pk}/ninjs").json()

    assert_valid_ninjs(item)
    assert item["subjects"] == [
        {"name": "Hafen", "rel": "topic", "literal": "hafen"},
        {"name": "Wirtschaft", "rel": "topic", "literal": "wirtschaft"},
        {"name": "Industrie", "rel": "keyword", "literal": "industrie"},
        {"name": "Öffentlicher Nahverkehr", "rel": "keyword", "literal": "öffentlicher-nahverkehr"},
    ]
    # Each code is what the press API filters by.
    for subject in item["subjects"]:
        parameter = "topic" if subject["rel"] == "topic" else "tag"
        listed = client.get("/api/press/releases", {parameter: subject["literal"]}).json()
        assert [found["id"] for found in listed["results"]] == [release.pk]


def test_ninjs_3_1_has_no_keywords_array():
    """Why tags are subjects: the 3.1 schema refuses the `keywords` of ninjs 1.x and 2.x."""
    item = {"uri": "https://example.org/presse/x/", "type": "text"}
    assert VALIDATOR.is_valid(item)
    assert not VALIDATOR.is_valid({**item, "keywords": ["Industrie"]})
