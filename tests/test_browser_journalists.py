"""The journalist import as an editor meets it in a real browser (system Chromium, 1280 px):
upload, a preview whose rows say what happens to each, and the confirmation."""

import os

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from press.distribution.models import DistributionList, Journalist
from press.models import Topic
from tests.browser import CHROMIUM, NO_CHROMIUM
from tests.test_browser_editor import PASSWORD, USERNAME, admin_log_in
from tests.test_browser_editor import browser as browser_fixture
from tests.test_browser_editor import site_on_live_server as site_fixture

SCREENSHOTS = os.environ.get("PRESS_SCREENSHOT_DIR", "/tmp")
browser = browser_fixture
site_on_live_server = site_fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM),
]

WITH_ERRORS = (
    "Name;Redaktion;E-Mail;Themen\r\n"
    "Jörg Müller;Westdeutsche Zeitung, Lokalredaktion Düsseldorf;joerg.mueller@wz.example;"
    "Verkehr\r\n"
    "Anna Weiß;Rheinische Post;anna.weiss@rp;Verkehr\r\n"
    "Kai Wirt;Handelsblatt;kai.wirt@handelsblatt.example;Raumfahrt, Verkehr\r\n"
).encode("cp1252")


def test_an_editor_previews_an_import_with_errors_and_imports_the_corrected_file(
    browser, site_on_live_server, tmp_path
):
    base_url = site_on_live_server
    get_user_model().objects.create_superuser(USERNAME, "redaktion@example.org", PASSWORD)
    Topic.objects.create(name="Verkehr", slug="verkehr")
    press_list = DistributionList.objects.create(name="Lokalpresse")
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="de-DE")
    page.set_default_timeout(20_000)
    admin_log_in(page, base_url)

    page.goto(base_url + reverse("press_journalists:index"))
    page.get_by_role("link", name="Journalisten importieren").click()
    page.select_option("#id_distribution_list", str(press_list.pk))
    broken = tmp_path / "verteiler.csv"
    broken.write_bytes(WITH_ERRORS)
    page.set_input_files("#id_file", broken)
    page.get_by_role("button", name="Vorschau zeigen").click()

    table = page.locator("table.press-import-preview")
    table.wait_for()
    rows = table.locator("tbody tr")
    assert rows.count() == 3
    assert "NEU" in rows.nth(0).inner_text()  # the status label, in capitals
    assert rows.nth(0).locator("td").nth(5).inner_text() == "Verkehr"  # the topic's name
    assert "Zeile 3: keine gültige E-Mail-Adresse" in rows.nth(1).inner_text()
    assert "Zeile 4: unbekanntes Thema „Raumfahrt“" in rows.nth(2).inner_text()
    assert page.get_by_role("alert").filter(has_text="Die Datei hat Fehler").is_visible()
    assert page.get_by_role("button", name="Import bestätigen").count() == 0
    # The whole table fits the admin at 1280 px: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.screenshot(path=os.path.join(SCREENSHOTS, "journalist-import-preview.png"), full_page=True)

    fixed = tmp_path / "verteiler-korrigiert.csv"
    fixed.write_bytes(
        WITH_ERRORS.replace(b"anna.weiss@rp;", b"anna.weiss@rp.example;").replace(
            b"Raumfahrt, ", b""
        )
    )
    page.set_input_files("#id_file", fixed)
    page.get_by_role("button", name="Vorschau zeigen").click()
    page.get_by_role("button", name="Import bestätigen").click()

    page.get_by_text(
        "In „Lokalpresse“ importiert: 3 neu, 0 aktualisiert, 0 unverändert."
    ).wait_for()
    assert Journalist.objects.count() == 3
    assert press_list.members.count() == 3
