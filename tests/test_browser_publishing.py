"""The editor's publishing flow in a real browser (system Chromium through Playwright): the
publication panel on the content tab, the editor's own contact filled in, the confirmation a
release without a contact needs, the newsroom's listing with date and state, and a preview
whose photos load although the admin is reached at another port than the site's address."""

import os
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Site

from press.models import PressReleasePage
from tests.browser import CHROMIUM, NO_CHROMIUM
from tests.factories import PressContactFactory
from tests.test_browser_editor import (  # noqa: F401  (fixtures)
    PASSWORD,
    USERNAME,
    admin_log_in,
    browser,
    photo_file,
    rich_text_type,
    stream_block_add,
)

SHOTS = os.environ.get("PRESS_SCREENSHOT_DIR", "/tmp")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM),
]


@pytest.fixture
def site_elsewhere(live_server, wagtail_base_rows, newsroom):
    """The site's address is another port than the one the admin is reached at (as with
    `make run ADDR=127.0.0.1:8123` on a site still at :8000)."""
    port = int(re.search(r":(\d+)", live_server.url).group(1))
    other = port + 1 if port < 65535 else port - 1
    Site.objects.filter(is_default_site=True).update(hostname="127.0.0.1", port=other)
    return live_server.url


def images_loaded(images) -> list:
    """[(src, naturalWidth)] of the located images once each has finished loading."""
    images.first.scroll_into_view_if_needed()
    images.evaluate_all("all => all.forEach(i => { i.loading = 'eager'; })")
    for index in range(images.count()):
        images.nth(index).evaluate(
            "i => i.complete ? null : new Promise(done => { i.onload = i.onerror = done; })"
        )
    return images.evaluate_all("all => all.map(i => [i.currentSrc, i.naturalWidth])")


def test_publishing_flow(browser, site_elsewhere, newsroom, photo_file, settings):  # noqa: F811
    """Publication panel, contact default and confirmation, listing, preview photos.

    Wagtail's autosave is off here: on a loaded machine its first save (which creates the page)
    can still be in flight when the test clicks Publish, and the add form is posted for a page
    that exists by then. The flow under test is the same with it off."""
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    base_url = site_elsewhere
    editor = get_user_model().objects.create_superuser(USERNAME, "r@example.org", PASSWORD)
    own = PressContactFactory(name="Jana Redakteurin", user=editor)
    PressContactFactory(name="Zentrale Pressestelle")

    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="de-DE")
    page.set_default_timeout(20_000)
    admin_log_in(page, base_url)

    page.goto(f"{base_url}/admin/pages/add/press/pressreleasepage/{newsroom.pk}/")
    # Publication in one place, on the content tab: embargo, release date, expiry.
    panel = page.locator("section", has=page.get_by_text("Veröffentlichung und Sperrfrist")).last
    assert panel.get_by_label("Sperrfrist / Veröffentlichung am").is_visible()
    assert panel.locator("#id_release_date").input_value() == ""
    assert panel.locator("#id_expire_at").is_visible()
    # The editor's own press contact is filled in.
    assert page.locator("#id_contact").input_value() == str(own.pk)
    page.screenshot(path=f"{SHOTS}/publishing-add.png")

    page.fill("#id_title", "Stadtbücherei verlängert Öffnungszeiten")
    stream_block_add(page, label="Absatz")
    rich_text_type(page, index=0, text="Die Bibliothek öffnet samstags länger.")
    stream_block_add(page, label="Bild mit Bildnachweis")
    page.locator("[data-contentpath='body'] [data-chooser-action-choose]").first.click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("tab", name="Hochladen").click()
    modal.locator("input[type='file']").set_input_files(photo_file)
    modal.locator("input[name='image-chooser-upload-title']").fill("Lesesaal")
    # Uploading asks for the photo's credit; this use overrides it below.
    modal.locator("input[name='image-chooser-upload-credit']").fill("Stadtbücherei")
    modal.get_by_role("button", name="Hochladen").click()
    page.wait_for_selector(".modal-dialog", state="detached")
    page.fill("[name='body-1-value-credit']", "Stadtbücherei/Jana Muster")
    # A photo without an alternative text is not published (press.a11y_checks).
    page.fill("[name='body-1-value-alt']", "Leserinnen an langen Tischen im hellen Lesesaal")

    # Without a contact, publishing asks for confirmation.
    page.select_option("#id_contact", "")
    page.get_by_role("button", name="Mehr Aktionen").click()
    page.get_by_role("button", name="Veröffentlichen").click()
    error = page.get_by_text("Diese Pressemitteilung hat keinen Pressekontakt.")
    error.wait_for()
    error.scroll_into_view_if_needed()
    page.screenshot(path=f"{SHOTS}/publishing-no-contact.png")

    page.get_by_role("checkbox", name="Ohne Pressekontakt veröffentlichen").check()
    page.get_by_role("button", name="Mehr Aktionen").click()
    page.get_by_role("button", name="Veröffentlichen").click()
    page.wait_for_url(re.compile(rf"/admin/pages/{newsroom.pk}/$"))

    release = PressReleasePage.objects.get()
    assert release.live and release.contact is None
    assert release.release_date == timezone.localdate()

    # The newsroom's listing: release date and state.
    row = page.locator("tr", has=page.get_by_text(release.title))
    assert timezone.localdate().strftime("%d.%m.%Y") in row.inner_text()
    assert "live" in row.inner_text().lower()
    page.screenshot(path=f"{SHOTS}/publishing-listing.png")

    # The preview shows the photo although the site's address is another port.
    page.goto(f"{base_url}/admin/pages/{release.pk}/edit/")
    page.get_by_role("button", name="Vorschau").first.click()
    # The panel replaces its frame when a fresh rendering is ready: find it by locator, anew.
    preview = page.frame_locator("iframe[src*='/preview/']").last
    photo = preview.locator("figure.block-image img")
    photo.wait_for()
    loaded = images_loaded(photo)
    assert loaded, "the preview shows no image"
    for src, width in loaded:
        assert width > 0, src
        assert src.startswith(base_url), src
    page.screenshot(path=f"{SHOTS}/publishing-preview.png")
    # The preview panel polls the server: stop it before the test database is flushed.
    page.close()
