"""The newsroom features as an editor meets them in the admin (system Chromium through
Playwright): a topic and tags chosen in the release's editor panel, and a dated correction
added to a published release — each seen afterwards on the public page."""

import os
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.formats import date_format

from press.models import PressReleasePage, Topic
from tests.browser import CHROMIUM, NO_CHROMIUM
from tests.factories import PressReleasePageFactory, body_paragraph
from tests.test_browser_editor import PASSWORD, USERNAME, admin_log_in, browser  # noqa: F401

SHOTS = os.environ.get("PRESS_SCREENSHOT_DIR", "/tmp")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM),
]


def publish(page, newsroom) -> None:
    page.get_by_role("button", name="Mehr Aktionen").click()
    page.get_by_role("button", name="Veröffentlichen").click()
    page.wait_for_url(re.compile(rf"/admin/pages/{newsroom.pk}/$"))


def test_editor_gives_a_release_a_topic_and_tags_and_corrects_it(
    browser,  # noqa: F811
    live_server,
    wagtail_base_rows,
    newsroom,
    settings,
):
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0  # as in test_browser_publishing: no racing autosave
    get_user_model().objects.create_superuser(USERNAME, "r@example.org", PASSWORD)
    Topic.objects.create(name="Wirtschaft")
    verkehr = Topic.objects.create(name="Verkehr", description="Straßen, Bahnen, Radwege.")
    release = PressReleasePageFactory(
        parent=newsroom,
        title="Neue Radwege am Rheinufer",
        body=[body_paragraph("<p>Die Stadt baut zwei Kilometer Radweg.</p>")],
    )
    release.save_revision().publish()

    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="de-DE")
    page.set_default_timeout(20_000)
    admin_log_in(page, live_server.url)
    page.goto(f"{live_server.url}/admin/pages/{release.pk}/edit/")

    # Topics and tags, in one panel of the content tab.
    panel = page.locator("section", has=page.get_by_text("Themen und Schlagwörter")).last
    panel.get_by_role("checkbox", name="Verkehr").check()
    tags = panel.locator(".tagit-new input")  # the tag widget's visible field
    tags.fill("Radverkehr")
    tags.press("Enter")
    tags.fill("Rheinufer")
    tags.press("Enter")

    # A dated correction note.
    page.get_by_role("button", name="Korrektur hinzufügen").click()
    page.locator("textarea[name='corrections-0-text']").fill(
        "Die Strecke ist zwei, nicht drei Kilometer lang."
    )
    page.screenshot(path=f"{SHOTS}/newsroom-editor.png", full_page=True)
    publish(page, newsroom)

    release = PressReleasePage.objects.get(pk=release.pk)
    assert list(release.topics.all()) == [verkehr]
    assert sorted(release.tags.names()) == ["Radverkehr", "Rheinufer"]

    page.goto(live_server.url + release.url)
    correction = page.locator(".release__corrections")
    today = date_format(timezone.localdate(), "d. F Y")
    assert correction.inner_text() == (
        f"Korrektur vom {today}: Die Strecke ist zwei, nicht drei Kilometer lang."
    )
    page.screenshot(path=f"{SHOTS}/newsroom-release-corrected.png", full_page=True)
    page.close()
