"""An editor's and an operator's first day (issue 23, section 5), below the browser: the mail
goes where the environment says and leads where the demo serves, the HTML mail says what the
text part says, releases and topics get German slugs, the demo's error pages are the site's
own, and the German words of the admin."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from wagtail.models import Site

from home.management.commands.load_demo_content import demo_address
from tests import test_subscriptions
from tests.factories import PressContactFactory
from tests.processes import manage
from tests.test_subscriptions import (
    SMTPRecorder,
    free_port,
    release_published,
    sign_up,
    text_of,
)

# The subscriptions' fixtures: a real SMTP server on loopback, on-commit callbacks run, and
# three confirmed readers, signed up through a client whose requests commit (the confirmation
# mail leaves from the task queue after the commit).
client = test_subscriptions.client
smtp = test_subscriptions.smtp
commit = test_subscriptions.commit
readers = test_subscriptions.readers

ROOT = Path(__file__).resolve().parents[1]


# --- mail on an operator's first day ----------------------------------------------------------


@pytest.fixture
def smtp_server():
    """A real SMTP server on loopback for a subprocess to send to."""
    recorder = SMTPRecorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    recorder.port = controller.port
    yield recorder
    controller.stop()


SEND_ONE_MAIL = (
    "import django; django.setup(); from django.core.mail import send_mail; "
    "send_mail('Probe', 'Text der Probe', 'presse@duesseldorf.example', ['redaktion@rp.example'])"
)


@pytest.mark.parametrize("settings_module", ["cms.settings.dev", "cms.settings.production"])
def test_mail_goes_to_the_smtp_server_the_environment_names_in_every_settings_module(
    smtp_server, settings_module, tmp_path
):
    """README and docs/operators/email.md: EMAIL_HOST and EMAIL_PORT are where mail goes. The
    dev settings printed it on the console instead, whatever the environment said."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_server.port),
        "SECRET_KEY": "x" * 60,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", SEND_ONE_MAIL],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert smtp_server.recipients() == ["redaktion@rp.example"]
    assert "Text der Probe" in text_of(smtp_server.messages[0])
    assert "Text der Probe" not in result.stdout


def test_without_a_mail_server_the_dev_settings_print_the_mail(smtp_server, tmp_path):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("EMAIL_") and key != "DJANGO_SETTINGS_MODULE"
    }
    environment["DJANGO_SETTINGS_MODULE"] = "cms.settings.dev"
    environment["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    result = subprocess.run(
        [sys.executable, "-c", SEND_ONE_MAIL],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Text der Probe" in result.stdout
    assert smtp_server.messages == []


def test_mail_links_lead_to_the_address_make_run_serves(client, newsroom, smtp, commit):
    """`make run ADDR=127.0.0.1:8123` gives the demo site that address (load_demo_content
    --addr); the confirmation and unsubscribe links of its mails lead there, not to
    WAGTAILADMIN_BASE_URL's port 8000."""
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = demo_address("127.0.0.1:8123")  # as load_demo_content --addr
    site.save()
    with commit():
        assert sign_up(client, "leser@example.org").status_code == 202
    mail = text_of(smtp.to("leser@example.org")[-1])
    assert "http://127.0.0.1:8123/presse-abo/confirm/" in mail, mail
    assert "http://127.0.0.1:8123/presse-abo/unsubscribe/" in mail, mail
    assert "testserver" not in mail and ":8000" not in mail


def test_the_html_mail_carries_the_contact_and_the_german_date_of_the_text_part(
    newsroom, smtp, readers, commit
):
    contact = PressContactFactory(
        name="Annemarie Wotschke", email="presse@duesseldorf.de", phone="+49.211.89-93131"
    )
    with commit():
        release_published(newsroom, title="Masterplan Industrie", contact=contact)
    mail = smtp.to(readers[0])[0]
    text, html = text_of(mail), text_of(mail, "html")
    for expected in ("07. Februar 2023", "Annemarie Wotschke", "presse@duesseldorf.de"):
        assert expected in text
        assert expected in html, expected
    assert "Telefon +49.211.89-93131" in text
    assert "Telefon +49.211.89-93131" in html
    assert "2023-02-07" not in html


# --- German slugs -----------------------------------------------------------------------------


def test_a_release_saved_without_a_slug_gets_the_german_one_the_importer_makes(newsroom):
    from press.importer.save import release_slug
    from press.models import PressReleasePage

    release = PressReleasePage(title="Bürgerbeteiligung Straße: Größere Übersicht")
    newsroom.add_child(instance=release)
    assert release.slug == "buergerbeteiligung-strasse-groessere-uebersicht"
    assert release.slug == release_slug(title=release.title)
    assert release.url == "/presse/buergerbeteiligung-strasse-groessere-uebersicht/"


def test_the_admin_slug_fields_spell_german_letters_out(admin_client, newsroom):
    """The editor's slug field (Wagtail's SlugInput) gets the German spelling as formatters,
    which Wagtail's slug script applies while the title is typed (the browser test types)."""
    import json
    import re

    for url in (
        f"/admin/pages/add/press/pressreleasepage/{newsroom.pk}/",
        "/admin/snippets/press/topic/add/",
    ):
        html = admin_client.get(url).content.decode()
        slug = re.search(r'<input[^>]*name="slug"[^>]*>', html).group(0)
        assert "data-w-slug-allow-unicode-value" not in slug, url  # ASCII slugs
        found = re.search(r'data-w-slug-formatters-value="([^"]*)"', slug)
        assert found, url
        formatters = json.loads(found.group(1).replace("&quot;", '"'))
        spelled = {pattern[0]: replacement for pattern, replacement in formatters}
        assert {spelled[letter] for letter in "äöüß"} == {"ae", "oe", "ue", "ss"}, url


def test_the_topic_form_fills_the_slug_from_the_name(admin_client):
    from press.models import Topic

    response = admin_client.post(
        "/admin/snippets/press/topic/add/",
        {"name": "Öffentlicher Nahverkehr", "slug": "", "description": ""},
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Topic.objects.get(name="Öffentlicher Nahverkehr").slug == "oeffentlicher-nahverkehr"
    # A name whose slug another topic has: an error at the slug field, nothing saved.
    response = admin_client.post(
        "/admin/snippets/press/topic/add/",
        {"name": "Öffentlicher  Nahverkehr!", "slug": "", "description": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["slug"]
    assert Topic.objects.count() == 1


# --- scheduled publishing in the demo ---------------------------------------------------------


def test_make_run_publishes_scheduled_releases_beside_the_dev_server():
    """`make run` starts the production sidecar loop (publish_scheduled every few seconds)
    in the same shell as the dev server, so a release scheduled in the demo goes live."""
    result = subprocess.run(
        ["make", "-n", "run", "ADDR=127.0.0.1:8123"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    shell_lines = result.stdout.replace("\\\n", " ").splitlines()
    server = next(line for line in shell_lines if "runserver 127.0.0.1:8123" in line)
    _before, started, after = server.partition("sh docker/publish-scheduled.sh &")
    assert started, server
    assert "runserver" in after and "kill" in after  # stopped with the server
    script = (ROOT / "docker" / "publish-scheduled.sh").read_text()
    assert "python manage.py publish_scheduled" in script


def test_a_scheduled_release_says_scheduled_and_when_not_page_locked(admin_client, newsroom):
    import datetime

    from django.utils import timezone

    from press.models import PressReleasePage

    release = PressReleasePage(
        title="Haushalt 2027",
        live=False,
        go_live_at=timezone.now() + datetime.timedelta(days=1),
    )
    newsroom.add_child(instance=release)
    release.save_revision().publish()  # scheduled: Wagtail keeps it back until go-live
    release.refresh_from_db()
    assert not release.live and release.scheduled_revision is not None
    html = admin_client.get(f"/admin/pages/{release.pk}/edit/").content.decode()
    moment = timezone.localtime(release.go_live_at).strftime("%d.%m.%Y %H:%M")
    assert f"Eingeplant für {moment}" in html
    assert "Seite gesperrt" not in html
    assert "Derzeit gesperrt" not in html


# --- journalists and their lists ----------------------------------------------------------------


def test_a_journalists_form_shows_and_edits_their_lists(admin_client, db):
    from django.urls import reverse

    from press.distribution.models import DistributionList, Journalist

    anna = Journalist.objects.create(name="Anna Weiß", outlet="RP", email="anna@rp.example")
    local = DistributionList.objects.create(name="Lokalpresse")
    business = DistributionList.objects.create(name="Wirtschaftspresse")
    local.members.add(anna)

    form = admin_client.get(reverse("press_journalists:edit", args=[anna.pk])).context["form"]
    assert "Verteiler" in str(form["distribution_lists"].label)
    assert [int(pk) for pk in form["distribution_lists"].value()] == [local.pk]

    response = admin_client.post(
        reverse("press_journalists:edit", args=[anna.pk]),
        {
            "name": "Anna Weiß",
            "outlet": "RP",
            "email": "anna@rp.example",
            "distribution_lists": [business.pk],
            "active": "on",
            "notes": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert list(anna.distribution_lists.all()) == [business]

    response = admin_client.post(
        reverse("press_journalists:add"),
        {
            "name": "Kai Wirt",
            "outlet": "Handelsblatt",
            "email": "kai@hb.example",
            "distribution_lists": [local.pk, business.pk],
            "active": "on",
            "notes": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    kai = Journalist.objects.get(email="kai@hb.example")
    assert set(kai.distribution_lists.all()) == {local, business}


def test_an_empty_list_says_how_to_add_members(admin_client, db):
    from django.urls import reverse

    from press.distribution.models import DistributionList

    empty = DistributionList.objects.create(name="Kulturpresse")
    html = admin_client.get(reverse("press_distribution_lists:edit", args=[empty.pk])).content
    html = html.decode()
    assert "Wer fehlt" in html
    assert f'href="{reverse("press_journalists:add")}"' in html
    assert f'href="{reverse("press_journalists_import:index")}"' in html


# --- German on German screens -------------------------------------------------------------------


def test_the_admin_says_its_sites_name_and_no_english_labels(admin_client, db):
    from django.urls import reverse

    dashboard = admin_client.get("/admin/").content.decode()
    assert "<title>Übersicht - Pressedienst</title>" in dashboard
    assert "- Wagtail</title>" not in dashboard
    sites = admin_client.get(reverse("wagtailsites:index")).content.decode()
    assert "Website-Name" in sites and "Site name" not in sites
    assert "Root page" not in sites
    pages = admin_client.get("/admin/pages/").content.decode()
    assert 'aria-label="Aktionen"' in pages and 'aria-label="Actions"' not in pages
    catalogue = admin_client.get("/admin/jsi18n/").content.decode()
    assert '"Dashboard": "\\u00dcbersicht"' in catalogue or '"Dashboard": "Übersicht"' in catalogue


def test_the_newsrooms_page_navigation_keeps_wagtails_pages_menu_german(admin_client, newsroom):
    """The newsroom's pagination calls itself "Seitennavigation"; Wagtail's sidebar item
    "Seiten" shared its msgid and was clipped to "Seitennavigati…"."""
    from django.utils import translation

    with translation.override("de"):
        assert translation.gettext("Pages") == "Seiten"
    sidebar = admin_client.get("/admin/").content.decode()
    assert "Seitennavigation" not in sidebar


def test_the_site_history_names_wagtails_welcome_page_in_german(db):
    """The demo deletes Wagtail's installer page; its deletion stayed in the site history as
    "Welcome to your new Wagtail site!" (home/0003 renames the page and its log entries)."""
    from django.apps import apps
    from django.utils import timezone
    from wagtail.models import Page, PageLogEntry

    from home.wagtail_defaults import WELCOME_PAGE_TITLE, rename_wagtail_defaults

    root = Page.get_first_root_node()
    welcome = Page.objects.filter(depth=2, slug="home").first() or root.add_child(
        instance=Page(title="Welcome to your new Wagtail site!", slug="home")
    )
    Page.objects.filter(pk=welcome.pk).update(title="Welcome to your new Wagtail site!")
    PageLogEntry.objects.create(
        page=welcome,
        action="wagtail.delete",
        label="Welcome to your new Wagtail site!",
        content_type=welcome.content_type,
        timestamp=timezone.now(),
    )
    rename_wagtail_defaults(apps)
    assert Page.objects.get(pk=welcome.pk).title == WELCOME_PAGE_TITLE
    assert set(PageLogEntry.objects.values_list("label", flat=True)) == {WELCOME_PAGE_TITLE}


# --- the demo's error pages -----------------------------------------------------------------


@pytest.fixture
def dev_error_handling(settings):
    """The dev settings' DEBUG and middleware (`make run`), on the test database."""
    from cms.settings import dev

    settings.DEBUG = True
    settings.MIDDLEWARE = dev.MIDDLEWARE


def test_the_demos_404_is_the_sites_own_page(client, newsroom, dev_error_handling):
    response = client.get("/presse/gibt-es-nicht/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Diese Seite gibt es nicht" in html
    assert "Alle Pressemitteilungen" in html
    assert "Django tried these URL patterns" not in html and "technical" not in html


def test_the_demos_500_is_the_sites_own_page_and_the_console_has_the_traceback(
    client, newsroom, dev_error_handling, monkeypatch, caplog
):
    from press.models import PressIndexPage

    def broken(self, request, *args, **kwargs):
        raise RuntimeError("Probe: der Pressedienst ist kaputt")

    monkeypatch.setattr(PressIndexPage, "serve", broken)
    client.raise_request_exception = False
    response = client.get("/presse/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Ein vorübergehender Fehler" in html
    assert "Traceback" not in html and "Probe: der Pressedienst" not in html
    assert "Probe: der Pressedienst ist kaputt" in caplog.text


# A newsroom and a release scheduled SECONDS ahead on the dev site's home page, as an editor
# schedules one in the admin (go-live date, then "Publish": Wagtail approves the revision for
# that moment and the page stays offline); prints the release's id.
SCHEDULE = """
import datetime
from django.utils import timezone
from wagtail.models import Site
from press.models import PressIndexPage, PressReleasePage
home = Site.objects.get(is_default_site=True).root_page
newsroom = home.add_child(instance=PressIndexPage(title="Presse", slug="presse"))
newsroom.save_revision().publish()
release = newsroom.add_child(instance=PressReleasePage(
    title="Haushalt 2027", slug="haushalt-2027", live=False,
    go_live_at=timezone.now() + datetime.timedelta(seconds=%d)))
release.save_revision().publish()
print(release.pk)
"""


@pytest.mark.processes
def test_a_release_scheduled_in_make_run_goes_live_by_the_sidecar_loop(tmp_path):
    """The loop `make run` starts beside the dev server (docker/publish-scheduled.sh, every
    SCHEDULE_INTERVAL seconds) takes a scheduled release live after its time, not before,
    and stops at once when the server's shell stops it."""
    import signal
    import sqlite3
    import time

    database = tmp_path / "db.sqlite3"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "REDIS_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        DATABASE_URL=f"sqlite:///{database}",
        MEDIA_ROOT=str(tmp_path / "media"),
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private-media"),
        # The venv's python, as `make run` puts $(BIN) first on PATH.
        PATH=os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]),
        PUBLISH_SCHEDULED_INTERVAL="1",
    )

    def live(pk: int) -> bool:
        with sqlite3.connect(database) as connection:
            (value,) = connection.execute(
                "SELECT live FROM wagtailcore_page WHERE id = ?", (pk,)
            ).fetchone()
        return bool(value)

    manage(env, "migrate", "--noinput")
    seconds = 8
    pk = int(manage(env, "shell", "-c", SCHEDULE % seconds).split()[-1])
    scheduled_at = time.monotonic()
    assert not live(pk)

    loop = subprocess.Popen(
        ["sh", "docker/publish-scheduled.sh"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        while not live(pk) and loop.poll() is None and time.monotonic() - scheduled_at < 120:
            time.sleep(0.2)
        went_live_after = time.monotonic() - scheduled_at
        assert live(pk), loop.stderr.read() if loop.poll() is not None else "not live in 120 s"
        # Not before its time (the loop ran every second from the start).
        assert went_live_after >= seconds - 1
    finally:
        loop.send_signal(signal.SIGTERM)
        loop.wait(timeout=10)
    assert loop.returncode == 0
