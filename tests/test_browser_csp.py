"""The public pages satisfy their Content-Security-Policy in a real browser (system Chromium)."""

import pytest

from tests.browser import CHROMIUM, LAUNCH_ARGS, NO_CHROMIUM
from tests.factories import (
    ImageFactory,
    PressReleasePageFactory,
    body_image,
    body_paragraph,
    body_quote,
)

# Collects violations before any page script runs; Playwright's init scripts are not subject
# to the page's CSP, so the listener itself never trips it.
LISTEN_FOR_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM),
]


@pytest.fixture
def browser_page(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the test's own database work
    # happens before any browser call and the live server answers in its own thread.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        page = browser.new_page()
        page.add_init_script(LISTEN_FOR_VIOLATIONS)
        console = []
        page.on("console", lambda message: console.append(message.text))
        page.console_messages = console
        yield page
        browser.close()


def violations(page) -> list[str]:
    reported = page.evaluate("window.__cspViolations")
    logged = [text for text in page.console_messages if "Content Security Policy" in text]
    return reported + logged


@pytest.fixture
def wagtail_rows(transactional_db):
    """The rows Wagtail's data migrations create. An earlier transactional test flushes them
    (and recreates content types under new ids, which breaks serialized_rollback), so they are
    made again here when missing."""
    from wagtail.models import Collection, Locale, Page

    locale, _created = Locale.objects.get_or_create(language_code="de")
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")


@pytest.fixture
def release(wagtail_rows, newsroom):
    return PressReleasePageFactory(
        parent=newsroom,
        title="Masterplan Industrie",
        slug="masterplan-industrie",
        lead="Die Stadt stellt den Masterplan vor.",
        body=[
            body_paragraph("<p>Zum Jahresauftakt <b>fand</b> im Rathaus das Treffen statt.</p>"),
            body_quote(
                "<p>Die CO<sub>2</sub>-Emissionen sinken.</p>", "Dr. Daniel Kleine", "Vorstand"
            ),
            body_image(ImageFactory(), caption="Das Treffen im Rathaus", alt="Gruppenbild"),
        ],
    )


def test_public_pages_cause_no_csp_violation(live_server, release, browser_page):
    newsroom = release.get_parent()
    addresses = {
        "home page": "/",
        "newsroom": newsroom.url,
        "newsroom search": newsroom.url + "?q=Masterplan",
        "release page": release.url,
        "text version": release.url + "text/",
        "not found": "/gibt-es-nicht/",
    }
    for name, path in addresses.items():
        browser_page.console_messages.clear()
        response = browser_page.goto(live_server.url + path, wait_until="load")

        assert response.status == (404 if name == "not found" else 200), name
        assert "default-src 'self'" in response.headers["content-security-policy"], name
        if name != "text version":
            assert browser_page.locator("h1").first.is_visible(), name
        assert violations(browser_page) == [], f"{name}: {violations(browser_page)}"


def test_violation_listener_catches_a_breach(live_server, release, browser_page):
    """Positive control: an inline style and a foreign image are reported, so the empty list
    above means the pages comply rather than that nothing listens."""
    browser_page.goto(live_server.url + release.url, wait_until="load")

    browser_page.evaluate(
        """() => {
          document.body.insertAdjacentHTML("beforeend", '<img src="https://example.invalid/x.png">');
          const style = document.createElement("style");
          style.textContent = "body { color: red }";
          document.head.appendChild(style);
        }"""
    )
    browser_page.wait_for_function("window.__cspViolations.length >= 2")

    found = " ".join(violations(browser_page))
    assert "img-src" in found
    assert "style-src" in found
