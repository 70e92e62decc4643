"""The text version over HTTP: plain text at `text_url`, `?download=1` as a named attachment."""

import datetime

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


@pytest.fixture
def photo(db):
    return ImageFactory()


@pytest.fixture
def release(newsroom, photo):
    return PressReleasePageFactory(
        parent=newsroom,
        title="Masterplan Industrie",
        slug="masterplan-industrie",
        release_date=datetime.date(2023, 2, 7),
        contact=PressContactFactory(
            name="Annemarie Wotschke", email="presse@duesseldorf.de", phone="0211.89-93131"
        ),
        body=[
            body_paragraph("<p>Zum Jahresauftakt fand im Rathaus das Treffen statt.</p>"),
            body_quote(
                "<p>Die CO<sub>2</sub>-Emissionen sinken.</p>",
                "Dr. Stephan Keller",
                "Oberbürgermeister",
            ),
            body_image(photo, caption="Steuerungskreis im Rathaus", credit="David Young"),
        ],
    )


def test_text_version_is_plain_utf8_text_of_the_whole_release(client, release, photo):
    response = client.get(release.text_url)
    text = " ".join(response.content.decode("utf-8").split())  # wrapped for mail clients

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "07. Februar 2023" in text
    assert "Masterplan Industrie" in text
    assert "Zum Jahresauftakt fand im Rathaus das Treffen statt." in text
    assert "CO₂-Emissionen" in text
    assert "Dr. Stephan Keller" in text and "Oberbürgermeister" in text
    assert "Steuerungskreis im Rathaus" in text and "©David Young" in text
    assert f"http://testserver{original_path(photo)}" in text
    assert "Annemarie Wotschke" in text
    assert "<p>" not in text and "<sub>" not in text and "&amp;" not in text


def test_text_url_is_where_the_text_version_is_served(client, release):
    assert release.text_url == "http://testserver/presse/masterplan-industrie/text/"
    assert client.get(release.text_url).status_code == 200


def test_text_version_opens_inline_by_default(client, release):
    response = client.get(release.text_url)
    assert response["Content-Disposition"].startswith("inline")


def test_download_is_an_attachment_named_by_date_and_slug(client, release):
    response = client.get(release.text_url, {"download": "1"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="20230207-masterplan-industrie.txt"'
    )
    assert response.content == client.get(release.text_url).content


def test_text_version_of_an_unpublished_release_is_not_found(client, release):
    release.unpublish()
    assert client.get(f"{release.url}text/").status_code == 404


def test_text_version_of_a_protected_release_is_not_given_away(client, release):
    PageViewRestriction.objects.create(
        page=release, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    response = client.get(release.text_url)
    assert "Zum Jahresauftakt" not in response.content.decode()
