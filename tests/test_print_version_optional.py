"""The print version is the extra `wagtail-press-releases[pdf]`: without WeasyPrint the plugin
loads, migrates and serves releases, offers no PDF anywhere, and a system check says how to
turn it on."""

import os
import sys

import pytest
from django.core import checks

from press.checks import check_print_version
from tests.factories import PressReleasePageFactory, body_paragraph
from tests.processes import ROOT, python_run


@pytest.fixture
def without_weasyprint(monkeypatch):
    """WeasyPrint as if not installed: `import weasyprint` raises ImportError (a None entry in
    sys.modules), in this process, for this test."""
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    with pytest.raises(ImportError):
        import weasyprint  # noqa: F401


@pytest.fixture
def release(newsroom, without_weasyprint):
    release = PressReleasePageFactory(
        parent=newsroom, title="Rheinufer wird grüner", body=[body_paragraph("<p>Bäume.</p>")]
    )
    release.save_revision().publish()
    release.refresh_from_db()
    return release


def test_the_release_page_offers_no_pdf(client, release):
    page = client.get(release.url).content.decode()
    assert "Rheinufer wird grüner" in page
    assert "application/pdf" not in page and "/pdf/" not in page
    assert "presskit/" in page  # the other downloads stay


def test_the_pdf_address_is_not_found(client, release):
    assert client.get(release.url + "pdf/").status_code == 404


def test_the_apis_have_no_pdf_address(client, release):
    detail = client.get(f"/api/press/releases/{release.pk}").json()
    assert detail["pdf_url"] is None
    assert detail["text_url"].endswith("/text/")
    listed = client.get("/api/press/releases").json()["results"]
    assert [item["pdf_url"] for item in listed] == [None]
    v2 = client.get(f"/api/v2/pages/{release.pk}/").json()
    assert v2["pdf_url"] is None


def test_the_text_version_names_no_pdf(client, release):
    text = client.get(release.url + "text/").content.decode()
    assert "Rheinufer wird grüner" in text and "pdf" not in text.lower()


def test_a_system_check_says_how_to_turn_it_on(without_weasyprint):
    [message] = check_print_version()
    assert message.level == checks.INFO and message.id == "press.I001"
    assert 'pip install "wagtail-press-releases[pdf]"' in message.hint
    assert "Pango" in message.hint
    assert message in checks.run_checks()


def test_with_weasyprint_the_check_is_silent_and_the_pdf_is_offered(client, newsroom):
    assert check_print_version() == []
    release = PressReleasePageFactory(parent=newsroom, title="Mit Druckfassung")
    release.save_revision().publish()
    release.refresh_from_db()
    assert release.pdf_url == f"{release.full_url}pdf/"
    assert f'href="{release.url}pdf/"' in client.get(release.url).content.decode()


# As if WeasyPrint were not installed: `import weasyprint` raises ImportError.
BLOCKER = "import sys\nsys.modules['weasyprint'] = None\n"


@pytest.fixture
def blocked_env(tmp_path):
    """A child process's environment in which WeasyPrint cannot be imported (a sitecustomize
    that refuses it), with a SQLite database of its own."""
    (tmp_path / "sitecustomize.py").write_text(BLOCKER)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT)]),
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    return env


def test_loading_the_plugin_does_not_import_weasyprint(blocked_env):
    env = {**blocked_env, "PYTHONPATH": str(ROOT)}  # WeasyPrint installed, not blocked
    loaded = python_run(
        "-c",
        "import sys, django; django.setup(); import press.urls, press.api, press.checks;"
        " print(sorted(name for name in sys.modules if name.startswith('weasyprint')))",
        env=env,
    )
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip() == "[]"


def test_the_site_migrates_and_checks_without_weasyprint(blocked_env):
    blocked = python_run("-c", "import weasyprint", env=blocked_env)
    assert blocked.returncode == 1 and "ModuleNotFoundError" in blocked.stderr

    migrated = python_run("manage.py", "migrate", "--noinput", env=blocked_env)
    assert migrated.returncode == 0, migrated.stderr
    checked = python_run("manage.py", "check", env=blocked_env)
    assert checked.returncode == 0, checked.stderr
    assert "press.I001" in checked.stdout + checked.stderr
