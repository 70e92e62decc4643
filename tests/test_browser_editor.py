"""The editor's path end to end in a real browser (system Chromium through Playwright).

An editor logs in to the German admin, composes a release under the newsroom (paragraph,
quote, uploaded photo with ©credit, contact), publishes it, and every part shows up on the
public page, in API v2 and in the text version.
"""

import os
import re
from urllib.parse import urljoin

import pytest
from django.contrib.auth import get_user_model
from PIL import Image as PILImage
from wagtail.models import Site

from press.models import PressReleasePage
from tests.browser import CHROMIUM, LAUNCH_ARGS, NO_CHROMIUM
from tests.factories import PressContactFactory

SCREENSHOT_DIR = os.environ.get("PRESS_SCREENSHOT_DIR", "/tmp")
USERNAME, PASSWORD = "redaktion", "Pressedienst-Test-2023"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM),
]


@pytest.fixture
def site_on_live_server(live_server, wagtail_base_rows, newsroom):
    """The default site answers at the live server's address, so full URLs (text_url,
    image URLs) point where the browser can go."""
    host, port = re.match(r"https?://([^:/]+):(\d+)", live_server.url).groups()
    Site.objects.filter(is_default_site=True).update(hostname=host, port=int(port))
    return live_server.url


@pytest.fixture
def photo_file(tmp_path):
    path = tmp_path / "steuerungskreis.jpg"
    PILImage.new("RGB", (1200, 800), (70, 110, 160)).save(path, "JPEG")
    return path


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the test's own database work
    # happens outside browser calls and the live server answers in its own thread.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


def admin_log_in(page, base_url: str) -> None:
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{base_url}/admin/")


def stream_block_add(page, *, label: str) -> None:
    """Append a block to the body through the block picker."""
    page.locator("[data-contentpath='body'] button[title='Einen Block einfügen']").last.click()
    page.get_by_role("option", name=label).click()


def rich_text_type(page, *, index: int, text: str) -> None:
    editor = page.locator("[data-contentpath='body'] .public-DraftEditor-content").nth(index)
    editor.click()
    page.keyboard.type(text)


def test_editor_composes_and_publishes_a_release(
    browser, site_on_live_server, newsroom, photo_file, settings
):
    # No autosave racing the editor's publication (as in test_browser_publishing): waiting for
    # an autosave's answer timed out when one was in flight as the contact was chosen.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    base_url = site_on_live_server
    get_user_model().objects.create_superuser(USERNAME, "redaktion@example.org", PASSWORD)
    contact = PressContactFactory(
        name="Annemarie Wotschke", email="presse@duesseldorf.de", phone="0211.89-93131"
    )

    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="de-DE")
    page.set_default_timeout(20_000)
    admin_log_in(page, base_url)

    # Compose
    page.goto(f"{base_url}/admin/pages/add/press/pressreleasepage/{newsroom.pk}/")
    page.fill("#id_title", "Masterplan Industrie: Steuerungskreis tagt")
    page.fill("#id_release_date", "2023-02-07")
    page.fill("#id_lead", "Der Steuerungskreis zieht eine positive Bilanz.")

    stream_block_add(page, label="Absatz")
    rich_text_type(page, index=0, text="Zum Jahresauftakt fand im Rathaus das Treffen statt.")

    stream_block_add(page, label="Zitat")
    rich_text_type(page, index=1, text="Wir bündeln unsere Kräfte für den Industriestandort.")
    page.fill("[name='body-1-value-name']", "Dr. Stephan Keller")
    page.fill("[name='body-1-value-role']", "Oberbürgermeister")

    stream_block_add(page, label="Bild mit Bildnachweis")
    page.locator("[data-contentpath='body'] [data-chooser-action-choose]").first.click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("tab", name="Hochladen").click()
    modal.locator("input[type='file']").set_input_files(photo_file)
    modal.locator("input[name='image-chooser-upload-title']").fill("Steuerungskreis")
    # Uploading asks for the photo's credit; the block then takes it from the photo.
    modal.locator("input[name='image-chooser-upload-credit']").fill(
        "Landeshauptstadt Düsseldorf/David Young"
    )
    modal.get_by_role("button", name="Hochladen").click()
    page.wait_for_selector(".modal-dialog", state="detached")
    page.fill("[name='body-2-value-caption']", "Steuerungskreis Masterplan Industrie im Rathaus")
    page.fill("[name='body-2-value-alt']", "Zwölf Personen vor dem Rathaus")

    page.select_option("#id_contact", str(contact.pk))
    # Draftail writes what was typed into the blocks' hidden fields on its own schedule: the
    # editor publishes once they hold it.
    page.wait_for_function(
        "() => [...document.querySelectorAll(\"input[name='body-0-value']\")]"
        ".some(field => field.value.includes('Jahresauftakt'))"
        " && [...document.querySelectorAll(\"input[name='body-1-value-text']\")]"
        ".some(field => field.value.includes('Industriestandort'))"
    )

    # Publish
    page.get_by_role("button", name="Mehr Aktionen").click()
    page.get_by_role("button", name="Veröffentlichen").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/$"))

    release = PressReleasePage.objects.get()
    assert release.live
    assert [b.block_type for b in release.body] == ["paragraph", "quote", "image"]

    # The public page
    page.goto(f"{base_url}{release.url}")
    article = page.locator("article.release")
    assert article.locator("h1").inner_text() == "Masterplan Industrie: Steuerungskreis tagt"
    assert article.locator("time").first.inner_text() == "07. Februar 2023"
    assert "positive Bilanz" in article.inner_text()
    assert "Zum Jahresauftakt fand im Rathaus" in article.inner_text()
    quote = article.locator("figure.block-quote")
    assert "Wir bündeln unsere Kräfte" in quote.locator("blockquote").inner_text()
    assert "Dr. Stephan Keller, Oberbürgermeister" in quote.locator("figcaption").inner_text()
    figure = article.locator("figure.block-image")
    assert "©Landeshauptstadt Düsseldorf/David Young" in figure.inner_text()
    # The photo is lazy-loaded below the fold: bring it into view and wait until it decoded.
    photo = figure.locator("img")
    photo.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=photo.element_handle()
    )
    assert "Annemarie Wotschke" in article.locator(".release__contact").inner_text()
    page.screenshot(path=f"{SCREENSHOT_DIR}/release.png", full_page=True)

    # The download link is on this site, whatever address the site is reached at.
    original = figure.locator("a.download").get_attribute("href")
    assert original.startswith("/photos/")
    assert page.request.get(urljoin(page.url, original)).ok

    # API v2
    api = page.request.get(f"{base_url}/api/v2/pages/{release.pk}/").json()
    assert api["release_date"] == "2023-02-07"
    assert api["lead"] == "Der Steuerungskreis zieht eine positive Bilanz."
    paragraph, quote_data, image = api["body"]
    assert "Zum Jahresauftakt fand im Rathaus" in paragraph["value"]["html"]
    assert quote_data["value"]["name"] == "Dr. Stephan Keller"
    assert quote_data["value"]["role"] == "Oberbürgermeister"
    assert image["value"]["credit"] == "Landeshauptstadt Düsseldorf/David Young"
    assert image["value"]["caption"] == "Steuerungskreis Masterplan Industrie im Rathaus"
    assert image["value"]["image"]["width"] == 1200
    assert page.request.get(image["value"]["image"]["url"]).ok
    assert api["contact"] == {
        "name": "Annemarie Wotschke",
        "email": "presse@duesseldorf.de",
        "phone": "0211.89-93131",
    }

    # The text version, at the address the API gives
    text_response = page.request.get(api["text_url"])
    assert text_response.headers["content-type"] == "text/plain; charset=utf-8"
    text = " ".join(text_response.text().split())  # lines are wrapped for mail clients
    for part in (
        "07. Februar 2023",
        "Masterplan Industrie: Steuerungskreis tagt",
        "Zum Jahresauftakt fand im Rathaus",
        "Wir bündeln unsere Kräfte",
        "Dr. Stephan Keller",
        "Oberbürgermeister",
        "©Landeshauptstadt Düsseldorf/David Young",
        image["value"]["image"]["url"],
        "Annemarie Wotschke",
    ):
        assert part in text, part

    # The newsroom lists it
    page.goto(f"{base_url}{newsroom.url}")
    assert page.locator(".release-list h2").first.inner_text() == release.title
    page.screenshot(path=f"{SCREENSHOT_DIR}/newsroom.png", full_page=True)
