"""Take the documentation's screenshots from a running demo (`make run ADDR=...`).

    .venv/bin/python docs/screenshots.py [--base http://127.0.0.1:8000]

Drives the system Chromium with Playwright: the public release page (German and English) and
the German admin (editor, photo form, publication panel, embargo links, corrections,
distribution lists, the versions in other languages and the Leichte-Sprache check), each
written to docs/images/. Logs in as the demo's admin user.
"""

import argparse
import re
import shutil
from pathlib import Path

from playwright.sync_api import sync_playwright

IMAGES = Path(__file__).resolve().parent / "images"
SEED_SLUG = "masterplan-industrie-konstante-zusammenarbeit-in-herausfordernden-zeiten"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--only", default="", help="only shots whose name contains this")
    args = parser.parse_args()
    base = args.base.rstrip("/")
    IMAGES.mkdir(exist_ok=True)
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="de-DE")

        def shot(name, **options):
            if args.only and args.only not in name:
                return
            page.wait_for_timeout(400)
            page.screenshot(path=IMAGES / f"{name}.png", **options)
            print(IMAGES / f"{name}.png")

        page.goto(f"{base}/presse/{SEED_SLUG}/")
        shot("release-page", full_page=False)
        page.goto(f"{base}/en/presse/{SEED_SLUG}/")
        shot("release-page-english", full_page=False)

        page.goto(f"{base}/admin/login/")
        page.fill("input[name=username]", "admin")
        page.fill("input[name=password]", "pressedienst")
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r"/admin/$"))

        page.goto(f"{base}/admin/pages/search/?q=Masterplan")
        link = page.locator("a[href*='/admin/pages/'][href$='/edit/']").first
        edit = base + link.get_attribute("href")
        page.goto(edit)
        page.wait_for_load_state("networkidle")
        shot("admin-editor")

        def section(name, heading):
            target = page.get_by_text(heading, exact=True).first
            target.scroll_into_view_if_needed()
            page.evaluate("window.scrollBy(0, -120)")
            shot(name)

        section("admin-body", "Zitat")
        section("admin-distribution", "An Presseverteiler senden")
        section("admin-versions", "Fassungen in anderen Sprachen")

        # The Leichte-Sprache version of the seed (the demo makes it): its editor's checker.
        versions = page.locator(
            "[data-press-versions] li[data-language='de-x-ls'] a[href$='/edit/']"
        )
        if versions.count():
            page.goto(base + versions.first.get_attribute("href"))
            page.wait_for_load_state("networkidle")
            section("admin-easy-language", "Prüfung auf Leichte Sprache")
            page.goto(edit)

        page_id = re.search(r"/pages/(\d+)/", edit)[1]
        page.goto(f"{base}/admin/press/embargo-links/{page_id}/")
        shot("admin-embargo-links")

        page.goto(f"{base}/admin/images/")
        page.locator("a[href*='/admin/images/'][href$='/']").filter(
            has=page.locator("img")
        ).first.click()
        page.wait_for_load_state("networkidle")
        shot("admin-photo")
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
