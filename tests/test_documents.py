"""Release documents: built once when a release is published, read by every channel.

The safety property: once a change a reader would notice is saved (unpublish, delete, view
restriction, contact edit, a new publication), no channel shows the old state — the database
decides visibility on every request, and a document is only ever read for a visible release.
"""

import io
import logging
import zipfile
from unittest import mock

import pytest
from django.core.management import call_command
from wagtail.models import PageViewRestriction

import press.models.documents
import press.models.pages
from press.export import releases_export_text_zip
from press.models import PressSettings, ReleaseDocument
from tests.factories import (
    ImageFactory,
    PressContactFactory,
    PressReleasePageFactory,
    body_image,
    body_paragraph,
)

LIST_URL = "/api/press/releases"


def published(release):
    release.save_revision().publish()
    release.refresh_from_db()
    return release


@pytest.fixture
def contact():
    return PressContactFactory(name="Annemarie Wotschke")


@pytest.fixture
def release(newsroom, contact):
    return published(
        PressReleasePageFactory(
            parent=newsroom,
            title="Masterplan Industrie",
            slug="masterplan-industrie",
            contact=contact,
            body=[body_paragraph("<p>Der Steuerungskreis tagte im Rathaus.</p>")],
        )
    )


def titles(client, url=LIST_URL) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return [item["title"] for item in response.json()["results"]]


URLS = {
    "list": lambda release: f"{LIST_URL}?limit=5",
    "detail": lambda release: f"{LIST_URL}/{release.pk}",
    "by-path": lambda release: f"{LIST_URL}/by-path?path={release.url}",
}


def spy_build():
    """Every way a document gets built (publishing, a rebuild, building on a read)."""
    return mock.patch.object(
        press.models.documents,
        "release_document_build",
        wraps=press.models.documents.release_document_build,
    )


def test_publishing_stores_the_document_of_the_live_revision(release):
    document = ReleaseDocument.objects.get(release=release)
    assert document.revision_id == release.live_revision_id
    assert '"title": "Masterplan Industrie"' in document.api_json
    assert document.text.startswith("Landeshauptstadt Düsseldorf\nPressedienst")
    assert document.data["body"][0]["value"]["text"] == "Der Steuerungskreis tagte im Rathaus."


CHANNELS = {
    **URLS,
    "page": lambda release: release.url,
    "text": lambda release: f"{release.url}text/",
    "rss": lambda release: "/presse/rss/",
    "api-v2": lambda release: f"/api/v2/pages/{release.pk}/",
}


@pytest.mark.parametrize("kind", CHANNELS)
def test_every_channel_reads_the_stored_document_without_building(client, release, kind):
    with spy_build() as build:
        response = client.get(CHANNELS[kind](release))
    assert response.status_code == 200
    assert "Steuerungskreis tagte im Rathaus" in response.content.decode()
    build.assert_not_called()


def test_photo_renditions_are_made_at_publication_not_on_a_read(client, newsroom):
    image = ImageFactory()
    release = published(
        PressReleasePageFactory(
            parent=newsroom, body=[body_image(image, caption="Rathaus", credit="Stadt/Foto")]
        )
    )
    renditions = image.renditions.count()
    assert renditions >= 1
    image.renditions.all().delete()  # a reader must not bring them back
    for url in (release.url, f"{release.url}text/", f"/api/press/releases/{release.pk}"):
        assert client.get(url).status_code == 200
    assert image.renditions.count() == 0


def test_other_parameters_are_other_answers(client, release, newsroom):
    published(PressReleasePageFactory(parent=newsroom, title="Radschnellweg startet"))
    assert len(titles(client, f"{LIST_URL}?limit=1")) == 1
    assert len(titles(client, f"{LIST_URL}?limit=2")) == 2
    assert len(titles(client, f"{LIST_URL}?limit=1&offset=1")) == 1


def test_an_unpublished_release_leaves_every_channel(client, release):
    assert titles(client) == ["Masterplan Industrie"]
    assert client.get(URLS["detail"](release)).status_code == 200
    assert client.get(URLS["by-path"](release)).status_code == 200

    release.unpublish()

    assert titles(client) == []
    assert client.get(URLS["detail"](release)).status_code == 404
    assert client.get(URLS["by-path"](release)).status_code == 404


def test_a_deleted_release_leaves_every_channel_and_its_document_goes(client, release):
    assert titles(client) == ["Masterplan Industrie"]
    detail = URLS["detail"](release)
    assert client.get(detail).status_code == 200

    release.delete()

    assert titles(client) == []
    assert client.get(detail).status_code == 404
    assert not ReleaseDocument.objects.exists()


def test_a_view_restriction_hides_a_release_that_has_a_document(client, release):
    assert titles(client) == ["Masterplan Industrie"]
    PageViewRestriction.objects.create(
        page=release, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    assert titles(client) == []
    assert client.get(URLS["detail"](release)).status_code == 404


def test_a_new_publication_appears_in_the_list(client, release, newsroom):
    assert titles(client) == ["Masterplan Industrie"]
    published(PressReleasePageFactory(parent=newsroom, title="Radschnellweg startet"))
    assert sorted(titles(client)) == ["Masterplan Industrie", "Radschnellweg startet"]


def test_a_republished_release_shows_its_new_text(client, release):
    assert titles(client) == ["Masterplan Industrie"]
    etag = client.get(URLS["detail"](release))["ETag"]
    release.title = "Masterplan Industrie beschlossen"
    published(release)
    assert titles(client) == ["Masterplan Industrie beschlossen"]
    response = client.get(URLS["detail"](release), headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response.json()["title"] == "Masterplan Industrie beschlossen"


def test_a_contact_edit_rebuilds_the_documents_in_the_task_queue(
    client, release, contact, caplog, django_capture_on_commit_callbacks
):
    assert client.get(LIST_URL).json()["results"][0]["contact"]["name"] == "Annemarie Wotschke"
    contact.name = "Michael Bergmann"
    with (
        caplog.at_level(logging.INFO, logger="press.publishing.documents"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        contact.save()  # queued at commit; the tests' immediate task backend runs it then
    assert "Release documents rebuilt (contact" in caplog.text
    assert client.get(LIST_URL).json()["results"][0]["contact"]["name"] == "Michael Bergmann"
    assert "Michael Bergmann" in client.get(f"{release.url}text/").content.decode()
    detail = client.get(URLS["detail"](release)).json()
    assert detail["contact"]["name"] == "Michael Bergmann"


def test_a_draft_does_not_leak_into_any_document(client, release):
    assert titles(client) == ["Masterplan Industrie"]
    release.title = "Entwurf: noch geheim"
    release.body = [body_paragraph("<p>Nicht freigegeben.</p>")]
    release.save_revision()  # saved, not published

    assert titles(client) == ["Masterplan Industrie"]
    ReleaseDocument.objects.all().delete()  # also when built again on a read
    assert titles(client) == ["Masterplan Industrie"]
    detail = client.get(URLS["detail"](release))
    assert detail.json()["title"] == "Masterplan Industrie"
    assert "Nicht freigegeben" not in detail.content.decode()


def test_a_release_without_a_document_gets_one_on_its_first_read(client, release, caplog):
    ReleaseDocument.objects.all().delete()  # e.g. written in bulk without publishing
    with caplog.at_level(logging.WARNING, logger="press.models.documents"):
        assert titles(client) == ["Masterplan Industrie"]
    assert "had no current document" in caplog.text
    assert ReleaseDocument.objects.get().revision_id == release.live_revision_id
    with spy_build() as build:
        assert titles(client) == ["Masterplan Industrie"]
    build.assert_not_called()


def test_migrate_builds_the_documents_of_releases_that_have_none(release):
    ReleaseDocument.objects.all().delete()
    call_command("migrate", verbosity=0)
    assert ReleaseDocument.objects.get().revision_id == release.live_revision_id


def test_a_photos_focal_point_and_the_office_settings_rebuild_what_shows_them(
    client, newsroom, django_capture_on_commit_callbacks
):
    image = ImageFactory()
    release = published(
        PressReleasePageFactory(parent=newsroom, body=[body_image(image, credit="Stadt/Foto")])
    )
    before = ReleaseDocument.objects.get(release=release)
    image.set_focal_point(None)
    image.focal_point_x, image.focal_point_y, image.focal_point_width = 10, 10, 5
    image.focal_point_height = 5
    with django_capture_on_commit_callbacks(execute=True):
        image.save()
    assert ReleaseDocument.objects.get(release=release).built_at > before.built_at

    office = PressSettings.for_site(release.get_site())
    office.office_name = "Stadtverwaltung Beispielstadt"
    with django_capture_on_commit_callbacks(execute=True):
        office.save()
    assert (
        client.get(f"{release.url}text/")
        .content.decode()
        .startswith("Stadtverwaltung Beispielstadt")
    )


def export_texts() -> list[str]:
    out = io.BytesIO()
    releases_export_text_zip(out=out)
    with zipfile.ZipFile(out) as archive:
        return [archive.read(name).decode() for name in archive.namelist()]


def test_the_archive_export_reads_stored_text_versions(
    release, contact, django_capture_on_commit_callbacks
):
    with spy_build() as build:
        first = export_texts()
        build.assert_not_called()
    assert "Masterplan Industrie" in first[0]
    contact.name = "Michael Bergmann"
    with django_capture_on_commit_callbacks(execute=True):
        contact.save()
    assert "Michael Bergmann" in export_texts()[0]
    release.title = "Masterplan Industrie beschlossen"
    published(release)
    assert "Masterplan Industrie beschlossen" in export_texts()[0]
