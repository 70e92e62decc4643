"""Photos that stop being public leave the public storage (filesystem storages; S3:
test_s3_media.py).

An embargo reading shows its photos only through a token-checked view, never by their public
rendition addresses; revoking the link, unpublishing or deleting the release, or the end of a
photo's rights removes the renditions no visible page still shows, files and all. What the web
server serves is MEDIA_ROOT (tests.test_media.served_files)."""

import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images import get_image_model

from press.models import PhotoRights
from press.models.embargo import embargo_link_create
from press.publishing.photos import photos_expired_withdraw
from tests.factories import ImageFactory
from tests.test_media import release_with, scheduled_release_with, served_files


def rendition_files(photo) -> set[str]:
    return set(
        get_image_model()
        .get_rendition_model()
        .objects.filter(image=photo)
        .values_list("file", flat=True)
    )


def public_rendition_paths(client, release) -> list[str]:
    """The rendition addresses a reader of the release gets (API v2), as MEDIA_ROOT paths."""
    data = client.get(f"/api/v2/pages/{release.pk}/").json()
    image = next(b for b in data["body"] if b["type"] == "image")["value"]["image"]
    urls = [r["url"] for r in image["renditions"]] + [d["url"] for d in image["downloads"]]
    assert len(urls) == 5
    return [url.removeprefix("http://testserver/media/") for url in urls]


def test_an_embargo_reading_shows_its_photos_through_the_checked_view_until_revoked(
    client, newsroom, django_capture_on_commit_callbacks
):
    photo = ImageFactory(file__filename="vorab.jpg")
    release = scheduled_release_with(newsroom, photo)
    link = embargo_link_create(release=release)

    page = client.get(link.get_absolute_url()).content.decode()
    ninjs = client.get(link.get_absolute_url() + "ninjs").content.decode()

    # No public address of a rendition: neither in the page (srcset, downloads, head) nor in
    # the ninjs a news desk's system keeps.
    for made in rendition_files(photo):
        assert made not in page and made not in ninjs
    assert "/media/" not in page and "/media/" not in ninjs
    checked = f"{link.get_absolute_url()}photos/{photo.pk}/"
    sizes = set(re.findall(re.escape(checked) + r"([a-z0-9]+)", page))
    assert sizes == {"400", "800", "1600", "print", "web"}
    assert f"http://testserver{checked}800" in ninjs
    response = client.get(checked + "800")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert PILImage.open(io.BytesIO(b"".join(response.streaming_content))).size == (800, 533)
    assert client.get(checked + "3000").status_code == 404  # only the offered sizes
    assert client.head(checked + "print").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        link.revoke()

    assert client.get(checked + "800").status_code == 404
    assert rendition_files(photo) == set()
    # This photo's files only (other tests leave photos of the same name in the media root).
    stem = Path(photo.file.name).stem
    assert not [name for name in served_files() if f"/{stem}." in name]


def test_a_forged_token_or_another_release_s_photo_is_refused(client, newsroom):
    photo = ImageFactory()
    other = ImageFactory()
    link = embargo_link_create(release=scheduled_release_with(newsroom, photo))
    scheduled_release_with(newsroom, other)

    def photo_url(token, image):
        return reverse("press_embargo_photo", args=[token, image.pk, "800"])

    assert client.get(photo_url(link.token, photo)).status_code == 200
    assert client.get(photo_url(link.token, other)).status_code == 404
    assert client.get(photo_url("forged", photo)).status_code == 404


def withdraw_unpublish(release):
    release.unpublish()


def withdraw_delete(release):
    release.delete()


def withdraw_rights_end(release):
    photo = next(b.value["image"] for b in release.body if b.block_type == "image")
    PhotoRights.objects.update_or_create(
        image=photo, defaults={"credit": "Stadt", "rights_end": timezone.now()}
    )
    photos_expired_withdraw()


@pytest.mark.parametrize("withdraw", [withdraw_unpublish, withdraw_delete, withdraw_rights_end])
def test_a_withdrawn_release_s_renditions_leave_the_served_directory(
    client, newsroom, withdraw, django_capture_on_commit_callbacks
):
    photo = ImageFactory(file__filename="rathaus.jpg")
    release = release_with(newsroom, photo)
    paths = public_rendition_paths(client, release)
    assert set(paths) <= set(served_files())

    with django_capture_on_commit_callbacks(execute=True):
        withdraw(release)

    # The addresses readers were given serve nothing any more (the web server serves
    # MEDIA_ROOT: a file that is not there is a 404).
    assert not set(paths) & set(served_files())
    assert rendition_files(photo) == set()


def test_a_photo_another_visible_release_shows_keeps_its_renditions(
    client, newsroom, django_capture_on_commit_callbacks
):
    photo = ImageFactory()
    first = release_with(newsroom, photo)
    second = release_with(newsroom, photo)
    paths = public_rendition_paths(client, second)

    with django_capture_on_commit_callbacks(execute=True):
        first.unpublish()
    assert set(paths) <= set(served_files())  # the second release's page still shows them
    embargoed = scheduled_release_with(newsroom, photo)
    with django_capture_on_commit_callbacks(execute=True):
        embargo_link_create(release=embargoed).revoke()
    assert set(paths) <= set(served_files())

    with django_capture_on_commit_callbacks(execute=True):
        second.delete()
    assert not set(paths) & set(served_files())


def test_a_release_published_again_gets_its_renditions_again(
    client, newsroom, django_capture_on_commit_callbacks
):
    photo = ImageFactory()
    release = release_with(newsroom, photo)
    with django_capture_on_commit_callbacks(execute=True):
        release.unpublish()
    release.save_revision().publish()

    assert set(public_rendition_paths(client, release)) <= set(served_files())
