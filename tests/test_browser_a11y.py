"""Accessibility in the system Chromium: the publishing checks as an editor meets them (a photo
without alternative text blocks publishing with the message at its field; a vague link text is
warned about and the release is published), and the form "Barriere melden" as a reader uses it
without JavaScript, with axe finding nothing on the form and its error state."""

import re

import pytest
from django.contrib.auth import get_user_model

from press.accessibility.models import BarrierReport
from press.models import PressReleasePage
from tests.browser import CHROMIUM, NO_CHROMIUM
from tests.factories import ImageFactory, PressReleasePageFactory, body_image, body_paragraph
from tests.test_browser_editor import (  # noqa: F401 - fixtures
    PASSWORD,
    USERNAME,
    admin_log_in,
    browser,
    site_on_live_server,
)
from tests.test_browser_public import axe_serious

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM),
]


def publish(page) -> None:
    page.get_by_role("button", name="Mehr Aktionen").click()
    page.get_by_role("button", name="Veröffentlichen").click()
    page.wait_for_load_state("load")


def test_a_photo_without_alternative_text_blocks_publishing_and_a_vague_link_warns(
    browser,  # noqa: F811
    site_on_live_server,  # noqa: F811
    newsroom,
):
    base_url = site_on_live_server
    get_user_model().objects.create_superuser(USERNAME, "redaktion@example.org", PASSWORD)
    release = PressReleasePageFactory(
        parent=newsroom,
        title="Neue Radwege",
        live=False,
        body=[
            body_paragraph(
                '<p>Die Pläne stehen <a href="https://www.duesseldorf.de">hier</a>.</p>'
            ),
            body_image(ImageFactory(title="IMG_0815.JPG"), caption="", alt=""),
        ],
    )
    release.save_revision()

    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="de-DE")
    page.set_default_timeout(20_000)
    admin_log_in(page, base_url)
    page.goto(f"{base_url}/admin/pages/{release.pk}/edit/")

    publish(page)

    # Refused: the message stands at the photo's alternative-text field.
    alt_field = page.locator("[data-contentpath='body'] [data-contentpath='alt']")
    assert "Pflichtfeld: Das Foto braucht einen Alternativtext" in alt_field.inner_text()
    # Still the editor, not published (read in the page: the editor's autosave may be writing
    # to the database right now).
    assert page.url.endswith(f"/admin/pages/{release.pk}/edit/")
    assert "konnte die Seite nicht gespeichert werden" in page.locator(".messages").inner_text()

    page.fill("[name='body-1-value-alt']", "Radweg an der Bilker Allee mit grüner Markierung")
    publish(page)
    page.wait_for_url(re.compile(r"/admin/pages/\d+/$"))

    assert PressReleasePage.objects.get(pk=release.pk).live
    messages = page.locator(".messages").inner_text()
    assert "Barrierefreiheit: Der Linktext „hier“ sagt für sich nichts" in messages


def test_the_barrier_form_works_without_javascript_and_axe_finds_nothing(
    browser,  # noqa: F811
    site_on_live_server,  # noqa: F811
    newsroom,
):
    base_url = site_on_live_server

    # With JavaScript: axe on the empty form and on its error state.
    page = browser.new_page(locale="de-DE")
    page.goto(f"{base_url}/barriere-melden/")
    assert axe_serious(page) == []
    page.get_by_role("button", name="Meldung senden").click()
    page.wait_for_load_state("load")
    assert "Bitte beschreiben Sie die Barriere." in page.inner_text("main")
    assert axe_serious(page) == []

    # Without JavaScript: from a page's footer to the form, filled in and sent.
    reader = browser.new_context(java_script_enabled=False, locale="de-DE").new_page()
    reader.goto(f"{base_url}{newsroom.url}")
    reader.get_by_role("link", name="Barriere melden").click()
    reader.get_by_label("Was ist die Barriere?").fill("Die Tabelle ist als Bild eingebunden.")
    reader.get_by_label("Ihre E-Mail-Adresse für unsere Antwort (freiwillig)").fill(
        "leser@example.org"
    )
    reader.get_by_role("button", name="Meldung senden").click()
    reader.wait_for_load_state("load")

    assert reader.locator("h1").inner_text() == "Vielen Dank für Ihre Meldung"
    (report,) = BarrierReport.objects.all()
    assert report.description == "Die Tabelle ist als Bild eingebunden."
    assert report.email == "leser@example.org"
