"""Photos of a release behind a view restriction are no public files (filesystem storages; S3:
test_s3_media.py).

When a restriction (password, login, groups) comes to cover a release, the renditions of its
photos leave the served directory, unless a visible page shows the photo too. Its readers get
each photo through a checked view that asks the same restrictions as the page; anyone else
gets a 404. Without the restriction, the release names public renditions again."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.models import PageViewRestriction

from press.blocks import photo_size_spec
from press.documents import addresses_replace, document_photo_addresses
from tests.factories import ImageFactory, PressIndexPageFactory, original_path
from tests.test_media import release_with, served_files
from tests.test_photos_withdrawn import public_rendition_paths, rendition_files
from tests.test_visibility_facts import fresh


def restrict(page, kind=PageViewRestriction.PASSWORD):
    return PageViewRestriction.objects.create(
        page=page, restriction_type=kind, password="geheim" if kind == "password" else ""
    )


def checked_prefix(release, photo) -> str:
    return f"/photos/restricted/{release.pk}/{photo.pk}/"


def password_entered(client, restriction, release) -> None:
    """A reader types the shared password into the form Wagtail shows for the page."""
    assert b'name="password"' in client.get(release.url).content
    response = client.post(
        reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, release.pk]),
        {"password": "geheim", "return_url": release.url},
    )
    assert response.status_code == 302


def image_size(response) -> tuple[int, int]:
    return PILImage.open(io.BytesIO(b"".join(response.streaming_content))).size


def test_a_restriction_takes_the_release_s_renditions_out_of_the_served_directory(
    client, newsroom, django_capture_on_commit_callbacks
):
    photo = ImageFactory(file__filename="intern.jpg")
    release = release_with(newsroom, photo)
    paths = public_rendition_paths(client, release)
    assert set(paths) <= set(served_files())

    # On an ancestor: it covers the release as well as one on the release itself would.
    with django_capture_on_commit_callbacks(execute=True):
        restrict(newsroom)

    # The addresses readers were given serve nothing any more.
    assert not set(paths) & set(served_files())
    assert rendition_files(photo) == set()


@pytest.mark.parametrize("kind", [PageViewRestriction.PASSWORD, PageViewRestriction.LOGIN])
def test_an_allowed_reader_sees_the_photos_through_the_checked_view(
    client, newsroom, kind, django_capture_on_commit_callbacks
):
    photo = ImageFactory(file__filename="intern.jpg")
    release = release_with(newsroom, photo)
    with django_capture_on_commit_callbacks(execute=True):
        restriction = restrict(release, kind)
    if kind == PageViewRestriction.PASSWORD:
        password_entered(client, restriction, release)
    else:
        client.force_login(get_user_model().objects.create_user("leserin", password="x"))

    page = client.get(release.url)
    assert page.status_code == 200
    html = page.content.decode()
    text = client.get(release.url + "text/").content.decode()
    # No public address of a photo file: not in the srcset, the downloads or the head, nor an
    # original's download that would refuse this reader.
    assert "/media/" not in html and "/media/" not in text
    assert original_path(photo) not in html and original_path(photo) not in text
    checked = checked_prefix(release, photo)
    sizes = set(re.findall(re.escape(checked) + r"([a-z0-9]+)", html))
    # The widths its data offers: 1600 is the photo's own 1200 (no rendition is upscaled).
    assert (photo.width, photo.height) == (1200, 800)
    assert sizes == {"400", "800", "1200", "print", "web", "original"}
    assert f"http://testserver{checked}original" in text

    response = client.get(checked + "800")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"] == "image/jpeg"
    assert image_size(response) == (800, 533)
    assert image_size(client.get(checked + "1200")) == (1200, 800)
    original = client.get(checked + "original")
    assert original.status_code == 200
    assert original["Content-Disposition"].startswith("attachment;")
    assert image_size(original) == (photo.width, photo.height)
    # The renditions made for the reader are named nowhere a reader sees.
    for made in rendition_files(photo):
        assert made not in html


def test_anyone_else_gets_a_404_from_the_checked_view(
    client, newsroom, django_capture_on_commit_callbacks
):
    photo, other = ImageFactory(), ImageFactory()
    release = release_with(newsroom, photo)
    public = release_with(newsroom, other)
    with django_capture_on_commit_callbacks(execute=True):
        restriction = restrict(release)
    password_entered(client, restriction, release)
    checked = checked_prefix(release, photo)
    assert client.get(checked + "800").status_code == 200

    anonymous = Client()
    for path in (checked + "800", checked + "original", checked + "print"):
        response = anonymous.get(path)
        assert response.status_code == 404
        assert response.get("Cache-Control", "") != "public"
    # Only the photos of that release, in the sizes its page offers, and only while a
    # restriction covers it (a public release's photos have their public addresses).
    assert client.get(checked_prefix(release, other) + "800").status_code == 404
    assert client.get(checked + "3000").status_code == 404
    assert client.get(checked + "../800").status_code == 404
    assert client.get(checked_prefix(public, other) + "800").status_code == 404


def test_without_the_restriction_the_public_photos_work_again(
    client, newsroom, django_capture_on_commit_callbacks
):
    photo = ImageFactory()
    release = release_with(newsroom, photo)
    before = public_rendition_paths(client, release)
    with django_capture_on_commit_callbacks(execute=True):
        restriction = restrict(newsroom)
    assert not set(before) & set(served_files())

    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()

    # The document was rebuilt with renditions the served directory has.
    paths = public_rendition_paths(client, release)
    assert set(paths) <= set(served_files())
    html = client.get(release.url).content.decode()
    assert "/photos/restricted/" not in html
    for path in paths:
        assert f"/media/{path}" in html


def test_a_photo_a_public_release_shows_too_stays_public(
    client, newsroom, django_capture_on_commit_callbacks
):
    shared, own = ImageFactory(), ImageFactory()
    public = release_with(newsroom, shared)
    restricted = release_with(newsroom, shared)
    restricted_own = release_with(newsroom, own)
    paths = public_rendition_paths(client, public)
    own_paths = public_rendition_paths(client, restricted_own)

    with django_capture_on_commit_callbacks(execute=True):
        restrict(restricted)
        restrict(restricted_own)

    assert set(paths) <= set(served_files())  # the public release still shows them
    assert not set(own_paths) & set(served_files())


def test_a_move_below_a_restricted_page_and_back_withdraws_and_restores(
    client, home, newsroom, django_capture_on_commit_callbacks
):
    internal = PressIndexPageFactory(parent=home, title="Intern", slug="intern")
    restrict(internal)
    photo = ImageFactory()
    release = release_with(newsroom, photo)
    paths = public_rendition_paths(client, release)

    with django_capture_on_commit_callbacks(execute=True):
        fresh(release).move(fresh(internal), pos="last-child")
    assert not set(paths) & set(served_files())

    with django_capture_on_commit_callbacks(execute=True):
        fresh(release).move(fresh(newsroom), pos="last-child")
    assert set(public_rendition_paths(client, release)) <= set(served_files())


# --- the pure parts --------------------------------------------------------------------------


def image_dict(pk, *, widths=(400, 800)):
    return {
        "id": pk,
        "url": f"http://site/photos/{pk}/a.jpg",
        "renditions": [
            {"url": f"http://site/media/images/x/a.width-{w}.jpg", "width": w} for w in widths
        ],
        "downloads": [{"kind": "web", "url": "http://site/media/images/y/a.max-1200x1200.jpg"}],
    }


def test_every_photo_address_of_a_document_is_swapped_wherever_it_occurs():
    image = image_dict(7)
    data = {
        "body": [{"type": "image", "value": {"image": image}}],
        "meta": {
            "og_image": {"url": image["renditions"][-1]["url"], "alt": "Rathaus"},
            "json_ld": {"image": [{"url": image["url"]}]},
        },
    }
    replacements = document_photo_addresses(data, address=lambda pk, size: f"/checked/{pk}/{size}")
    assert sorted(replacements.values()) == [
        "/checked/7/400",
        "/checked/7/800",
        "/checked/7/original",
        "/checked/7/web",
    ]
    swapped = addresses_replace(data, replacements=replacements)
    assert swapped["meta"]["og_image"] == {"url": "/checked/7/800", "alt": "Rathaus"}
    assert swapped["meta"]["json_ld"]["image"][0]["url"] == "/checked/7/original"
    assert "http://site/" not in str(swapped)
    assert data["body"][0]["value"]["image"] == image_dict(7)  # the stored data is left alone
    text = f"Foto: {image['url']}\nWeb: {image['downloads'][0]['url']}"
    assert addresses_replace(text, replacements=replacements) == (
        "Foto: /checked/7/original\nWeb: /checked/7/web"
    )
    assert addresses_replace(data, replacements={}) is data


@pytest.mark.parametrize(
    ("size", "image_width", "spec"),
    [
        ("800", 1200, "width-800"),
        ("1200", 1200, "width-1600"),  # what width-1600 made of a 1200 px photo
        ("1600", 1200, None),  # never offered: no rendition is upscaled
        ("1600", 2000, "width-1600"),
        ("print", 1200, "max-3000x3000|format-jpeg|jpegquality-90"),
        ("web", 1200, "max-1200x1200|format-jpeg|jpegquality-85"),
        ("3000", 4000, None),
        ("original", 1200, None),
        ("\uff18\uff10\uff10", 1200, None),  # fullwidth digits
        ("0800", 1200, None),
    ],
)
def test_a_size_name_is_a_rendition_the_photo_s_data_offers(size, image_width, spec):
    assert photo_size_spec(size=size, image_width=image_width) == spec
