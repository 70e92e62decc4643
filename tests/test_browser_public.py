"""The public site in the system Chromium: accessible (axe-core, keyboard) and fit for a phone.

BITV 2.0 / WCAG 2.1 AA as axe-core checks it (the `axe-playwright-python` package brings
axe.min.js): no serious or critical violation on any page a reader meets, a Tab walk reaches
every link with a visible focus indicator, and at 375 px nothing scrolls sideways.
"""

import datetime
import unicodedata

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import path
from django.utils import timezone
from wagtail.models import Locale

from cms import urls as site_urls
from press.accessibility.models import AccessibilityStatementPage
from press.models import PressIndexPage, PressReleasePage, PressSettings
from press.models.embargo import embargo_link_create
from tests.browser import CHROMIUM, LAUNCH_ARGS, NO_CHROMIUM
from tests.factories import ImageFactory, PressReleasePageFactory, body_image, body_paragraph

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM),
]

SEED_TITLE = "Masterplan Industrie: Konstante Zusammenarbeit in herausfordernden Zeiten"
LONG_TITLE = (
    "Grundstücksverkehrsgenehmigungszuständigkeitsübertragungsverordnung: "
    "Stadtentwicklungsausschuss beschließt Rheinuferpromenadenneugestaltung"
)
LONG_CREDIT = (
    "Landeshauptstadt Düsseldorf/Amt für Kommunikation/Presse- und Öffentlichkeitsarbeit/"
    "Fotografin Michaela Mustermann-Langenfeld-Oberkassel"
)
PHONE_WIDTH = 375


def server_error(request):
    raise RuntimeError("a deliberate error, to render the 500 page")


# The site's own URLs plus one that fails, so the 500 page is read like any other.
# The site's own patterns at the top (its i18n_patterns may not be included), and a page that
# fails.
urlpatterns = [path("fehler-500/", server_error), *site_urls.urlpatterns]


@pytest.fixture
def site(wagtail_base_rows):
    """The demo content (`make run`): home, newsroom, the seed and the archive samples, and
    besides it a release with a long title and ©credit and one under embargo."""
    call_command("load_demo_content", verbosity=0)
    # The German newsroom (the demo's versions have their own, aliases of it).
    newsroom = PressIndexPage.objects.get(locale=Locale.get_default())
    settings = PressSettings.objects.get()
    settings.imprint_url = "/"
    settings.privacy_url = newsroom.url
    settings.save()
    long = PressReleasePageFactory(
        parent=newsroom,
        title=LONG_TITLE,
        slug="lange-angaben",
        release_date=datetime.date(2021, 3, 1),
        lead="Ein Foto mit einer langen Urheberangabe.",
        body=[
            body_paragraph("<p>Die Promenade wird neu gestaltet.</p>"),
            body_image(ImageFactory(), caption="Die Promenade", credit=LONG_CREDIT, alt="Ufer"),
        ],
    )
    long.save_revision().publish()
    scheduled = PressReleasePageFactory(
        parent=newsroom,
        title="Neue Brücke über den Rhein",
        slug="neue-bruecke",
        live=False,
        body=[
            body_paragraph("<p>Die Stadt stellt die neue Brücke vor.</p>"),
            body_image(ImageFactory(), caption="Die Brücke", alt="Entwurf der Brücke"),
        ],
    )
    scheduled.go_live_at = timezone.now() + datetime.timedelta(days=3)
    scheduled.save_revision().publish()
    seed = PressReleasePage.objects.get(title=SEED_TITLE)
    statement = AccessibilityStatementPage(
        title="Erklärung zur Barrierefreiheit",
        slug="barrierefreiheit",
        reviewed_at=datetime.date(2026, 11, 30),
        body="<h2>Stand der Vereinbarkeit</h2><p>Diese Website ist weitgehend barrierefrei.</p>",
    )
    newsroom.get_parent().add_child(instance=statement)
    statement.save_revision().publish()
    return {
        "home": "/",
        "newsroom": newsroom.url,
        "newsroom 2023": newsroom.url + "?jahr=2023",
        "newsroom page 2": newsroom.url + "?seite=2",
        "newsroom search": newsroom.url + "?q=Masterplan",
        "newsroom topic and tag": newsroom.url + "?thema=verkehr&schlagwort=radwege",
        "topic page": newsroom.url + "thema/umwelt/",
        "release (seed)": seed.url,
        "release (long title and credit)": long.url,
        "embargo page": embargo_link_create(release=scheduled).get_absolute_url(),
        "accessibility statement": statement.url,
        "barrier report form": "/barriere-melden/",
        "404": "/gibt-es-nicht/",
        "500": "/fehler-500/",
    }


@pytest.fixture
def browser(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


def expected_status(name: str) -> int:
    return int(name) if name.isdigit() else 200


@pytest.fixture
def page_size_small():
    # Two newsroom pages from the demo's releases, as `make run` shows them (cms/settings/dev.py).
    from cms.settings import dev

    with override_settings(PRESS=dev.PRESS, ROOT_URLCONF=__name__):
        yield


def axe_serious(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}
    )
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_no_serious_axe_violation_on_any_public_page(live_server, site, browser, page_size_small):
    page = browser.new_page()
    found = {}
    for name, address in site.items():
        response = page.goto(live_server.url + address, wait_until="load")
        assert response.status == expected_status(name), name
        found[name] = axe_serious(page)

    assert {name: problems for name, problems in found.items() if problems} == {}


def test_nothing_scrolls_sideways_at_375_px(live_server, site, browser, page_size_small):
    page = browser.new_page(viewport={"width": PHONE_WIDTH, "height": 800})
    too_wide = {}
    for name, address in site.items():
        response = page.goto(live_server.url + address, wait_until="load")
        assert response.status == expected_status(name), name
        widths = page.evaluate(
            "[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
        )
        if widths[0] > widths[1]:
            too_wide[name] = widths

    assert too_wide == {}
    # The long ©credit is on the page in full, wrapped rather than cut.
    page.goto(live_server.url + site["release (long title and credit)"])
    credit = page.locator(".block-image .credit")
    assert credit.inner_text() == f"©{LONG_CREDIT}"
    assert credit.bounding_box()["height"] > 30  # more than one line


FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  return {href: el.getAttribute("href"), tag: el.tagName, text: el.textContent.trim(),
          indicator: outline || style.boxShadow !== "none"};
}"""


def test_a_keyboard_walk_reaches_every_link_with_a_visible_focus(
    live_server, site, browser, page_size_small
):
    page = browser.new_page()
    for name, address in site.items():
        page.goto(live_server.url + address, wait_until="load")
        links = page.eval_on_selector_all(
            "a[href]", "links => links.filter(a => a.offsetParent !== null).length"
        )
        reached, unmarked = 0, []
        # The sign-up form's fields in the newsroom (address, topics, language, consent, button)
        # come on top of the links.
        for _step in range(links + 20):
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUSED)
            if focused["tag"] == "BODY":
                break
            if focused["tag"] == "A":
                reached += 1
            if not focused["indicator"]:
                unmarked.append(focused["text"] or focused["tag"])
        assert reached >= links, f"{name}: {reached} of {links} links reached by Tab"
        assert unmarked == [], f"{name}: no visible focus on {unmarked}"


def test_the_icons_a_page_links_are_served(live_server, site, browser):
    page = browser.new_page()
    page.goto(live_server.url + site["home"], wait_until="load")
    icons = page.eval_on_selector_all(
        "link[rel=icon], link[rel=apple-touch-icon]", "links => links.map(l => l.href)"
    )

    assert len(icons) == 3
    for address in [*icons, live_server.url + "/favicon.ico"]:
        response = page.request.get(address)
        assert response.status == 200, address
        assert response.headers["content-type"].startswith("image/"), address


def test_a_release_prints_from_the_browser_as_paper_reads(live_server, site, browser, tmp_path):
    """The browser's own print (Chromium's PDF of the print media): title, text, photo with its
    ©credit, contact and the online address; none of the screen's navigation, links or forms."""
    from pypdf import PdfReader

    page = browser.new_page()
    page.goto(live_server.url + site["release (long title and credit)"])
    page.emulate_media(media="print")
    assert not page.locator(".site-nav").is_visible()
    assert not page.locator(".release__downloads").is_visible()
    assert page.locator(".release__source").is_visible()
    pdf = tmp_path / "printed.pdf"
    page.pdf(path=str(pdf), format="A4")
    page.close()
    # NFKC: the PDF's text has the font's ligatures ("ﬁ").
    pages = PdfReader(str(pdf)).pages
    text = unicodedata.normalize(
        "NFKC", " ".join(" ".join(p.extract_text().split()) for p in pages)
    )
    assert "Die Promenade wird neu gestaltet." in text
    assert "Die Promenade ©Landeshauptstadt" in text  # caption and credit under the photo
    assert "Fotografin Michaela" in text
    assert "Online: http" in text and "/lange-angaben/ Textversion: http" in text
    for screen_only in (
        "Zum Inhalt springen",
        "Startseite",
        "Textversion herunterladen",
        "Alle Pressemitteilungen",
        "Pressemappe",
        "Neueste Pressemitteilungen",
    ):
        assert screen_only not in text, screen_only


def test_a_release_page_links_its_print_version_and_press_kit(client, site):
    html = client.get(site["release (seed)"]).content.decode()
    assert 'href="' + site["release (seed)"] + 'pdf/"' in html
    assert 'href="' + site["release (seed)"] + 'presskit/"' in html
    for suffix in ("pdf/", "presskit/"):
        assert client.get(site["release (seed)"] + suffix).status_code == 200
