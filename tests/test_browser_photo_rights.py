"""Photo rights in a real browser (system Chromium), at desktop and phone width: the image
edit form shows credit, licence and rights end in German and saves them; the release page
offers each photo in print and web size beside the original, each link with its credit line,
without sideways scrolling at 375 px. Screenshots go to PRESS_SCREENSHOT_DIR (default /tmp)."""

import os
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import storages
from django.utils import timezone
from PIL import Image as PILImage

from press.models import PhotoRights
from tests.browser import CHROMIUM, NO_CHROMIUM
from tests.factories import ImageFactory, PressReleasePageFactory, body_image, body_paragraph
from tests.test_browser_editor import (  # noqa: F401 - fixtures
    PASSWORD,
    USERNAME,
    admin_log_in,
    browser,
    site_on_live_server,
)

SCREENSHOTS = os.environ.get("PRESS_SCREENSHOT_DIR", "/tmp")
CREDIT = "Landeshauptstadt Düsseldorf/Melanie Zanin"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM),
]


@pytest.fixture
def release_with_photo(site_on_live_server, newsroom):  # noqa: F811
    get_user_model().objects.create_superuser(USERNAME, "r@example.org", PASSWORD)
    image = ImageFactory(
        title="Hafen",
        description="Kräne im Düsseldorfer Hafen",
        file__width=3600,
        file__height=2400,
        file__filename="hafen-steuerungskreis-2023.jpg",
    )
    PhotoRights.objects.create(image=image, credit=CREDIT, licence="Nur redaktionell")
    release = PressReleasePageFactory(
        parent=newsroom,
        title="Masterplan Industrie",
        slug="masterplan-industrie",
        body=[
            body_paragraph("<p>Die Stadt stellt den Masterplan Industrie vor.</p>"),
            body_image(image, caption="Der Steuerungskreis im Rathaus", credit=""),
        ],
    )
    release.save_revision().publish()
    return site_on_live_server, image, release


def no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("width", [1280, 375])
def test_the_image_edit_form_shows_and_saves_the_photo_s_rights(
    browser,  # noqa: F811
    release_with_photo,
    width,
):
    base_url, image, _release = release_with_photo
    page = browser.new_page(viewport={"width": width, "height": 900}, locale="de-DE")
    admin_log_in(page, base_url)
    page.goto(f"{base_url}/admin/images/{image.pk}/")

    credit = page.get_by_label("Bildnachweis (©)")
    assert credit.input_value() == CREDIT
    assert page.get_by_label("Lizenz / Nutzungsbedingungen").input_value() == "Nur redaktionell"
    assert page.get_by_label("Rechte enden").is_visible()
    # The admin scrolls inside its main area: the rights in view, then the screenshot.
    page.get_by_label("Rechte enden").scroll_into_view_if_needed()
    page.screenshot(path=f"{SCREENSHOTS}/photo-rights-edit-{width}.png")

    credit.fill("dpa/Jane Doe")
    page.get_by_role("button", name="Speichern").first.click()
    page.wait_for_url(f"{base_url}/admin/images/")
    assert PhotoRights.objects.get(pk=image.pk).credit == "dpa/Jane Doe"
    expired = ImageFactory(title="Stadion")
    PhotoRights.objects.create(
        image=expired, credit="Agentur/Max Muster", rights_end=timezone.now() - timedelta(days=1)
    )
    for layout in ("list", "grid"):
        page.goto(f"{base_url}/admin/images/?layout={layout}")
        assert page.get_by_text("©dpa/Jane Doe").first.is_visible()
        assert page.get_by_text("Rechte abgelaufen").first.is_visible()
        page.screenshot(path=f"{SCREENSHOTS}/photo-rights-{layout}-{width}.png", full_page=True)
    page.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_the_release_page_offers_print_and_web_size_with_the_credit(
    browser,  # noqa: F811
    release_with_photo,
    width,
):
    base_url, _image, release = release_with_photo
    page = browser.new_page(viewport={"width": width, "height": 900}, locale="de-DE")
    page.goto(base_url + release.url)

    downloads = page.locator(".release__photo-downloads li")
    assert downloads.count() == 3
    texts = downloads.all_inner_texts()
    assert texts[0].startswith("Original: hafen-steuerungskreis-2023")
    assert texts[1].startswith("Druckgröße (3000 × 2000 Pixel, JPEG)")  # noqa: RUF001
    assert texts[2].startswith("Webgröße (1200 × 800 Pixel, JPEG)")  # noqa: RUF001
    assert all(text.endswith(f"©{CREDIT}") for text in texts)
    for link in downloads.locator("a").all():  # every size is there to download
        href = link.get_attribute("href")
        if href.startswith(settings.MEDIA_URL):  # the renditions: the web server serves them
            assert storages["renditions"].exists(href.removeprefix(settings.MEDIA_URL)), href
        else:  # the original: the plugin's view
            assert page.request.get(base_url + href).status == 200, href
    assert no_sideways_scroll(page)
    page.locator("#pressefotos").scroll_into_view_if_needed()
    page.screenshot(path=f"{SCREENSHOTS}/photo-rights-release-{width}.png", full_page=True)
    with PILImage.open(f"{SCREENSHOTS}/photo-rights-release-{width}.png") as shot:
        assert shot.width == width
    page.close()
