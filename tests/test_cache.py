"""press.cache: cached press API answers cost no SQL, and never outlive what they show.

The safety property: once a change a reader would notice is saved (unpublish, delete, view
restriction, contact edit, a new publication), no cached answer shows the old state.
"""

import pytest
from django.core.cache import cache
from wagtail.models import PageViewRestriction

from press.publishing.cache import GENERATION_KEY
from tests.factories import PressContactFactory, PressReleasePageFactory, body_paragraph

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


@pytest.mark.parametrize("kind", URLS)
def test_a_cached_answer_and_its_304_cost_no_sql(client, release, kind, django_assert_num_queries):
    url = URLS[kind](release)
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get(url)
        not_modified = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["Last-Modified"] == first["Last-Modified"]
    assert "max-age=60" in again["Cache-Control"]
    assert not_modified.status_code == 304
    assert not_modified["ETag"] == first["ETag"]


def test_other_parameters_are_other_answers(client, release, newsroom):
    published(PressReleasePageFactory(parent=newsroom, title="Radschnellweg startet"))
    assert len(titles(client, f"{LIST_URL}?limit=1")) == 1
    assert len(titles(client, f"{LIST_URL}?limit=2")) == 2
    assert len(titles(client, f"{LIST_URL}?limit=1&offset=1")) == 1


def test_an_unpublished_release_leaves_every_cached_answer(client, release):
    assert titles(client) == ["Masterplan Industrie"]
    assert client.get(URLS["detail"](release)).status_code == 200
    assert client.get(URLS["by-path"](release)).status_code == 200

    release.unpublish()

    assert titles(client) == []
    assert client.get(URLS["detail"](release)).status_code == 404
    assert client.get(URLS["by-path"](release)).status_code == 404


def test_a_deleted_release_leaves_every_cached_answer(client, release):
    assert titles(client) == ["Masterplan Industrie"]
    detail = URLS["detail"](release)
    assert client.get(detail).status_code == 200

    release.delete()

    assert titles(client) == []
    assert client.get(detail).status_code == 404


def test_a_view_restriction_hides_a_cached_release(client, release):
    assert titles(client) == ["Masterplan Industrie"]
    PageViewRestriction.objects.create(
        page=release, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    assert titles(client) == []
    assert client.get(URLS["detail"](release)).status_code == 404


def test_a_new_publication_appears_in_a_cached_list(client, release, newsroom):
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


def test_a_contact_edit_reaches_cached_answers(client, release, contact):
    assert client.get(LIST_URL).json()["results"][0]["contact"]["name"] == "Annemarie Wotschke"
    contact.name = "Michael Bergmann"
    contact.save()
    assert client.get(LIST_URL).json()["results"][0]["contact"]["name"] == "Michael Bergmann"
    detail = client.get(URLS["detail"](release)).json()
    assert detail["contact"]["name"] == "Michael Bergmann"


def test_a_draft_does_not_leak_into_cached_answers(client, release):
    assert titles(client) == ["Masterplan Industrie"]
    release.title = "Entwurf: noch geheim"
    release.body = [body_paragraph("<p>Nicht freigegeben.</p>")]
    release.save_revision()  # saved, not published

    assert titles(client) == ["Masterplan Industrie"]
    cache.clear()  # also when rebuilt from the database
    assert titles(client) == ["Masterplan Industrie"]
    detail = client.get(URLS["detail"](release))
    assert detail.json()["title"] == "Masterplan Industrie"
    assert "Nicht freigegeben" not in detail.content.decode()


def test_a_lost_generation_is_never_trusted(client, release):
    """An evicted generation token (Redis restart, LRU) must not revive old entries."""
    assert titles(client) == ["Masterplan Industrie"]
    # The release goes offline while the cache loses the token (no signal reaches it).
    type(release).objects.filter(pk=release.pk).update(live=False)
    cache.delete(GENERATION_KEY)
    assert titles(client) == []


def export_texts() -> list[str]:
    import io
    import zipfile

    from press.export import releases_export_text_zip

    out = io.BytesIO()
    releases_export_text_zip(out=out)
    with zipfile.ZipFile(out) as archive:
        return [archive.read(name).decode() for name in archive.namelist()]


def test_the_archive_export_reuses_text_versions_until_a_release_changes(release, contact):
    from unittest import mock

    import press.export

    first = export_texts()
    assert "Masterplan Industrie" in first[0]
    with mock.patch.object(
        press.export, "release_render_text_for", wraps=press.export.release_render_text_for
    ) as render:
        assert export_texts() == first
        render.assert_not_called()

        contact.name = "Michael Bergmann"
        contact.save()
        assert "Michael Bergmann" in export_texts()[0]
        release.title = "Masterplan Industrie beschlossen"
        published(release)
        assert "Masterplan Industrie beschlossen" in export_texts()[0]
        assert render.call_count == 2


@pytest.mark.parametrize("kind", URLS)
def test_a_304_worked_out_once_is_then_answered_without_sql(
    client, release, kind, django_assert_num_queries
):
    url = URLS[kind](release)
    etag = client.get(url)["ETag"]
    cache.clear()  # e.g. a restarted cache: the next conditional request asks the database
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    with django_assert_num_queries(0):
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    # An unconditional request still gets the whole answer, and an unpublished release none.
    full = client.get(url)
    assert full.status_code == 200 and full.content
    release.unpublish()
    assert client.get(url, headers={"If-None-Match": etag}).status_code in (200, 404)
