"""The core alone: a site with "press" and none of its optional parts (press.importer,
press.subscriptions, press.distribution, press.mailings) passes its checks, migrates from
nothing and serves a release, its newsroom and the press API, with nothing of the parts."""

from tests.test_checks import host_check

PARTS = ("press.importer", "press.subscriptions", "press.distribution", "press.mailings")

CORE_ONLY_SETTINGS = """
INSTALLED_APPS = [a for a in INSTALLED_APPS if a not in PARTS]
PRESS = {k: v for k, v in PRESS.items()
         if not k.startswith(("IMPORT_", "SUBSCRIPTION_", "MAIL_", "JOURNALIST_"))}
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": DB}}
"""

SERVE = """
import json
from django.test import Client
from wagtail.models import Page, Site
from home.models import HomePage
from press.models import PressIndexPage, PressReleasePage

root = Page.objects.get(depth=1)
home = root.add_child(instance=HomePage(title="Start", slug="start"))
Site.objects.update_or_create(is_default_site=True, defaults={"root_page": home, "hostname": "testserver"})
newsroom = home.add_child(instance=PressIndexPage(title="Presse", slug="presse"))
release = newsroom.add_child(instance=PressReleasePage(
    title="Nur der Kern", slug="nur-der-kern", release_date="2026-12-07",
    body=json.dumps([{"type": "paragraph", "value": "<p>Ohne Abo und Verteiler.</p>"}]),
))
release.save_revision().publish()

client = Client()
page = client.get("/presse/nur-der-kern/")
assert page.status_code == 200 and "Ohne Abo und Verteiler." in page.content.decode()
listing = client.get("/presse/").content.decode()
assert "Nur der Kern" in listing and 'class="subscribe"' not in listing, "subscription form"
releases = client.get("/api/press/releases").json()
assert [r["title"] for r in releases["results"]] == ["Nur der Kern"]
document = client.get("/api/press/openapi.json").json()
assert "/api/press/subscriptions" not in document["paths"], sorted(document["paths"])
signup = client.post("/api/press/subscriptions", {}, content_type="application/json")
assert signup.status_code in (404, 405), signup.status_code
assert signup["Content-Type"].startswith("application/problem+json")
print("SERVED")
"""


def run(tmp_path, *command):
    """`manage.py COMMAND` of the core-only host, in a new interpreter."""
    return host_check(
        tmp_path,
        f"PARTS = {PARTS!r}",
        f"DB = {str(tmp_path / 'core.sqlite3')!r}",
        CORE_ONLY_SETTINGS,
        command=command,
    )


def test_the_core_alone_checks_migrates_and_serves_a_release(tmp_path):
    check = run(tmp_path, "check", "--fail-level", "WARNING")
    assert check.returncode == 0, check.stderr
    migrate = run(tmp_path, "migrate", "--noinput")
    assert migrate.returncode == 0, migrate.stderr
    tables = run(
        tmp_path,
        "shell",
        "-c",
        "from django.db import connection; print(sorted(connection.introspection.table_names()))",
    )
    assert "press_pressreleasepage" in tables.stdout
    assert not any(
        f"'{label}_" in tables.stdout
        for label in ("press_subscriptions", "press_distribution", "press_mailings")
    )
    commands = run(tmp_path, "help", "--commands").stdout.split()
    assert "import_press_release" not in commands and "press_mailings_resume" not in commands

    served = run(tmp_path, "shell", "-c", SERVE)
    assert served.returncode == 0 and "SERVED" in served.stdout, served.stderr[-3000:]
