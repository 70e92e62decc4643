"""An editor's first day in a real browser (system Chromium), issue 23 section 5: the slug
Wagtail's script makes from a German title, the topic form's slug, the image block's
placeholders from the library photo, the tab title and the sidebar's "Seiten"."""

import pytest
from django.contrib.auth import get_user_model

from press.models import PhotoRights, Topic
from tests.browser import CHROMIUM, NO_CHROMIUM
from tests.factories import ImageFactory
from tests.test_browser_editor import (  # noqa: F401 - fixtures
    PASSWORD,
    USERNAME,
    admin_log_in,
    browser,
    site_on_live_server,
    stream_block_add,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM),
]


def test_an_editors_first_day_in_the_admin(
    browser,  # noqa: F811
    site_on_live_server,  # noqa: F811
    newsroom,
):
    from playwright.sync_api import expect

    base_url = site_on_live_server
    get_user_model().objects.create_superuser(USERNAME, "redaktion@duesseldorf.de", PASSWORD)
    photo = ImageFactory(title="Zebrastreifen", description="Neuer Zebrastreifen in Bilk.")
    PhotoRights.objects.create(image=photo, credit="Landeshauptstadt Düsseldorf/Ingo Lammert")

    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="de-DE")
    page.set_default_timeout(20_000)
    admin_log_in(page, base_url)

    # The tab says where the editor is, not "- Wagtail"; the sidebar's pages item is "Seiten".
    page.wait_for_load_state("networkidle")
    assert page.title() == "Übersicht - Pressedienst"
    pages_item = page.get_by_role("button", name="Seiten", exact=True)
    expect(pages_item).to_be_visible()
    assert pages_item.evaluate("el => el.scrollWidth <= el.clientWidth + 1")  # not clipped

    # A German title makes a German slug, as the importer writes it.
    page.goto(f"{base_url}/admin/pages/add/press/pressreleasepage/{newsroom.pk}/")
    assert page.title().endswith("- Pressedienst")
    page.locator("#id_title").click()
    page.keyboard.type("Bürgerbeteiligung Straße", delay=30)
    page.locator("#id_lead").click()
    expect(page.locator("#id_slug")).to_have_value("buergerbeteiligung-strasse")

    # The image block shows the library photo's credit and alt text as placeholders.
    stream_block_add(page, label="Bild mit Bildnachweis")
    page.locator("[data-contentpath='body'] [data-chooser-action-choose]").first.click()
    page.wait_for_selector(".modal-dialog")
    page.locator(".modal-dialog a", has_text="Zebrastreifen").first.click()
    page.wait_for_selector(".modal-dialog", state="detached")
    body = page.locator("[data-contentpath='body']")
    expect(body.locator("input[name$='-credit']").first).to_have_attribute(
        "placeholder", "Landeshauptstadt Düsseldorf/Ingo Lammert"
    )
    expect(body.locator("input[name$='-alt']").first).to_have_attribute(
        "placeholder", "Neuer Zebrastreifen in Bilk."
    )

    # The topic form fills its slug from the name and saves.
    page.goto(f"{base_url}/admin/snippets/press/topic/add/")
    page.locator("#id_name").click()
    page.keyboard.type("Öffentlicher Nahverkehr", delay=30)
    page.locator("#id_description").click()
    expect(page.locator("#id_slug")).to_have_value("oeffentlicher-nahverkehr")
    with page.expect_navigation():
        page.locator("button[type=submit]", has_text="Speichern").first.click()
    assert Topic.objects.get(name="Öffentlicher Nahverkehr").slug == "oeffentlicher-nahverkehr"
