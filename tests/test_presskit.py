"""The press kit: one ZIP per release with its photos' originals, its text version and
credits.txt, streamed with flat memory, only for what the public may see."""

import io
import os
import tracemalloc
import zipfile

import pytest

from tests.factories import (
    ImageFactory,
    PressReleasePageFactory,
    body_image,
    body_paragraph,
)


def photo(title: str, filename: str):
    image = ImageFactory(title=title, file__filename=filename)
    return image


@pytest.fixture
def release(newsroom):
    hafen = photo("Hafen", "hafen-2023.jpg")
    rathaus = photo("Rathaus", "rathaus.jpg")
    release = PressReleasePageFactory(
        parent=newsroom,
        title="Masterplan Industrie",
        slug="masterplan-industrie",
        body=[
            body_paragraph("<p>Die Stadt stellt den Masterplan vor.</p>"),
            body_image(
                hafen, caption="Der Hafen.", credit="Landeshauptstadt Düsseldorf/Melanie Zanin"
            ),
            body_image(rathaus, caption="", credit="Landeshauptstadt Düsseldorf/David Young"),
            body_image(
                hafen,
                caption="Noch einmal der Hafen",
                credit="Landeshauptstadt Düsseldorf/Melanie Zanin",
            ),
        ],
    )
    release.save_revision().publish()
    release.refresh_from_db()
    return release


def kit_of(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response.streaming
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_press_kit_holds_originals_text_version_and_credits(client, release):
    response = client.get(release.url + "presskit/")

    assert response["Content-Type"] == "application/zip"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="20230207-masterplan-industrie.zip"'
    )
    kit = kit_of(response)
    assert kit.testzip() is None
    # Named as the originals are downloaded (as uploaded; the storage may add a suffix when a
    # name is taken already): the names the press API gives, each photo once.
    photos = client.get(f"/api/press/releases/{release.pk}").json()["photos"]
    hafen, rathaus = photos[0]["image"], photos[1]["image"]
    assert hafen["file_name"].startswith("hafen-2023") and rathaus["file_name"].startswith(
        "rathaus"
    )
    names = kit.namelist()
    assert names == [
        "20230207-masterplan-industrie.txt",
        "credits.txt",
        hafen["file_name"],
        rathaus["file_name"],
    ]
    assert kit.read(names[0]).decode() == client.get(release.url + "text/").content.decode()
    credits = kit.read("credits.txt").decode()
    assert "Masterplan Industrie" in credits
    assert (
        f"{hafen['file_name']}\nDer Hafen.\n©Landeshauptstadt Düsseldorf/Melanie Zanin" in credits
    )
    assert f"{rathaus['file_name']}\n©Landeshauptstadt Düsseldorf/David Young" in credits
    for image in (hafen, rathaus):
        original = client.get(image["url"].removeprefix("http://testserver"))
        assert kit.read(image["file_name"]) == b"".join(original.streaming_content)


def test_a_current_copy_gets_a_304_and_a_new_publication_a_new_kit(client, release):
    first = client.get(release.url + "presskit/")
    assert (
        client.get(release.url + "presskit/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    )

    release.body = [body_paragraph("<p>Nur noch Text.</p>")]
    release.save_revision().publish()

    response = client.get(release.url + "presskit/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert kit_of(response).namelist() == ["20230207-masterplan-industrie.txt", "credits.txt"]


def test_a_withdrawn_release_has_no_press_kit(client, release):
    release.unpublish()
    assert client.get(release.url + "presskit/").status_code == 404


def test_the_kit_is_streamed_with_flat_memory_however_large_the_photos(client, newsroom):
    """Two originals of 24 MB each: the ZIP is read chunk by chunk while at most a few chunks
    are held in memory. (The files are made large after publication: the kit copies bytes
    and never decodes them, and renditions of 24 MB of noise would only slow the test.)"""
    images = [photo(f"Groß {number}", f"gross-{number}.jpg") for number in (1, 2)]
    body = [body_image(image, credit="Landeshauptstadt Düsseldorf") for image in images]
    release = PressReleasePageFactory(parent=newsroom, slug="gross", body=body)
    release.save_revision().publish()
    for image in images:
        with open(image.file.path, "wb") as target:
            for _ in range(24):
                target.write(os.urandom(1024 * 1024))

    response = client.get(release.url + "presskit/")
    assert response.status_code == 200
    tracemalloc.start()
    total = 0
    for chunk in response.streaming_content:
        total += len(chunk)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert total > 48 * 1024 * 1024
    assert peak < 4 * 1024 * 1024, f"peak {peak / 1024 / 1024:.1f} MB while streaming {total} bytes"
