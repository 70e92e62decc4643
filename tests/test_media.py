"""Media is private until its release is public (filesystem storages; S3: test_s3_media.py).

What the web server serves is MEDIA_ROOT; originals and documents are stored elsewhere and
only reach a reader through a view that checks visibility."""

import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from press.models.embargo import embargo_link_create
from tests.factories import (
    ImageFactory,
    PressReleasePageFactory,
    body_image,
    body_paragraph,
    original_path,
)


def served_files() -> dict[str, bytes]:
    """Every file the web server in front hands out (it serves MEDIA_ROOT at MEDIA_URL)."""
    root = Path(settings.MEDIA_ROOT)
    return {
        str(path.relative_to(root)): path.read_bytes() for path in root.rglob("*") if path.is_file()
    }


def release_with(newsroom, photo, **kwargs):
    return PressReleasePageFactory(
        parent=newsroom,
        body=[body_paragraph("<p>Text</p>"), body_image(photo, caption="Foto")],
        **kwargs,
    )


def scheduled_release_with(newsroom, photo):
    release = release_with(newsroom, photo, live=False)
    release.go_live_at = timezone.now() + datetime.timedelta(days=3)
    release.save_revision().publish()
    release.refresh_from_db()
    assert not release.live and release.scheduled_revision is not None
    return release


def test_a_visible_release_s_original_downloads_through_the_view(client, newsroom):
    photo = ImageFactory(file__filename="rathaus.jpg")
    release = release_with(newsroom, photo)
    stored = photo.file.read()

    page = client.get(release.url)
    assert f'href="{original_path(photo)}"' in page.content.decode()

    response = client.get(original_path(photo))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "rathaus" in response["Content-Disposition"]
    assert "public" in response["Cache-Control"]

    again = client.get(original_path(photo), headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304


def test_originals_are_never_in_the_served_directory(client, newsroom):
    photo = ImageFactory()
    release_with(newsroom, photo)
    stored = photo.file.read()
    assert stored not in served_files().values()
    assert Path(photo.file.path).is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert not Path(photo.file.path).is_relative_to(settings.MEDIA_ROOT)


def test_renditions_of_a_visible_release_are_in_the_served_directory(client, newsroom):
    photo = ImageFactory()
    release = release_with(newsroom, photo)
    data = client.get(f"/api/v2/pages/{release.pk}/").json()
    renditions = next(b for b in data["body"] if b["type"] == "image")["value"]["image"]
    served = served_files()
    assert renditions["renditions"], "no renditions"
    for rendition in renditions["renditions"]:
        path = rendition["url"].removeprefix("http://testserver" + settings.MEDIA_URL)
        assert path.startswith("images/") and path in served


def test_renditions_of_an_unpublished_photo_cannot_be_guessed(client, newsroom):
    photo = ImageFactory(file__filename="vorab.jpg")
    scheduled_release_with(newsroom, photo)
    thumbnail = photo.get_rendition("max-165x165")  # what the admin's listing makes
    served = served_files()
    # The original's name as stored: "vorab.jpg", or with a suffix when an earlier test of the
    # session left a vorab.jpg in the media folder.
    expected = Path(photo.file.name).stem + ".max-165x165.jpg"
    assert f"images/{expected}" not in served
    directory, name = thumbnail.file.name.split("/")[1:]
    assert name == expected and len(directory) == 24
    assert thumbnail.file.name in served  # it exists, under a name no one can guess


def test_an_embargoed_photo_s_original_is_refused(client, newsroom):
    photo = ImageFactory()
    scheduled_release_with(newsroom, photo)
    response = client.get(original_path(photo))
    assert response.status_code == 404
    assert photo.file.read() not in served_files().values()


def test_an_unused_photo_and_a_wrong_file_name_are_refused(client, newsroom):
    unused = ImageFactory()
    used = ImageFactory()
    release_with(newsroom, used)
    assert client.get(original_path(unused)).status_code == 404
    assert client.get(original_path(used)).status_code == 200
    assert client.get(f"/photos/{used.pk}/other.jpg").status_code == 404


def test_a_withdrawn_release_s_original_is_refused_again(client, newsroom):
    photo = ImageFactory()
    release = release_with(newsroom, photo)
    assert client.get(original_path(photo)).status_code == 200
    release.unpublish()
    assert client.get(original_path(photo)).status_code == 404


def test_editors_download_a_draft_s_original_privately(client, newsroom, django_user_model):
    photo = ImageFactory()
    scheduled_release_with(newsroom, photo)
    editor = django_user_model.objects.create_user("redaktion", password="x")
    group = Group.objects.create(name="Redaktion")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    editor.groups.add(group)
    client.force_login(editor)
    response = client.get(original_path(photo))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_an_embargo_link_downloads_its_release_s_originals_only(client, newsroom):
    photo = ImageFactory(file__filename="vorab.jpg")
    other = ImageFactory(file__filename="andere.jpg")
    release = scheduled_release_with(newsroom, photo)
    scheduled_release_with(newsroom, other)
    link = embargo_link_create(release=release)

    page = client.get(link.get_absolute_url()).content.decode()
    download = f"{original_path(photo)}?embargo={link.token}"
    assert f'href="{download}"' in page
    text = client.get(link.get_absolute_url() + "text/").content.decode()
    assert f"http://testserver{download}" in text

    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == photo.file.read()
    assert response["Cache-Control"] == "private, no-store"
    assert client.get(original_path(photo)).status_code == 404
    assert client.get(f"{original_path(other)}?embargo={link.token}").status_code == 404
    assert client.get(f"{original_path(photo)}?embargo=forged").status_code == 404

    link.revoke()
    assert client.get(download).status_code == 404


def test_documents_of_a_password_collection_stay_private(client, db):
    root = Collection.get_first_root_node()
    private = root.add_child(name="Nur für die Presse")
    CollectionViewRestriction.objects.create(
        collection=private,
        restriction_type=CollectionViewRestriction.PASSWORD,
        password="presse",
    )
    document = get_document_model().objects.create(
        title="Hintergrund",
        collection=private,
        file=ContentFile(b"VERTRAULICH 2023", name="hintergrund.pdf"),
    )
    content = b"VERTRAULICH 2023"
    assert content not in served_files().values()

    response = client.get(document.url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert content not in body
    assert b"password" in body.lower() or b"passwort" in body.lower()

    public_document = get_document_model().objects.create(
        title="Öffentlich",
        collection=root,
        file=ContentFile(b"OEFFENTLICH", name="oeffentlich.pdf"),
    )
    response = client.get(public_document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"OEFFENTLICH"
