"""HTTP caching of the press API and the text version (ETag, Last-Modified, 304) and CORS."""

import datetime
import time
from unittest import mock

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from wagtail.models import PageViewRestriction

import press.documents
import press.models.documents
from tests.factories import PressReleasePageFactory, body_paragraph

LIST_URL = "/api/press/releases"


def published(release):
    release.save_revision().publish()
    release.refresh_from_db()
    return release


@pytest.fixture
def release(newsroom):
    return published(
        PressReleasePageFactory(
            parent=newsroom,
            title="Masterplan Industrie",
            slug="masterplan-industrie",
            body=[body_paragraph("<p>Der Steuerungskreis tagte im Rathaus.</p>")],
        )
    )


def detail_url(release) -> str:
    return f"{LIST_URL}/{release.pk}"


@pytest.mark.parametrize("kind", ["detail", "list", "by-path", "text"])
def test_responses_carry_cache_headers(client, release, kind):
    url = {
        "detail": detail_url(release),
        "list": LIST_URL,
        "by-path": f"{LIST_URL}/by-path?slug=masterplan-industrie",
        "text": f"{release.url}text/",
    }[kind]
    response = client.get(url)
    assert response.status_code == 200
    assert response["ETag"].startswith('"') and response["ETag"].endswith('"')
    if kind == "list":
        # A release leaving the page does not make the page newer: lists have no date.
        assert "Last-Modified" not in response
    else:
        assert response["Last-Modified"] == http_date(release.last_published_at.timestamp())
    cache_control = response["Cache-Control"]
    assert "public" in cache_control
    assert "max-age=60" in cache_control
    assert "stale-while-revalidate" in cache_control


@pytest.mark.parametrize("kind", ["detail", "list", "text"])
def test_matching_etag_is_a_304_without_serialising(client, release, kind):
    url = {"detail": detail_url(release), "list": LIST_URL, "text": f"{release.url}text/"}[kind]
    first = client.get(url)
    etag = first["ETag"]
    with (
        mock.patch.object(
            press.models.documents,
            "release_document_build",
            wraps=press.models.documents.release_document_build,
        ) as api_spy,
        mock.patch.object(
            press.documents, "release_body_data", wraps=press.documents.release_body_data
        ) as body_spy,
    ):
        response = client.get(url, headers={"If-None-Match": etag})
        assert response.status_code == 304
        assert response.content == b""
        assert response["ETag"] == etag
        assert "max-age=60" in response["Cache-Control"]
        api_spy.assert_not_called()
        body_spy.assert_not_called()

        # A different tag is the full answer (the stored document while nothing changed).
        changed = client.get(url, headers={"If-None-Match": '"something-else"'})
        assert changed.status_code == 200
        assert changed.content == first.content


def test_if_modified_since_is_a_304_until_the_release_is_republished(client, release):
    # Last-Modified has whole seconds: date the first publication back so a republish is later.
    release.last_published_at -= datetime.timedelta(seconds=5)
    release.save(update_fields=["last_published_at"])
    since = client.get(detail_url(release))["Last-Modified"]
    assert client.get(detail_url(release), headers={"If-Modified-Since": since}).status_code == 304

    release.title = "Masterplan Industrie 2030"
    published(release)
    response = client.get(detail_url(release), headers={"If-Modified-Since": since})
    assert response.status_code == 200
    assert response.json()["title"] == "Masterplan Industrie 2030"


def test_republishing_changes_the_detail_etag(client, release):
    etag = client.get(detail_url(release))["ETag"]
    release.title = "Masterplan Industrie 2030"
    published(release)
    response = client.get(detail_url(release), headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert response.json()["title"] == "Masterplan Industrie 2030"


def test_contact_change_changes_the_etag(client, release, django_capture_on_commit_callbacks):
    etag = client.get(detail_url(release))["ETag"]
    release.contact.phone = "+49.211.89-00000"
    with django_capture_on_commit_callbacks(execute=True):
        release.contact.save()
    response = client.get(detail_url(release), headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response.json()["contact"]["phone"] == "+49.211.89-00000"


def test_list_etag_follows_publishing_unpublishing_and_the_query(client, newsroom, release):
    etag = client.get(LIST_URL)["ETag"]
    assert client.get(LIST_URL, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(f"{LIST_URL}?year=2023", headers={"If-None-Match": etag}).status_code == 200

    other = published(PressReleasePageFactory(parent=newsroom, title="Neu"))
    response = client.get(LIST_URL, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response.json()["count"] == 2

    etag = response["ETag"]
    other.unpublish()
    response = client.get(LIST_URL, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_errors_are_not_cached_as_releases(client, release):
    response = client.get(LIST_URL, {"limit": 1000}, headers={"If-None-Match": "*"})
    assert response.status_code == 400
    assert "ETag" not in response


def test_text_version_of_a_private_release_is_never_publicly_cacheable(client, release):
    restriction = PageViewRestriction.objects.create(
        page=release, restriction_type="password", password="geheim"
    )
    assert "Steuerungskreis" not in client.get(f"{release.url}text/").content.decode()
    client.post(
        reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, release.pk]),
        {"password": "geheim", "return_url": release.url},
    )
    response = client.get(f"{release.url}text/")
    assert response.status_code == 200
    assert "Steuerungskreis tagte" in response.content.decode()
    assert "public" not in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "ETag" not in response


@override_settings(CORS_ALLOWED_ORIGINS=["https://www.duesseldorf.de"])
def test_cors_allows_the_configured_frontend_only(client, release):
    allowed = client.get(LIST_URL, headers={"Origin": "https://www.duesseldorf.de"})
    assert allowed["Access-Control-Allow-Origin"] == "https://www.duesseldorf.de"

    other = client.get(LIST_URL, headers={"Origin": "https://evil.example"})
    assert other.status_code == 200
    assert "Access-Control-Allow-Origin" not in other

    preflight = client.options(
        detail_url(release),
        headers={
            "Origin": "https://www.duesseldorf.de",
            "Access-Control-Request-Method": "GET",
        },
    )
    assert preflight["Access-Control-Allow-Origin"] == "https://www.duesseldorf.de"


@override_settings(CORS_ALLOWED_ORIGINS=["https://www.duesseldorf.de"])
def test_cors_headers_only_on_the_api(client, release):
    page = client.get(release.url, headers={"Origin": "https://www.duesseldorf.de"})
    assert page.status_code == 200
    assert "Access-Control-Allow-Origin" not in page


def test_head_gives_the_validators_without_a_body(client, release):
    head = client.head(detail_url(release))
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == client.get(detail_url(release))["ETag"]
    assert (
        client.head(detail_url(release), headers={"If-None-Match": head["ETag"]}).status_code == 304
    )
    assert client.head(LIST_URL).status_code == 200


def test_a_release_whose_expiry_passes_between_two_requests_is_gone_on_the_second(client, release):
    """The press API's statements are compiled once and then only run: expiry is compared with
    the database's clock when they run, not with the moment they were made."""
    release.expire_at = timezone.now() + datetime.timedelta(seconds=2)
    release.save(update_fields=["expire_at"])
    urls = {
        "list": LIST_URL,
        "detail": detail_url(release),
        "by-path": f"{LIST_URL}/by-path?path={release.url}",
        "by-slug": f"{LIST_URL}/by-path?slug=masterplan-industrie",
    }
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert release.title in response.content.decode(), name
    time.sleep(2.5)  # expiry passes; publish_scheduled has not run (it runs every minute)
    assert client.get(LIST_URL).json()["results"] == []
    for name in ("detail", "by-path", "by-slug"):
        assert client.get(urls[name]).status_code == 404, name
