"""The German admin below the browser: dates as Germans type them, the host's catalogue, the
German names of Wagtail's default rows and the Help menu."""

import datetime
import gettext
import subprocess
import zoneinfo
from pathlib import Path

import pytest
import wagtail
from django.contrib.auth import get_user_model
from django.utils import translation
from wagtail.admin.forms.choosers import EmailLinkChooserForm, ExternalLinkChooserForm
from wagtail.models import Collection, Page, Workflow
from wagtail.test.utils.form_data import inline_formset, nested_form_data
from wagtail.users.models import UserProfile

from home.wagtail_defaults import MODERATION_NAME, ROOT_COLLECTION_NAME, ROOT_PAGE_TITLE
from press.models import PressReleasePage
from tests.test_translations import compiled_catalogue, mo_catalogue, needs_gettext

ROOT = Path(__file__).resolve().parents[1]
HOST_DE = ROOT / "cms" / "locale" / "de" / "LC_MESSAGES"
WAGTAIL = Path(wagtail.__file__).parent
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def release_form(newsroom, **data):
    form_class = PressReleasePage.get_edit_handler().get_form_class()
    fields = {
        "title": "Masterplan Industrie",
        "slug": "masterplan-industrie",
        "body-count": "0",
        **nested_form_data(
            {
                "corrections": inline_formset([]),
                "subscriber_mailing": inline_formset([]),
                "distribution_choices": inline_formset([]),
                "related_links": inline_formset([]),
            }
        ),
    }
    return form_class({**fields, **data}, instance=PressReleasePage(), parent_page=newsroom)


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_german_date_and_go_live_are_read_in_either_admin_language(newsroom, language):
    with translation.override(language):
        form = release_form(
            newsroom,
            release_date="03.12.2026",
            go_live_at="03.12.2026 10:00",
            expire_at="31.12.2026 18:30",
        )
        assert form.is_valid(), form.errors
    assert form.cleaned_data["release_date"] == datetime.date(2026, 12, 3)
    assert form.cleaned_data["go_live_at"] == datetime.datetime(2026, 12, 3, 10, tzinfo=BERLIN)
    assert form.cleaned_data["expire_at"] == datetime.datetime(2026, 12, 31, 18, 30, tzinfo=BERLIN)


@pytest.mark.parametrize("typed", ["31.02.2026", "3.12.", "12/03/2026x", "morgen"])
def test_a_date_the_form_cannot_read_is_an_error_not_dropped(newsroom, typed):
    with translation.override("de"):
        form = release_form(newsroom, release_date=typed, go_live_at=f"{typed} 10:00")
        assert not form.is_valid()
        assert form.errors["release_date"] == ["Bitte ein gültiges Datum eingeben."]
        assert form.errors["go_live_at"] == ["Bitte ein gültiges Datum und Uhrzeit eingeben."]


def test_the_date_fields_show_german_dates(newsroom):
    release = PressReleasePage(
        title="Masterplan Industrie",
        release_date=datetime.date(2026, 12, 3),
        go_live_at=datetime.datetime(2026, 12, 3, 10, tzinfo=BERLIN),
    )
    form_class = PressReleasePage.get_edit_handler().get_form_class()
    with translation.override("de"):
        form = form_class(instance=release, parent_page=newsroom)
        assert 'value="03.12.2026"' in str(form["release_date"])
        assert 'value="03.12.2026 10:00"' in str(form["go_live_at"])
    # the picker's own format (PHP style) is the same
    assert form.fields["release_date"].widget.js_format == "d.m.Y"


def test_the_release_date_pickers_leave_typed_text_to_the_form(admin_client, newsroom):
    """The release's own date fields are marked for the editor's script, which keeps their
    blur from the picker's check (the browser test types into them); other date pickers of
    the admin, and the admin's other pages, are left as Wagtail made them."""
    response = admin_client.get(f"/admin/pages/add/press/pressreleasepage/{newsroom.pk}/")
    assert b'src="/static/press/admin/date-input.js"' in response.content
    form = response.context["form"]
    for name in ("release_date", "go_live_at", "expire_at"):
        assert "data-press-typed-date" in str(form[name]), name
    script = (ROOT / "press" / "static" / "press" / "admin" / "date-input.js").read_text()
    assert "[data-press-typed-date]" in script
    assert "datetimepicker.defaults" not in script
    assert b"press/admin/date-input.js" not in admin_client.get("/admin/").content


# --- the host's catalogue -------------------------------------------------------------------


@needs_gettext
def test_committed_host_mo_is_the_compiled_po(tmp_path):
    expected = compiled_catalogue(HOST_DE / "django.po", tmp_path / "django.mo")
    assert mo_catalogue(HOST_DE / "django.mo") == expected, (
        "cms/locale/de/LC_MESSAGES/django.mo is stale: run `msgfmt -o "
        "cms/locale/de/LC_MESSAGES/django.mo cms/locale/de/LC_MESSAGES/django.po`"
    )


def wagtail_msgids() -> set:
    msgids = set()
    for mo in WAGTAIL.glob("**/locale/de/LC_MESSAGES/django.mo"):
        with mo.open("rb") as handle:
            msgids |= set(gettext.GNUTranslations(handle)._catalog)
    return msgids


def test_every_host_message_fixes_a_message_wagtail_or_the_host_uses(tmp_path):
    """A Wagtail upgrade that rewords a message leaves the host's fix without effect: the
    fix must then follow the new wording."""
    subprocess.run(
        ["msgfmt", "-o", str(tmp_path / "host.mo"), str(HOST_DE / "django.po")], check=True
    )
    host = set(mo_catalogue(tmp_path / "host.mo"))
    from wagtail.sites.views import IndexView as SitesIndexView

    from home.apps import LINK_FORM_LABELS
    from home.wagtail_defaults import UNLABELLED_COLUMNS

    labels = {label for fields in LINK_FORM_LABELS.values() for label in fields.values()}
    # Still the headers Wagtail's sites listing makes from field names.
    assert {str(column.label) for column in SitesIndexView.columns} >= UNLABELLED_COLUMNS
    stale = sorted(host - wagtail_msgids() - labels - UNLABELLED_COLUMNS, key=str)
    assert not stale, f"Not a message of Wagtail or the host: {stale}"


WAGTAIL_FIXED = {
    "Go-live:": "Veröffentlichung am:",
    "Submit to %(workflow_name)s": "Zur %(workflow_name)s einreichen",
    "Anyone can edit this %(model_name)s": "Alle mit Bearbeitungsrecht können dies ändern",
}


@pytest.mark.parametrize(("english", "german"), WAGTAIL_FIXED.items())
def test_the_host_s_german_wins_over_wagtail_s(english, german):
    with translation.override("de"):
        assert translation.gettext(english) == german


def test_the_link_dialog_labels_its_fields_in_german():
    with translation.override("de"):
        external = ExternalLinkChooserForm()
        email = EmailLinkChooserForm()
        assert external["link_text"].label == "Linktext"
        assert [email[name].label for name in email.fields] == [
            "E-Mail-Adresse",
            "Linktext",
            "Betreff",
            "Nachricht",
        ]


# --- Wagtail's default rows -------------------------------------------------------------------


def test_migrations_give_wagtail_s_default_rows_german_names(db):
    assert Page.get_first_root_node().title == ROOT_PAGE_TITLE
    assert Collection.get_first_root_node().name == ROOT_COLLECTION_NAME
    workflow = Workflow.objects.get()
    assert workflow.name == MODERATION_NAME
    assert [task.name for task in workflow.tasks] == [MODERATION_NAME]


# --- Help -------------------------------------------------------------------------------------


def test_help_leads_to_the_german_editor_guide(client, db):
    editor = get_user_model().objects.create_superuser("redaktion", "r@example.org", "geheim-123")
    UserProfile.get_for_user(editor)
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert html.count('href="https://guide.wagtail.org/de-latest/"') == 1  # dashboard
    assert "https://guide.wagtail.org/en" not in html
    # The sidebar's menu is JSON for its script
    assert "https://guide.wagtail.org/de-latest/" in html.split('id="wagtail-sidebar-props"')[1]


# --- the log ----------------------------------------------------------------------------------


def test_a_changed_slug_s_redirect_is_logged_in_german(
    newsroom, caplog, django_capture_on_commit_callbacks
):
    from tests.factories import PressReleasePageFactory

    release = PressReleasePageFactory(parent=newsroom, title="Masterplan", slug="masterplan")
    release.slug = "masterplan-industrie"
    with (
        caplog.at_level("INFO", logger="wagtail.contrib.redirects.signal_handlers"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        release.save()
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("wagtail.contrib")]
    assert "Weiterleitungen: 1 von 1 angelegt." in lines, lines
    assert not [line for line in lines if "were created" in line]
