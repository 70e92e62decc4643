"""The plugin speaks English in its code and German through press/locale/de.

Every msgid `makemessages` finds in press/ has a German translation in the committed catalogue,
the committed .mo is that catalogue compiled, and what a reader or an editor sees follows the
active language: the release page and the newsroom with LANGUAGE_CODE "en" or "de", the admin's
edit screen with the editor's preferred language.
"""

import datetime
import gettext
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation
from wagtail.users.models import UserProfile

from press.importer.parse import release_parse
from tests.factories import (
    ImageFactory,
    PressContactFactory,
    PressReleasePageFactory,
    body_image,
    body_paragraph,
    body_quote,
)

PRESS = Path(__file__).resolve().parents[1] / "press"
LOCALE_DE = PRESS / "locale" / "de" / "LC_MESSAGES"
# The host's languages (the versions' too: Wagtail's content languages must be among them).
BOTH_LANGUAGES = [("de", "Deutsch"), ("en", "English"), ("de-x-ls", "Leichte Sprache")]

needs_gettext = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("xgettext", "msgmerge", "msgfmt", "msgen")),
    reason="GNU gettext (xgettext, msgmerge, msgfmt, msgen) is not installed",
)


def compiled_catalogue(po: Path, mo: Path, *, use_fuzzy: bool = False) -> dict:
    """The messages of a .po as Python's gettext reads them once msgfmt has compiled them:
    {msgid: msgstr}, contexts as "context\\x04msgid", plurals as (msgid, n). msgfmt leaves out
    empty translations, and fuzzy ones unless `use_fuzzy`."""
    command = ["msgfmt", "--check-format", "-o", str(mo), str(po)]
    if use_fuzzy:
        command.insert(1, "--use-fuzzy")
    subprocess.run(command, check=True, capture_output=True)
    return mo_catalogue(mo)


def mo_catalogue(mo: Path) -> dict:
    with mo.open("rb") as handle:
        catalogue = dict(gettext.GNUTranslations(handle)._catalog)
    catalogue.pop("", None)  # the header
    return catalogue


@pytest.fixture(scope="module")
def fresh_msgids(tmp_path_factory) -> list:
    """Every msgid of the plugin's code and templates, from `makemessages -l de` run in a copy
    of press/ without its catalogue (the repository's files stay untouched)."""
    copy = tmp_path_factory.mktemp("makemessages") / "press"
    shutil.copytree(
        PRESS, copy, ignore=shutil.ignore_patterns("locale", "__pycache__", "*.pyc", "*.mo")
    )
    (copy / "locale").mkdir()
    previous = Path.cwd()
    try:
        os.chdir(copy)
        call_command("makemessages", locale=["de"], verbosity=0)
    finally:
        os.chdir(previous)
    fresh = copy / "locale" / "de" / "LC_MESSAGES" / "django.po"
    # msgen fills every msgstr with its msgid, so the compiled catalogue lists every msgid.
    filled = fresh.with_name("filled.po")
    subprocess.run(["msgen", "-o", str(filled), str(fresh)], check=True, capture_output=True)
    return sorted(compiled_catalogue(filled, fresh.with_suffix(".mo"), use_fuzzy=True), key=str)


@needs_gettext
def test_makemessages_finds_no_message_without_a_german_translation(fresh_msgids, tmp_path):
    committed = compiled_catalogue(LOCALE_DE / "django.po", tmp_path / "committed.mo")
    # The extraction worked: Python (blocks, parser) and templates alike.
    assert {"Image with credit", "The title is empty.", "Download original"} <= set(fresh_msgids)
    untranslated = [msgid for msgid in fresh_msgids if not committed.get(msgid)]
    assert not untranslated, "No German translation (or a fuzzy one) in press/locale/de:\n" + (
        "\n".join(repr(msgid) for msgid in untranslated)
    )


@needs_gettext
def test_committed_mo_is_the_compiled_po(tmp_path):
    expected = compiled_catalogue(LOCALE_DE / "django.po", tmp_path / "django.mo")
    shipped = mo_catalogue(LOCALE_DE / "django.mo")
    assert shipped == expected, (
        "press/locale/de/LC_MESSAGES/django.mo is stale: run "
        "`cd press && msgfmt -o locale/de/LC_MESSAGES/django.mo locale/de/LC_MESSAGES/django.po`"
    )


# --- what a reader sees -----------------------------------------------------------------------


@pytest.fixture
def release(newsroom):
    photo = ImageFactory(title="Steuerungskreis")
    return PressReleasePageFactory(
        parent=newsroom,
        title="Masterplan Industrie",
        slug="masterplan-industrie",
        release_date=datetime.date(2023, 2, 7),
        contact=PressContactFactory(
            name="Annemarie Wotschke", email="presse@duesseldorf.de", phone="0211.89-93131"
        ),
        body=[
            body_paragraph("<p>Zum Jahresauftakt fand im Rathaus das Treffen statt.</p>"),
            body_quote("<p>Wir bündeln unsere Kräfte.</p>", "Dr. Stephan Keller"),
            body_image(photo, caption="Im Rathaus", credit="Landeshauptstadt Düsseldorf"),
        ],
    )


def get_in(client, language: str, url: str) -> str:
    with (
        override_settings(LANGUAGE_CODE=language, LANGUAGES=BOTH_LANGUAGES),
        translation.override(language),
    ):
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# The plugin's own strings: the host's layout around them (templates/base.html) is German.
RELEASE_PAGE = {
    "en": [
        '<h2 id="kontakt">Contact</h2>',
        '<h2 id="pressefotos">Press photos</h2>',
        ">Text version</a>",
        ">Download text version</a>",
        ">All press releases</a>",
        "Download original",
        "1200 × 800 pixels",  # noqa: RUF001 - the multiplication sign is meant
        "February 7, 2023",
        # the office's own wording comes from its settings, not from the catalogue
        "Zu Ihrer redaktionellen Verwendung",
    ],
    "de": [
        '<h2 id="kontakt">Kontakt</h2>',
        '<h2 id="pressefotos">Pressefotos</h2>',
        ">Textversion</a>",
        ">Textversion herunterladen</a>",
        ">Alle Pressemitteilungen</a>",
        "Original herunterladen",
        "1200 × 800 Pixel",  # noqa: RUF001
        "07. Februar 2023",
        "Zu Ihrer redaktionellen Verwendung",
    ],
}


@pytest.mark.parametrize(("language", "other"), [("en", "de"), ("de", "en")])
def test_release_page_speaks_the_active_language(client, release, language, other):
    html = get_in(client, language, release.url)
    for text in RELEASE_PAGE[language]:
        assert text in html
    for text in set(RELEASE_PAGE[other]) - set(RELEASE_PAGE[language]):
        assert text not in html


NEWSROOM = {
    "en": ["Subscribe to the RSS feed", ">All</a>", "February 7, 2023", 'aria-label="Years"'],
    "de": ["RSS-Feed abonnieren", ">Alle</a>", "07. Februar 2023", 'aria-label="Jahrgänge"'],
}


@pytest.mark.parametrize(("language", "other"), [("en", "de"), ("de", "en")])
def test_newsroom_speaks_the_active_language(client, newsroom, release, language, other):
    html = get_in(client, language, newsroom.url)
    assert all(text in html for text in NEWSROOM[language])
    assert not any(text in html for text in NEWSROOM[other])


def test_newsroom_without_releases_says_so_in_english(client, newsroom):
    assert "No press releases yet." in get_in(client, "en", newsroom.url)
    assert "Noch keine Pressemitteilungen." in get_in(client, "de", newsroom.url)


def test_text_version_in_english_reads_back_like_the_german_one(client, release):
    english = get_in(client, "en", f"{release.url}text/")
    german = get_in(client, "de", f"{release.url}text/")

    assert "\nFebruary 7, 2023\n" in english and "\n07. Februar 2023\n" in german
    # (Under an English LANGUAGE_CODE the German release's address carries its /de/ prefix.)
    assert re.search(
        r"\nText version:\nhttp://testserver(/de)?/presse/masterplan-industrie/text/\n", english
    )
    assert "\nContact: Annemarie Wotschke\npresse@duesseldorf.de, Phone 0211.89-93131\n" in english
    assert "\nKontakt: Annemarie Wotschke\npresse@duesseldorf.de, Telefon 0211.89-93131\n" in german
    assert release_parse(english) == release_parse(german)


def test_api_problem_details_follow_the_active_language(client, db):
    german = client.get("/api/press/releases?limit=0")
    # The host's only public language is German: LocaleMiddleware answers in German.
    assert german.json()["title"] == "Ungültige Anfrage"
    assert german.json()["detail"] == "Parameter „limit“ muss mindestens 1 sein."
    with (
        override_settings(LANGUAGE_CODE="en", LANGUAGES=BOTH_LANGUAGES),
        translation.override("en"),
    ):
        english = client.get("/api/press/releases?limit=0")
    assert english.json()["title"] == "Bad Request"
    assert english.json()["detail"] == "Parameter “limit” must be at least 1."


def test_api_document_follows_the_active_language(client, db):
    german = client.get("/api/press/openapi.json").json()
    with (
        override_settings(LANGUAGE_CODE="en", LANGUAGES=BOTH_LANGUAGES),
        translation.override("en"),
    ):
        english = client.get("/api/press/openapi.json").json()
    assert german["info"]["title"] == "Pressedienst API"
    assert english["info"]["title"] == "Press service API"
    operation = english["paths"]["/api/press/releases"]["get"]
    assert operation["summary"] == "List press releases"
    assert german["paths"]["/api/press/releases"]["get"]["summary"] == (
        "Pressemitteilungen auflisten"
    )


# --- what an editor sees ----------------------------------------------------------------------

EDIT_SCREEN = {
    "en": ["Quote", "Image with credit", "Alternative text", "Release date", "Create embargo link"],
    "de": [
        "Zitat",
        "Bild mit Bildnachweis",
        "Alternativtext",
        "Datum",
        "Sperrfrist-Link erstellen",
    ],
}


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser(
        username="redaktion", email="redaktion@duesseldorf.de", password="geheim-123"
    )


@pytest.mark.parametrize(("language", "other"), [("en", "de"), ("de", "en")])
def test_admin_edit_screen_speaks_the_editor_s_language(
    client, release, superuser, language, other
):
    profile = UserProfile.get_for_user(superuser)
    profile.preferred_language = language
    profile.save()
    client.force_login(superuser)

    response = client.get(f"/admin/pages/{release.pk}/edit/")

    assert response.status_code == 200
    html = response.content.decode()
    for text in EDIT_SCREEN[language]:
        assert text in html, text
    for text in ("Image with credit", "Bild mit Bildnachweis", "Alternativtext"):
        if text not in EDIT_SCREEN[language]:
            assert text not in html, text
    assert EDIT_SCREEN[other][1] not in html
