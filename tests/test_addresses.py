"""One rule for absolute addresses: public channels address pages, text versions and photos
below the root URL of the release's site (files on a CDN keep their own host); a preview, made
for one editor's browser and stored nowhere, addresses its photos below the root the admin was
reached at. And `make run ADDR=…` gives the demo site that address."""

import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Site

from press.models import PressReleasePage
from tests.factories import ImageFactory, PressReleasePageFactory, body_image, body_paragraph

SITE = "http://127.0.0.1:8000"
ADMIN_HOST = "127.0.0.1:8123"


@pytest.fixture
def site_at_8000(newsroom):
    """The demo's site address, while the admin is reached at another port."""
    Site.objects.filter(is_default_site=True).update(hostname="127.0.0.1", port=8000)
    return SITE


@pytest.fixture
def release_with_photo(newsroom, site_at_8000):
    release = PressReleasePageFactory(
        parent=newsroom,
        title="Masterplan Industrie",
        body=[
            body_paragraph("<p>Zum Jahresauftakt.</p>"),
            body_image(ImageFactory(), caption="Steuerungskreis", credit="Stadt/David Young"),
        ],
    )
    release.save_revision().publish()
    release.title = "Masterplan Industrie (Entwurf)"
    release.save_revision()
    return PressReleasePage.objects.get(pk=release.pk)


def photo_addresses(html: str) -> list[str]:
    """Every address a browser loads or downloads a photo from: src, srcset, download links,
    the OpenGraph image."""
    found = re.findall(r'<img[^>]* src="([^"]+)"', html)
    for srcset in re.findall(r'srcset="([^"]+)"', html):
        found += [part.strip().split(" ")[0] for part in srcset.split(",")]
    found += re.findall(r'<a[^>]* href="([^"]+)"[^>]* download', html)
    found += re.findall(r'<meta property="og:image" content="([^"]+)"', html)
    return [url.replace("&amp;", "&") for url in found]


def loads_on(client, url: str, host: str) -> bool:
    """Whether the address answers on `host`: a path below the host, or the host itself."""
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != host:
        return False
    if parts.path.startswith(settings.MEDIA_URL):  # renditions: the web server serves them
        return (Path(settings.MEDIA_ROOT) / parts.path.removeprefix(settings.MEDIA_URL)).is_file()
    return client.get(parts.path, HTTP_HOST=host).status_code == 200


def test_preview_photos_load_at_the_address_the_admin_is_reached_at(
    admin_client, release_with_photo
):
    response = admin_client.get(
        reverse("wagtailadmin_pages:view_draft", args=[release_with_photo.pk]),
        HTTP_HOST=ADMIN_HOST,
    )

    html = response.content.decode()
    assert "Masterplan Industrie (Entwurf)" in html
    addresses = photo_addresses(html)
    assert len(addresses) >= 5  # src, three srcset widths, the download link(s), og:image
    for url in addresses:
        assert ":8000" not in url, url
        assert loads_on(admin_client, url, ADMIN_HOST), url


def test_preview_panel_photos_load_at_the_admin_s_address(admin_client, release_with_photo):
    """The live preview panel: the form is posted, then the frame loads the preview."""
    from wagtail.test.utils.form_data import querydict_from_html

    edit_url = reverse("wagtailadmin_pages:edit", args=[release_with_photo.pk])
    form = querydict_from_html(
        admin_client.get(edit_url, HTTP_HOST=ADMIN_HOST).content.decode(),
        form_id="page-edit-form",
    )
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    image = next(b.value["image"] for b in release_with_photo.body if b.block_type == "image")
    form.update(
        nested_form_data(
            {
                "body": streamfield(
                    [
                        (
                            "image",
                            {"image": image.pk, "caption": "Neu", "credit": "Stadt", "alt": ""},
                        )
                    ]
                )
            }
        )
    )
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[release_with_photo.pk])
    posted = admin_client.post(preview_url, form, HTTP_HOST=ADMIN_HOST)
    assert posted.json()["is_valid"] is True, posted.json()

    response = admin_client.get(preview_url, {"in_preview_panel": "true"}, HTTP_HOST=ADMIN_HOST)

    addresses = photo_addresses(response.content.decode())
    assert addresses
    for url in addresses:
        assert loads_on(admin_client, url, ADMIN_HOST), url


def test_public_channels_address_photos_below_the_site_root_whatever_host_asks(
    client, release_with_photo
):
    """The stored document, the press API and API v2 (pages and images) give the site's root,
    not the host a request came in at: one address per photo, cacheable by every channel."""
    release = release_with_photo
    press_api = client.get(f"/api/press/releases/{release.pk}", HTTP_HOST=ADMIN_HOST).json()
    photo = press_api["photos"][0]["image"]
    assert photo["url"].startswith(f"{SITE}/photos/")
    assert all(r["url"].startswith(f"{SITE}/media/") for r in photo["renditions"])
    assert press_api["html_url"].startswith(f"{SITE}/")
    assert press_api["text_url"].startswith(f"{SITE}/")

    v2 = client.get(f"/api/v2/pages/{release.pk}/", HTTP_HOST=ADMIN_HOST).json()
    assert v2["body"][1]["value"]["image"]["url"] == photo["url"]

    image_id = photo["id"]
    v2_image = client.get(f"/api/v2/images/{image_id}/", HTTP_HOST=ADMIN_HOST).json()
    assert v2_image["meta"]["download_url"] == photo["url"]

    text = client.get(release.url + "text/", HTTP_HOST=ADMIN_HOST).content.decode()
    assert f"{SITE}/photos/" in text


def test_the_public_page_links_its_photos_as_paths(client, release_with_photo):
    """Read at another address (a proxy, a second port), the page's photos still load."""
    html = client.get(release_with_photo.url, HTTP_HOST=ADMIN_HOST).content.decode()
    addresses = photo_addresses(html.split("</head>", 1)[1])
    assert addresses
    for url in addresses:
        assert url.startswith("/"), url
        assert loads_on(client, url, ADMIN_HOST), url


def test_files_with_an_address_of_their_own_keep_it():
    """Renditions on another host (MEDIA_URL on a CDN, a bucket) keep it; paths go below the
    site's root."""
    from press.blocks import absolute_url

    cdn = "https://cdn.example/media/images/foto.width-800.jpg"
    assert absolute_url(cdn, base=SITE) == cdn
    assert absolute_url("/media/images/foto.jpg", base=SITE) == f"{SITE}/media/images/foto.jpg"


# --- make run ADDR=… ------------------------------------------------------------------------
def load_demo(*args) -> str:
    out = io.StringIO()
    call_command("load_demo_content", *args, stdout=out)
    return out.getvalue()


def test_make_run_addr_moves_the_demo_site_and_its_addresses(
    db, django_capture_on_commit_callbacks
):
    load_demo("--addr", "127.0.0.1:8000")
    # The documents are rebuilt in the task queue once the site's change is committed.
    with django_capture_on_commit_callbacks(execute=True):
        load_demo("--addr", "127.0.0.1:8123")

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8123)
    releases = PressReleasePage.objects.live()
    assert releases.exists()
    for release in releases:
        # The stored documents were rebuilt for the new address: text version and photos.
        assert release.text_url.startswith("http://127.0.0.1:8123/")
        document = release.document
        document.refresh_from_db()
        assert "127.0.0.1:8000" not in document.text
        assert "127.0.0.1:8000" not in document.api_json
    # The seed's photo download is at the new address too.
    assert "http://127.0.0.1:8123/photos/" in " ".join(r.document.text for r in releases)


def test_make_run_on_every_interface_is_visited_at_loopback(db):
    load_demo("--addr", "0.0.0.0:8124")
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8124)


def test_a_site_an_admin_configured_keeps_its_address(db):
    load_demo()
    Site.objects.filter(is_default_site=True).update(hostname="presse.example.de", port=443)

    load_demo("--addr", "127.0.0.1:8123")

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("presse.example.de", 443)


def test_make_run_passes_its_addr_to_the_demo_content():
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
    demo_recipe = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    assert "load_demo_content --addr $(ADDR)" in demo_recipe
    run_recipe = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "demo" in run_recipe.splitlines()[0]
    assert "runserver $(ADDR)" in run_recipe
