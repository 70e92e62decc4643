"""Embargo share links: a journalist reads a scheduled release early; nobody else does."""

import datetime
import zoneinfo

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone

from press.models.embargo import EmbargoShareLink, embargo_link_create
from tests.factories import PressReleasePageFactory, body_paragraph

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
GO_LIVE = datetime.datetime(2099, 2, 7, 10, 0, tzinfo=BERLIN)


def release_scheduled(newsroom, *, go_live_at=GO_LIVE, title="Masterplan Industrie"):
    """A release approved for publishing at `go_live_at`, not live yet."""
    release = PressReleasePageFactory(
        parent=newsroom,
        title=title,
        slug="masterplan-industrie",
        live=False,
        body=[body_paragraph("<p>Die Stadt stellt den Masterplan Industrie vor.</p>")],
    )
    release.go_live_at = go_live_at
    release.save_revision().publish()
    release.refresh_from_db()
    assert not release.live and release.scheduled_revision is not None
    return release


@pytest.fixture
def scheduled(newsroom):
    return release_scheduled(newsroom)


@pytest.fixture
def editor(db):
    user = get_user_model().objects.create_user("redaktion", "r@example.org", "geheim-123456")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def test_share_link_shows_scheduled_release_with_embargo_notice(client, scheduled):
    link = embargo_link_create(release=scheduled)

    response = client.get(link.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "Sperrfrist bis 07. Februar 2099, 10:00 Uhr" in html
    assert "Masterplan Industrie" in html
    assert "Die Stadt stellt den Masterplan Industrie vor." in html
    assert '<meta name="robots" content="noindex' in html
    assert "noindex" in response["X-Robots-Tag"]
    assert response["Cache-Control"] == "private, no-store"
    # the public address of the same release still shows nothing
    assert client.get(scheduled.url).status_code == 404


def test_share_link_notice_uses_berlin_time_across_dst(client, newsroom):
    release = release_scheduled(
        newsroom, go_live_at=datetime.datetime(2099, 7, 1, 8, 30, tzinfo=datetime.UTC)
    )
    link = embargo_link_create(release=release)

    html = client.get(link.get_absolute_url()).content.decode()

    assert "Sperrfrist bis 01. Juli 2099, 10:30 Uhr" in html


def test_share_link_text_version(client, scheduled):
    link = embargo_link_create(release=scheduled)

    response = client.get(link.get_absolute_url() + "text/")

    text = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert text.startswith("SPERRFRIST BIS 07. FEBRUAR 2099, 10:00 UHR")
    assert "Masterplan Industrie" in text
    assert "<p>" not in text
    assert response["Cache-Control"] == "private, no-store"
    assert "noindex" in response["X-Robots-Tag"]
    assert client.get(scheduled.url + "text/").status_code == 404


@pytest.mark.parametrize("suffix", ["", "text/", "ninjs"])
def test_head_on_a_share_link_answers_like_get_without_a_body(client, scheduled, suffix):
    """Link checkers and `curl -I` ask with HEAD; a journalist's tool must not see a 405."""
    url = embargo_link_create(release=scheduled).get_absolute_url() + suffix

    head = client.head(url)
    get = client.get(url)

    assert head.status_code == get.status_code == 200
    assert head.content == b""
    for header in ("Content-Type", "Cache-Control", "X-Robots-Tag", "Referrer-Policy"):
        assert head[header] == get[header]
    forged = reverse("press_embargo", kwargs={"token": "gefaelscht"}) + suffix
    assert client.head(forged).status_code == 404
    assert client.post(url).status_code == 405


def test_share_link_shows_the_scheduled_revision_not_a_later_unapproved_draft(client, scheduled):
    link = embargo_link_create(release=scheduled)
    draft = scheduled.get_latest_revision_as_object()
    draft.title = "Nicht freigegebener Entwurf"
    draft.save_revision()

    html = client.get(link.get_absolute_url()).content.decode()

    assert "Masterplan Industrie" in html
    assert "Nicht freigegebener Entwurf" not in html


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda link: link.revoke(), id="revoked"),
        pytest.param(
            lambda link: EmbargoShareLink.objects.filter(pk=link.pk).update(
                expires_at=timezone.now() - datetime.timedelta(minutes=1)
            ),
            id="expired",
        ),
    ],
)
def test_revoked_or_expired_link_shows_nothing(client, scheduled, spoil):
    link = embargo_link_create(release=scheduled)
    url = link.get_absolute_url()
    assert client.get(url).status_code == 200

    spoil(link)

    for address in (url, url + "text/"):
        response = client.get(address)
        assert response.status_code == 404
        body = response.content.decode()
        assert "Masterplan" not in body
        assert "Stadt stellt" not in body


def test_forged_or_tampered_token_is_404(client, scheduled):
    link = embargo_link_create(release=scheduled)
    key, signature = link.token.split(".")

    assert client.get(f"/presse-vorab/{key}.{signature[:-2]}xx/").status_code == 404
    assert client.get(f"/presse-vorab/{key}/").status_code == 404
    assert client.get("/presse-vorab/nichts/").status_code == 404


def test_link_to_release_that_went_live_redirects_to_public_page(client, newsroom):
    release = release_scheduled(newsroom)
    link = embargo_link_create(release=release)
    release.scheduled_revision.publish()  # publish_scheduled runs the same action at go-live
    release.refresh_from_db()
    release.go_live_at = None
    release.save_revision().publish()

    response = client.get(link.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"] == release.url


def test_editor_creates_lists_and_revokes_links_in_admin(client, scheduled, editor):
    client.force_login(editor)
    admin_url = f"/admin/press/embargo-links/{scheduled.pk}/"

    edit_page = client.get(f"/admin/pages/{scheduled.pk}/edit/").content.decode()
    assert admin_url in edit_page  # the header menu offers "Sperrfrist-Link erstellen"

    response = client.post(
        admin_url,
        {"note": "Rheinische Post", "expires_at": "2099-02-08 10:00"},
        follow=True,
    )
    assert response.status_code == 200
    link = scheduled.embargo_links.get()
    assert link.note == "Rheinische Post"
    assert link.created_by == editor
    assert timezone.localtime(link.expires_at).hour == 10
    html = response.content.decode()
    assert link.token in html and "Rheinische Post" in html and "widerrufen" in html

    client.post(f"{admin_url}{link.pk}/revoke/")

    link.refresh_from_db()
    assert link.revoked_at is not None
    client.logout()
    assert client.get(link.get_absolute_url()).status_code == 404


def test_admin_rejects_expiry_in_the_past(client, scheduled, editor):
    client.force_login(editor)

    response = client.post(
        f"/admin/press/embargo-links/{scheduled.pk}/",
        {"note": "", "expires_at": "2001-01-01 10:00"},
    )

    assert response.status_code == 200
    assert "Zukunft" in response.content.decode()
    assert not scheduled.embargo_links.exists()


def test_admin_page_needs_edit_permission(client, scheduled, db):
    outsider = get_user_model().objects.create_user("gast", "g@example.org", "geheim-123456")
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(outsider)

    assert client.get(f"/admin/press/embargo-links/{scheduled.pk}/").status_code in {302, 403}
    assert client.post(f"/admin/press/embargo-links/{scheduled.pk}/", {}).status_code in {302, 403}
    assert not scheduled.embargo_links.exists()


def test_share_link_names_its_release_with_the_note_or_the_creation_time(scheduled):
    with_note = embargo_link_create(release=scheduled, note="Rheinische Post, Lokalredaktion")
    without_note = embargo_link_create(release=scheduled)
    assert str(with_note) == "Masterplan Industrie (Rheinische Post, Lokalredaktion)"
    created = timezone.localtime(without_note.created_at)
    assert str(without_note) == f"Masterplan Industrie ({created:%Y-%m-%d %H:%M})"
    assert str(EmbargoShareLink(release=scheduled)) == "Masterplan Industrie"


def test_every_link_on_the_embargo_page_answers_before_go_live(client, newsroom):
    """Text version, its download, the photo original and the site's links: none is a 404
    while the release is still under embargo."""
    from html.parser import HTMLParser

    from tests.factories import ImageFactory, body_image

    release = PressReleasePageFactory(
        parent=newsroom,
        title="Masterplan Industrie",
        slug="masterplan-industrie",
        live=False,
        body=[
            body_paragraph("<p>Die Stadt stellt den Masterplan Industrie vor.</p>"),
            body_image(ImageFactory(), caption="Das Treffen", alt="Gruppenbild"),
        ],
    )
    release.go_live_at = GO_LIVE
    release.save_revision().publish()
    link = embargo_link_create(release=release)

    class Links(HTMLParser):
        hrefs: list[str] = []

        def handle_starttag(self, tag, attrs):
            if tag == "a" and dict(attrs).get("href"):
                self.hrefs.append(dict(attrs)["href"])

    parser = Links()
    parser.hrefs = []
    parser.feed(client.get(link.get_absolute_url()).content.decode())
    internal = [href for href in parser.hrefs if href.startswith(("/", "#"))]
    text_links = [href for href in internal if "/text/" in href]

    assert len(text_links) >= 2 and all(link.token in href for href in text_links)
    for href in internal:
        if href.startswith("#"):
            continue
        if href.startswith(settings.MEDIA_URL):
            # The photo's print and web sizes: files in the public renditions storage, which
            # the web server serves (not Django): they must exist there.
            name = href.removeprefix(settings.MEDIA_URL)
            assert storages["renditions"].exists(name), href
            continue
        assert client.get(href).status_code == 200, href
    download = client.get(link.get_absolute_url() + "text/?download=1")
    assert download["Content-Disposition"].startswith("attachment;")
    assert download.content.decode().startswith("SPERRFRIST BIS")
