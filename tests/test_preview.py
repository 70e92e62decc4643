"""Headless preview: the admin sends editors to the frontend with a signed, expiring token, and
the press API gives the draft only for such a token."""

import time
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.urls import reverse
from wagtail.rich_text import RichText
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from press.preview import PREVIEW_SALT, preview_token_create
from tests.factories import PressReleasePageFactory, body_paragraph

FRONTEND = "https://frontend.example"
PREVIEW_API = "/api/press/preview"


@pytest.fixture
def frontend(settings):
    settings.PRESS = {
        **settings.PRESS,
        "FRONTEND_URL": f"{FRONTEND}/",
        "PREVIEW_TOKEN_MAX_AGE": 600,
    }
    return FRONTEND


@pytest.fixture
def release_with_draft(newsroom):
    """A published release whose latest revision is an unpublished draft with a new title."""
    release = PressReleasePageFactory(
        parent=newsroom,
        title="Masterplan Industrie",
        slug="masterplan-industrie",
        body=[body_paragraph("<p>Veröffentlichter Absatz.</p>")],
    )
    release.save_revision().publish()
    release.title = "Masterplan Industrie (Entwurf)"
    release.body = [("paragraph", RichText("<p>Neuer Absatz nur im Entwurf.</p>"))]
    release.save_revision()
    release.refresh_from_db()
    return release


def preview_get(client, token=None, **params):
    if token is not None:
        params["token"] = token
    return client.get(PREVIEW_API, params)


def body_html(data) -> str:
    return " ".join(block["value"].get("html", "") for block in data["body"])


def test_valid_token_returns_the_draft_uncached_and_unindexed(client, release_with_draft):
    token = preview_token_create(release=release_with_draft)

    response = preview_get(client, token, content_type="press.pressreleasepage")

    assert response.status_code == 200
    data = response.json()
    assert data["id"] == release_with_draft.pk
    assert data["title"] == "Masterplan Industrie (Entwurf)"
    assert "Neuer Absatz nur im Entwurf." in body_html(data)
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"
    # The public API still shows the published version.
    public = client.get(f"/api/press/releases/{release_with_draft.pk}").json()
    assert public["title"] == "Masterplan Industrie"


def test_token_for_a_never_published_release_previews_it(client, newsroom):
    release = PressReleasePageFactory(parent=newsroom, title="Noch geheim", live=False)
    release.save_revision()
    release.refresh_from_db()

    response = preview_get(client, preview_token_create(release=release))

    assert response.status_code == 200
    assert response.json()["title"] == "Noch geheim"


def test_expired_token_gives_nothing(client, release_with_draft, frontend):
    # Signed eleven minutes ago; tokens live ten.
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 11 * 60):
        token = preview_token_create(release=release_with_draft)

    response = preview_get(client, token)

    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")
    assert "abgelaufen" in response.json()["detail"]
    assert "Masterplan" not in response.content.decode()


def test_token_within_its_lifetime_still_works(client, release_with_draft, frontend):
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 9 * 60):
        token = preview_token_create(release=release_with_draft)

    assert preview_get(client, token).status_code == 200


def test_forged_token_gives_nothing(client, release_with_draft):
    token = preview_token_create(release=release_with_draft)
    value, signature = token.rsplit(":", 1)
    forged = f"{value}:{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"
    # The same payload signed for another purpose (another salt) is no preview token either.
    other_purpose = signing.dumps(
        {"page": release_with_draft.pk, "revision": release_with_draft.latest_revision_id},
        salt="press.embargo.share-link",
    )

    for bad in (forged, other_purpose, "kein-token"):
        response = preview_get(client, bad)
        assert response.status_code == 401, bad
        assert response["Content-Type"].startswith("application/problem+json")
        assert "Masterplan" not in response.content.decode()


def test_missing_token_gives_nothing(client, release_with_draft):
    for response in (preview_get(client), preview_get(client, "")):
        assert response.status_code == 401
        assert response["Content-Type"].startswith("application/problem+json")
        assert response.json()["status"] == 401


def test_token_naming_another_pages_revision_gives_nothing(client, newsroom, release_with_draft):
    other = PressReleasePageFactory(parent=newsroom, title="Andere Mitteilung")
    other.save_revision()
    # Validly signed, but the revision belongs to the other release.
    token = signing.dumps(
        {"page": other.pk, "revision": release_with_draft.latest_revision_id}, salt=PREVIEW_SALT
    )

    response = preview_get(client, token)

    assert response.status_code == 404
    assert "Masterplan" not in response.content.decode()


def test_token_for_a_page_that_is_not_a_release_gives_nothing(client, newsroom):
    revision = newsroom.save_revision()
    token = signing.dumps({"page": newsroom.pk, "revision": revision.pk}, salt=PREVIEW_SALT)

    assert preview_get(client, token).status_code == 404


def test_token_of_a_deleted_release_gives_nothing(client, release_with_draft):
    token = preview_token_create(release=release_with_draft)
    release_with_draft.delete()

    assert preview_get(client, token).status_code == 404


def test_preview_operation_is_in_the_openapi_document(client):
    schema = client.get("/api/press/openapi.json").json()

    operation = schema["paths"][PREVIEW_API]["get"]
    assert {"200", "401", "404"} <= set(operation["responses"])


# --- the admin side ---------------------------------------------------------------------------


def test_admin_preview_sends_the_editor_to_the_frontend_with_a_token(
    admin_client, release_with_draft, frontend
):
    response = admin_client.get(
        reverse("wagtailadmin_pages:view_draft", args=[release_with_draft.pk])
    )

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{FRONTEND}/preview"
    query = parse_qs(location.query)
    assert query["content_type"] == ["press.pressreleasepage"]
    # The frontend can redeem the token for exactly this draft.
    data = preview_get(admin_client, query["token"][0]).json()
    assert data["title"] == "Masterplan Industrie (Entwurf)"


def test_live_preview_panel_redirects_to_the_frontend(admin_client, release_with_draft, frontend):
    edit = admin_client.get(reverse("wagtailadmin_pages:edit", args=[release_with_draft.pk]))
    form = querydict_from_html(edit.content.decode(), form_id="page-edit-form")
    # The body is drawn by JavaScript, so it is not in the HTML: add it as the browser would.
    form.update(
        nested_form_data(
            {
                "corrections": inline_formset([]),
                "subscriber_mailing": inline_formset([]),
                "distribution_choices": inline_formset([]),
                "related_links": inline_formset([]),
                "body": streamfield([("paragraph", rich_text("<p>Ungespeicherte Änderung.</p>"))]),
            }
        )
    )
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[release_with_draft.pk])
    # The preview panel first posts the form, then loads the preview into its frame.
    assert admin_client.post(preview_url, form).json()["is_valid"] is True

    response = admin_client.get(preview_url, {"in_preview_panel": "true"})

    assert response.status_code == 302
    token = parse_qs(urlsplit(response["Location"]).query)["token"][0]
    assert response["Location"].startswith(f"{FRONTEND}/preview?")
    assert preview_get(admin_client, token).json()["title"] == "Masterplan Industrie (Entwurf)"


def test_admin_preview_renders_in_the_cms_without_a_frontend(admin_client, release_with_draft):
    response = admin_client.get(
        reverse("wagtailadmin_pages:view_draft", args=[release_with_draft.pk])
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Masterplan Industrie (Entwurf)" in html
    assert "Neuer Absatz nur im Entwurf." in html
