"""Photo uploads in the admin: damaged files get a form error, never a 500, and leave nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection

Image = get_image_model()


def jpeg_bytes(width: int = 800, height: int = 600) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), "steelblue").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


DAMAGED = {
    "header cut short": jpeg_bytes()[:400],
    "pixel data cut short": jpeg_bytes()[: len(jpeg_bytes()) // 2],
    "text posing as a photo": b"Dies ist kein Foto, nur Text mit der Endung .jpg\n" * 20,
}


@pytest.fixture
def editor_client(client, django_user_model, db):
    user = django_user_model.objects.create_superuser("redaktion", "r@example.org", "pw")
    client.force_login(user)
    return client


def upload(client, content: bytes, name: str = "foto.jpg"):
    return client.post(
        "/admin/images/add/",
        {
            "title": "Pressefoto",
            "credit": "Stadt Düsseldorf/Jane Doe",
            "file": SimpleUploadedFile(name, content, "image/jpeg"),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def test_a_sound_photo_uploads(editor_client):
    response = upload(editor_client, jpeg_bytes())
    assert response.status_code == 302
    assert Image.objects.filter(title="Pressefoto").count() == 1


@pytest.mark.parametrize("content", DAMAGED.values(), ids=DAMAGED.keys())
def test_a_damaged_photo_is_refused_with_a_message(editor_client, content):
    response = upload(editor_client, content)
    assert response.status_code == 200  # the form again, with its error
    form = response.context["form"]
    assert "file" in form.errors
    assert not Image.objects.exists()


@pytest.mark.parametrize("content", DAMAGED.values(), ids=DAMAGED.keys())
def test_the_multiple_uploader_refuses_a_damaged_photo(editor_client, content):
    response = editor_client.post(
        "/admin/images/multiple/add/",
        {"files[]": SimpleUploadedFile("foto.jpg", content, "image/jpeg")},
    )
    assert response.status_code == 200
    assert response.json()["success"] is False
    assert response.json()["error_message"]
    assert not Image.objects.exists()


def large_png(width: int = 10_000, height: int = 8_000) -> bytes:
    """80 megapixels of one colour in a few kilobytes: under Wagtail's limit (128 million here)
    and Pillow's bomb warning (89 million), over the plugin's PRESS["IMAGE_MAX_PIXELS"] (50)."""
    buffer = io.BytesIO()
    PILImage.new("1", (width, height), 1).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_photo_over_the_plugin_s_pixel_limit_is_refused_with_a_form_error(editor_client):
    response = upload(editor_client, large_png(), name="riesig.png")

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["file"])
    assert "10000 × 8000 Pixel (80,0 Megapixel); höchstens 50 Megapixel" in errors  # noqa: RUF001
    assert not Image.objects.exists()


def test_the_multiple_uploader_refuses_a_photo_over_the_pixel_limit(editor_client):
    response = editor_client.post(
        "/admin/images/multiple/add/",
        {"files[]": SimpleUploadedFile("riesig.png", large_png(), "image/png")},
    )
    assert response.json()["success"] is False
    assert "höchstens 50 Megapixel" in response.json()["error_message"]
    assert not Image.objects.exists()


def test_the_pixel_limit_is_a_setting(editor_client, settings):
    settings.PRESS = {**settings.PRESS, "IMAGE_MAX_PIXELS": 400_000}
    refused = upload(editor_client, jpeg_bytes(800, 600))  # 480 000 pixels
    assert "höchstens 0,4 Megapixel" in " ".join(refused.context["form"].errors["file"])

    accepted = upload(editor_client, jpeg_bytes(600, 600))
    assert accepted.status_code == 302
    assert Image.objects.count() == 1
