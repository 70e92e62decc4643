"""The admin as a press-office editor meets it, in a real browser (system Chromium).

An editor walks the screens of a working day — dashboard, Help menu, page explorer, the
newsroom's listing, a new release with every block type, the link dialog and its page
chooser, the status side panel, the publishing settings, the publish menu, the image library
and the search — and

- reads no English on any of them (a list of English words and phrases that German never
  uses, and the German Wagtail gets wrong; the failure names each one with its screen);
- types dates as Germans do ("03.12.2026"), and they are saved as typed;
- makes no request to any host but the site's own (no Gravatar, no update check).
"""

import datetime
import os
import re
import zoneinfo
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from wagtail.models import GroupApprovalTask, Page, Workflow, WorkflowPage, WorkflowTask

from home.wagtail_defaults import rename_wagtail_defaults
from press.models import PressReleasePage
from tests.browser import CHROMIUM, NO_CHROMIUM
from tests.factories import ImageFactory, PressContactFactory
from tests.test_browser_editor import (  # noqa: F401 - fixtures
    PASSWORD,
    USERNAME,
    admin_log_in,
    browser,
    site_on_live_server,
    stream_block_add,
)

SCREENSHOTS = os.environ.get("PRESS_SCREENSHOT_DIR", "/tmp")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM),
]

# English an editor must not meet. Whole words, case-sensitive: words German shares with
# English ("Status", "Workflow", "Tags", "Filter", "Link", "Text", "Name", "Live", "optional")
# are not listed.
ENGLISH = [
    "Root",
    "Link text",
    "Email address",
    "Phone number",
    "Go-live",
    "Go-Live",
    "were created",
    "approval",
    "Moderators",
    "domain.com",
    "my-slug",
    "Edit",
    "Delete",
    "Save draft",
    "Save",
    "Publish",
    "Unpublish",
    "Search",
    "Privacy",
    "Anyone",
    "Cancel",
    "Choose",
    "Add",
    "Upload",
    "Page",
    "Pages",
    "Title",
    "Date",
    "Image",
    "Images",
    "Settings",
    "Help",
    "Preview",
    "Draft",
    "Schedule",
    "Submit",
    "Lock",
    "Unlock",
    "None",
    "Editor Guide",
    "editor guide",
    "What's new",
    "Shortcuts",
    "Account",
    "Log out",
    "Loading",
    "Close",
    "More",
    "Actions",
    "Insert",
    "Paragraph",
    "Quote",
    "Caption",
    "Credit",
    "Contact",
    "Release date",
    "Internal link",
    "External link",
    "Collection",
    "Owner",
    "Created",
    "Updated",
    "History",
    "Comments",
    "Expiry",
    "expiry",
    "Visible to all",
    "Current page status",
    "Dashboard",
    "Site name",
    "Root page",
    "Welcome to your new Wagtail site!",
]
# German that Wagtail's catalogue gets wrong.
BROKEN_GERMAN = [
    "seite-Objekt",
    "In Freigabe",
    "Weiterleitungen were",
    "Dimensionen",
    "Dateigrösse",
]
UNWANTED = sorted(ENGLISH + BROKEN_GERMAN, key=len, reverse=True)
UNWANTED_RE = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, UNWANTED)) + r")(?![\w-])")
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}

# The visible text of a screen: what is rendered (innerText leaves out hidden elements), the
# placeholders of visible fields and the labels of visible buttons that are inputs.
VISIBLE_TEXT = """() => {
    const parts = [document.body.innerText];
    for (const el of document.querySelectorAll('input, textarea')) {
        if (!el.offsetParent || el.closest('.w-sr-only')) continue;  // hidden, screen readers only
        if (el.placeholder) parts.push(el.placeholder);
        if (['submit', 'button'].includes(el.type) && el.value) parts.push(el.value);
    }
    return parts.join('\\n');
}"""


class Walk:
    """The screens seen so far and the English found on each."""

    def __init__(self, page):
        self.page = page
        self.english: dict[str, list[str]] = {}
        self.number = 0

    def read(self, screen: str) -> str:
        self.page.wait_for_load_state("networkidle")
        text = self.page.evaluate(VISIBLE_TEXT)
        # The tab title too: Wagtail ends it with "- Wagtail" unless the site brands it.
        text += "\n" + self.page.title()
        assert not self.page.title().endswith("- Wagtail"), self.page.title()
        found = sorted({match.group(1) for match in UNWANTED_RE.finditer(text)})
        if found:
            self.english[screen] = [
                f"{word!r} in …{line.strip()[:120]}…"
                for word in found
                for line in text.splitlines()
                if UNWANTED_RE.search(line) and word in line
            ][:40]
        self.number += 1
        slug = re.sub(r"\W+", "-", screen.lower()).strip("-")
        self.page.screenshot(path=f"{SCREENSHOTS}/{self.number:02d}-{slug}.png", full_page=True)
        return text


@pytest.fixture
def moderation_workflow(wagtail_base_rows):
    """Wagtail's default workflow as its migration makes it, on a database that a
    transactional test flushed, with the host's German names given to it (as home/0002 does
    on a migrated one)."""
    root = Page.get_first_root_node()
    if not WorkflowPage.objects.filter(page=root).exists():  # else: the migrated rows
        moderators, _created = Group.objects.get_or_create(name="Moderators")
        task = GroupApprovalTask.objects.create(
            name="Moderators approval",
            content_type=ContentType.objects.get_for_model(GroupApprovalTask),
        )
        task.groups.set([moderators])
        workflow = Workflow.objects.create(name="Moderators approval")
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        WorkflowPage.objects.create(workflow=workflow, page=root)
    rename_wagtail_defaults(apps)
    return WorkflowPage.objects.get(page=root).workflow


def test_editor_meets_no_english_types_german_dates_and_calls_no_third_party(
    browser,  # noqa: F811
    site_on_live_server,  # noqa: F811
    newsroom,
    moderation_workflow,
):
    from playwright.sync_api import expect

    base_url = site_on_live_server
    get_user_model().objects.create_superuser(USERNAME, "redaktion@duesseldorf.de", PASSWORD)
    PressContactFactory(name="Annemarie Wotschke", email="presse@duesseldorf.de")
    ImageFactory(title="Steuerungskreis im Rathaus")

    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="de-DE")
    page.set_default_timeout(20_000)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    walk = Walk(page)

    admin_log_in(page, base_url)
    walk.read("Dashboard")
    guide = page.locator("a", has_text="Editor-Handbuch")
    assert guide.get_attribute("href") == "https://guide.wagtail.org/de-latest/"

    page.get_by_role("button", name="Hilfe").click()
    page.get_by_role("link", name="Editor-Leitfaden").wait_for()
    help_text = walk.read("Help menu")
    assert "Editor-Leitfaden" in help_text
    help_links = page.locator(".sidebar-sub-menu-panel a").evaluate_all(
        "links => links.map(a => a.href)"
    )
    assert "https://guide.wagtail.org/de-latest/" in help_links
    assert not [link for link in help_links if "/en/" in link], help_links

    page.get_by_role("button", name="Seiten", exact=True).click()
    walk.read("Page explorer menu")
    page.keyboard.press("Escape")
    page.goto(f"{base_url}/admin/pages/")
    walk.read("Page explorer")
    page.goto(f"{base_url}/admin/pages/{newsroom.pk}/")
    walk.read("Newsroom listing")

    # A new release with every block type
    page.goto(f"{base_url}/admin/pages/add/press/pressreleasepage/{newsroom.pk}/")
    page.fill("#id_title", "Masterplan Industrie: Steuerungskreis tagt")
    release_date = page.locator("#id_release_date")
    release_date.click()
    release_date.fill("")
    page.keyboard.type("03.12.2026", delay=30)
    page.locator("#id_lead").click()  # the date field loses focus: the picker keeps the text
    assert release_date.input_value() == "03.12.2026"
    page.fill("#id_lead", "Der Steuerungskreis zieht eine positive Bilanz.")

    page.locator("[data-contentpath='body'] button[title='Einen Block einfügen']").last.click()
    walk.read("Block picker")
    page.get_by_role("option", name="Absatz").click()
    paragraph = page.locator("[data-contentpath='body'] .public-DraftEditor-content").first
    paragraph.click()
    page.keyboard.type("Zum Jahresauftakt fand im Rathaus das Treffen statt.")
    stream_block_add(page, label="Zitat")
    stream_block_add(page, label="Bild mit Bildnachweis")
    page.locator("[data-contentpath='body'] [data-chooser-action-choose]").first.click()
    page.wait_for_selector(".modal-dialog")
    walk.read("Image chooser")
    page.locator(".modal-dialog a", has_text="Steuerungskreis im Rathaus").click()
    page.wait_for_selector(".modal-dialog", state="detached")
    walk.read("Release editor")

    # The link dialog of the rich text toolbar, and its page chooser
    paragraph.click()
    page.keyboard.press("Control+A")
    page.locator("[data-contentpath='body'] button[name='LINK']").first.click()
    page.wait_for_selector(".modal-dialog")
    walk.read("Link dialog: page chooser")
    page.locator(".modal-dialog a", has_text="Externer Link").click()
    page.wait_for_selector(".modal-dialog input[name='external-link-chooser-url']")
    walk.read("Link dialog: external link")
    page.locator(".modal-dialog a", has_text="E-Mail-Link").click()
    page.wait_for_selector(".modal-dialog input[name='email-link-chooser-email_address']")
    walk.read("Link dialog: e-mail link")
    page.locator(".modal-dialog button.close, .modal-dialog [data-dismiss='modal']").first.click()
    page.wait_for_selector(".modal-dialog", state="detached")

    # The publishing settings (slug, go-live) and the status side panel
    page.get_by_role("tab", name="Veröffentlichung").click()
    walk.read("Publishing settings")
    page.get_by_role("tab", name="Inhalt").click()

    # Saved with the editor's shortcut: the rich text's floating toolbar can cover the button.
    page.locator("#id_title").click()
    with page.expect_navigation():
        page.keyboard.press("Control+s")
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    walk.read("Saved draft")
    release = PressReleasePage.objects.get()
    assert release.release_date == datetime.date(2026, 12, 3)
    page.reload()
    assert page.locator("#id_release_date").input_value() == "03.12.2026"

    # Go-live and expiry as Germans type them, in the content tab's publication panel
    page.locator("[data-side-panel-toggle='status']").click()
    walk.read("Status side panel, nothing scheduled")
    page.locator("[data-side-panel-toggle='status']").click()
    # Type, Tab on (the field loses focus and keeps what was typed; its picker closes), type
    # into the next, Tab on. Typed at a person's pace: a picker opens 0.1 s after the field
    # gets focus, and one opened after the field lost it would stay open.
    go_live, expire = page.locator("#id_go_live_at"), page.locator("#id_expire_at")
    go_live.click()
    page.keyboard.type("03.12.2026 10:00", delay=30)
    page.keyboard.press("Tab")
    expire.click()
    page.keyboard.type("31.12.2026 18:30", delay=30)
    page.keyboard.press("Tab")
    assert go_live.input_value() == "03.12.2026 10:00"
    assert expire.input_value() == "31.12.2026 18:30"
    expect(page.locator(".xdsoft_datetimepicker:visible")).to_have_count(0)
    walk.read("Publication panel")
    with page.expect_navigation():
        page.keyboard.press("Control+s")
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    draft = PressReleasePage.objects.get().get_latest_revision_as_object()
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    assert draft.go_live_at == datetime.datetime(2026, 12, 3, 10, 0, tzinfo=berlin)
    assert draft.expire_at == datetime.datetime(2026, 12, 31, 18, 30, tzinfo=berlin)
    status_panel = page.locator("[data-side-panel='status']")
    if not status_panel.is_visible():  # the editor remembers the panel last open
        page.locator("[data-side-panel-toggle='status']").click()
    status_panel.get_by_text("Veröffentlichung am:").wait_for()
    walk.read("Status side panel")
    page.locator("[data-side-panel-toggle='status']").click()

    page.get_by_role("button", name="Mehr Aktionen").click()
    walk.read("Publish menu")
    page.keyboard.press("Escape")

    # Library and search
    page.goto(f"{base_url}/admin/images/")
    walk.read("Image library")
    # The header shows the screen's title in full: the sort order's long German options
    # ("Verwendungshäufigkeit: (niedrig bis hoch)") widened its select until the title read
    # "Bilde" at 1400 px and was gone at 1280 px (press/static/press/admin/header.css).
    for width in (1400, 1280):
        page.set_viewport_size({"width": width, "height": 1000})
        breadcrumbs = page.locator(".w-breadcrumbs")
        assert breadcrumbs.inner_text().strip() == "Bilder"
        assert breadcrumbs.evaluate("nav => nav.scrollWidth <= nav.clientWidth + 1"), width
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.locator("a", has_text="Steuerungskreis im Rathaus").first.click()
    walk.read("Image")
    page.goto(f"{base_url}/admin/pages/search/?q=Steuerungskreis")
    walk.read("Page search")

    assert not walk.english, "English on the editor's screens:\n" + "\n".join(
        f"{screen}: {', '.join(found)}" for screen, found in walk.english.items()
    )
    elsewhere = sorted(
        {
            url
            for url in requests
            if urlsplit(url).scheme in {"http", "https", "ws", "wss"}
            and urlsplit(url).hostname not in LOOPBACK
        }
    )
    assert not elsewhere, "The admin called other hosts:\n" + "\n".join(elsewhere)


def test_a_date_the_picker_cannot_read_stays_as_typed_and_is_a_form_error(
    browser,  # noqa: F811
    site_on_live_server,  # noqa: F811
    newsroom,
):
    """Wagtail's picker would replace "31.02.2026" with 03.03.2026 and "morgen" with the
    current moment when the field loses focus; in the release's date fields the text stays as
    typed, and saving shows the form error instead of a success."""
    base_url = site_on_live_server
    get_user_model().objects.create_superuser(USERNAME, "redaktion@duesseldorf.de", PASSWORD)
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="de-DE")
    page.set_default_timeout(20_000)
    admin_log_in(page, base_url)
    page.goto(f"{base_url}/admin/pages/add/press/pressreleasepage/{newsroom.pk}/")
    page.locator("#id_title").fill("Termin ohne Datum")

    release_date, go_live = page.locator("#id_release_date"), page.locator("#id_go_live_at")
    release_date.click()
    page.keyboard.type("31.02.2026", delay=30)
    page.keyboard.press("Tab")
    go_live.click()
    page.keyboard.type("morgen", delay=30)
    page.keyboard.press("Tab")
    page.wait_for_timeout(300)  # past the picker's own reaction to the focus leaving
    assert release_date.input_value() == "31.02.2026"
    assert go_live.input_value() == "morgen"

    with page.expect_navigation():
        page.keyboard.press("Control+s")
    assert "/add/" in page.url  # not saved
    assert page.locator("#id_release_date").input_value() == "31.02.2026"
    assert page.locator(".w-field--error:has(#id_release_date)").count() == 1
    assert not PressReleasePage.objects.exists()
