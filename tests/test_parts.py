"""The core alone: a site with "press" and none of its optional parts (press.subscriptions,
press.distribution, press.mailings) passes its checks, migrates from nothing, serves a release,
its newsroom and the press API, with nothing of the parts, and imports the office's archive."""

import os
from pathlib import Path

from tests.processes import python_run
from tests.test_checks import host_check

PARTS = ("press.subscriptions", "press.distribution", "press.mailings")
# An archive release without photos: imported without --media-dir and without the network.
ARCHIVE_FILE = (
    Path(__file__).resolve().parent
    / "fixtures_releases"
    / "pressedienst-2021-10-21-klimaschutz-klartext.txt"
)

CORE_ONLY_SETTINGS = """
INSTALLED_APPS = [a for a in INSTALLED_APPS if a not in PARTS]
PRESS = {k: v for k, v in PRESS.items()
         if not k.startswith(("SUBSCRIPTION_", "MAIL_", "JOURNALIST_"))}
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


def run(tmp_path, *command, axes_enabled=False):
    """`manage.py COMMAND` of the core-only host, in a new interpreter."""
    return host_check(
        tmp_path,
        f"PARTS = {PARTS!r}",
        f"DB = {str(tmp_path / 'core.sqlite3')!r}",
        CORE_ONLY_SETTINGS,
        f"AXES_ENABLED = {axes_enabled!r}",
        command=command,
    )


def test_the_core_alone_checks_migrates_serves_and_imports(tmp_path):
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
    assert "press_mailings_resume" not in commands
    # The archive import is the core's: `manage.py import_press_release FILE... [--media-dir
    # DIR] [--publish]` on a site that installed "press" alone.
    assert "import_press_release" in commands
    usage = run(tmp_path, "help", "import_press_release")
    assert usage.returncode == 0, usage.stderr
    assert all(option in usage.stdout for option in ("FILE", "--media-dir", "--publish"))

    served = run(tmp_path, "shell", "-c", SERVE)
    assert served.returncode == 0 and "SERVED" in served.stdout, served.stderr[-3000:]

    # With login throttling on, as in production: django-axes prints no start-up banner into
    # the operator's output.
    imported = run(
        tmp_path, "import_press_release", str(ARCHIVE_FILE), "--publish", axes_enabled=True
    )
    assert imported.returncode == 0, imported.stderr
    assert "Import fertig: 1 angelegt, 0 aktualisiert, 0 fehlgeschlagen (von 1)" in (
        imported.stdout
    )
    assert "AXES" not in imported.stdout + imported.stderr


def test_the_app_configs_import_before_any_model_is_loaded():
    """Django imports every AppConfig module before it loads a model; the parts' ones read
    their `press_settings` from press.conf, which therefore imports no model (the absolute
    addresses, which read Wagtail's Site, are in press.addresses)."""
    modules = ["press.apps"] + [f"{part}.apps" for part in (*PARTS, "press.accessibility")]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test"}
    result = python_run("-c", "import " + ", ".join(modules), env=env, timeout=60)
    assert result.returncode == 0, result.stderr
