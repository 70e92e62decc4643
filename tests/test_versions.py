"""Versions of a release in English and Leichte Sprache beside the German original.

An editor makes a version with the admin's "Translate" action (wagtail.contrib.simple_translation);
the versions share the German release's translation_key; the release editor lists them and says
which are out of date; a Leichte-Sprache version shows the checker's findings and publishes all
the same. Readers see a version only while its German original is visible.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Locale, Page, PageViewRestriction

from press.easy_language import easy_language_check
from press.models import PressReleasePage
from tests import test_subscriptions as subscriptions
from tests.factories import PressReleasePageFactory, body_paragraph

EASY = "de-x-ls"


def locale(code: str) -> Locale:
    return Locale.objects.get_or_create(language_code=code)[0]


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def version_make(original, code: str, *, title: str, text: str):
    """The version as the admin's action makes it (a copy in the locale, its parents copied
    too where missing), then written and published by the editor."""
    version = original.copy_for_translation(locale(code), copy_parents=True)
    for ancestor in version.get_ancestors().filter(depth__gt=1).specific():
        if not ancestor.live:
            publish(ancestor)
    version = version.specific
    # Published now, on its own: the copy's embargo and expiry are the original's.
    version.go_live_at = version.expire_at = None
    version.title = title
    version.body = [body_paragraph(f"<p>{text}</p>")]
    return publish(version)


@pytest.fixture
def original(newsroom):
    release = PressReleasePageFactory(
        parent=newsroom,
        title="Masterplan Industrie",
        slug="masterplan-industrie",
        release_date=datetime.date(2023, 2, 7),
        body=[body_paragraph("<p>Zum Jahresauftakt fand im Rathaus das Treffen statt.</p>")],
    )
    return publish(release)


@pytest.fixture
def english(original):
    return version_make(
        original, "en", title="Industry master plan", text="The meeting took place at City Hall."
    )


@pytest.fixture
def easy(original):
    return version_make(
        original, EASY, title="Ein Plan für die Industrie", text="Es gab ein Treffen im Rat·haus."
    )


@pytest.fixture
def editor_client(client, db):
    user = get_user_model().objects.create_superuser("redaktion", "r@example.org", "pw")
    client.force_login(user)
    return client


# --- the model -------------------------------------------------------------------------------


def test_versions_know_each_other_and_live_below_their_language(original, english, easy):
    assert {page.pk for page in original.get_translations()} == {english.pk, easy.pk}
    assert english.translation_key == easy.translation_key == original.translation_key
    assert original.url == "/presse/masterplan-industrie/"
    assert english.url == "/en/presse/masterplan-industrie/"
    assert easy.url == f"/{EASY}/presse/masterplan-industrie/"


def test_each_version_is_served_in_its_language(client, original, english, easy):
    german = client.get(original.url)
    assert german.status_code == 200
    assert "Zum Jahresauftakt" in german.content.decode()
    response = client.get(english.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The meeting took place at City Hall." in html
    assert "Zum Jahresauftakt" not in html
    assert "February 7, 2023" in html  # the page's own labels and dates speak English
    assert "Rat·haus" in client.get(easy.url).content.decode()


# --- visibility: a version never before its original ----------------------------------------


def hide_original_unpublished(original):
    original.unpublish()


def hide_original_restricted(original):
    PageViewRestriction.objects.create(
        page=original, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )


def hide_original_expired(original):
    Page.objects.filter(pk=original.pk).update(
        expire_at=timezone.now() - datetime.timedelta(minutes=1)
    )


@pytest.mark.parametrize(
    "hide", [hide_original_unpublished, hide_original_restricted, hide_original_expired]
)
def test_a_version_of_a_hidden_original_is_hidden(client, original, english, hide):
    assert PressReleasePage.objects.visible().filter(pk=english.pk).exists()
    hide(original)
    assert not PressReleasePage.objects.visible().filter(pk=english.pk).exists()
    assert client.get(english.url).status_code == 404
    assert client.get(english.url + "text/").status_code == 404
    assert "Industry master plan" not in client.get("/en/presse/").content.decode()


def test_a_version_published_before_its_scheduled_original_waits_for_it(client, newsroom):
    scheduled = PressReleasePageFactory(parent=newsroom, title="Vorab", slug="vorab", live=False)
    scheduled.go_live_at = timezone.now() + datetime.timedelta(days=1)
    scheduled.save_revision().publish()
    scheduled.refresh_from_db()
    english = version_make(scheduled, "en", title="Embargoed", text="Not yet.")
    assert english.live
    assert client.get(english.url).status_code == 404
    assert not PressReleasePage.objects.visible().filter(pk=english.pk).exists()
    # The original goes live: the version with it.
    Page.objects.filter(pk=scheduled.pk).update(live=True)
    assert client.get(english.url).status_code == 200


# --- the admin -------------------------------------------------------------------------------


def test_the_translate_action_makes_the_english_version(editor_client, original, english):
    """With the newsroom translated once, the release itself is translated in the admin."""
    other = publish(
        PressReleasePageFactory(parent=original.get_parent(), title="Zweite", slug="zweite")
    )
    url = f"/admin/translation/submit/page/{other.pk}/"
    form = editor_client.get(url)
    assert form.status_code == 200
    response = editor_client.post(url, {"locales": [locale("en").pk]})
    assert response.status_code == 302
    made = other.get_translation(locale("en"))
    assert made.translation_key == other.translation_key
    assert not made.live  # a draft until the editor has written and published it
    assert made.get_parent().pk == english.get_parent().pk


def test_the_editor_lists_the_versions_and_which_are_out_of_date(editor_client, original, english):
    html = editor_client.get(f"/admin/pages/{original.pk}/edit/").content.decode()
    assert 'data-language="en"' in html and 'data-language="de-x-ls"' in html
    assert "data-press-outdated" not in html
    assert f"/admin/translation/submit/page/{original.pk}/" in html  # Leichte Sprache is missing

    original.title = "Masterplan Industrie (aktualisiert)"
    publish(original)
    html = editor_client.get(f"/admin/pages/{original.pk}/edit/").content.decode()
    assert "data-press-outdated" in html
    english_html = editor_client.get(f"/admin/pages/{english.pk}/edit/").content.decode()
    assert "data-press-outdated" in english_html


def test_the_easy_language_version_shows_the_checker_and_still_publishes(
    editor_client, original, easy
):
    easy.body = [body_paragraph("<p>Der Oberbürgermeister kommt z. B. um drei Uhr.</p>")]
    publish(easy)
    html = editor_client.get(f"/admin/pages/{easy.pk}/edit/").content.decode()
    assert "data-press-easy-language" in html
    assert "Oberbürgermeister" in html and 'data-kind="number"' in html
    # The German original has no checker.
    original_html = editor_client.get(f"/admin/pages/{original.pk}/edit/").content.decode()
    assert "data-press-easy-language" not in original_html
    assert PressReleasePage.objects.visible().filter(pk=easy.pk).exists()


# --- the checker (pure) ----------------------------------------------------------------------


def kinds(text: str) -> list[tuple[str, str]]:
    return [(finding.kind, finding.excerpt) for finding in easy_language_check(text)]


def test_checker_finds_long_sentences():
    long = "Die Stadt hat am Montag im großen Saal vom Rat·haus einen neuen Plan für alle Menschen vorgestellt."
    assert [kind for kind, _ in kinds(long)] == ["sentence"]
    assert kinds("Die Stadt hat einen Plan. Der Plan ist neu.") == []


def test_checker_finds_long_compounds_without_mediopunkt():
    assert kinds("Der Oberbürgermeister spricht.") == [("compound", "Oberbürgermeister")]
    assert kinds("Der Ober·bürger·meister spricht.") == []
    assert kinds("Es gibt Informationen.") == []  # 13 letters: not yet a compound


def test_checker_finds_abbreviations_and_acronyms():
    found = kinds("Es kommen z. B. Busse. Das ist bzw. war so. Die EU hilft.")
    assert ("abbreviation", "z. B.") in found
    assert ("abbreviation", "bzw.") in found
    assert ("abbreviation", "EU") in found
    # "z. B." ends no sentence: the three sentences stay three short ones.
    assert not [kind for kind, _ in found if kind == "sentence"]


def test_checker_finds_numbers_written_as_words():
    found = kinds("Es gibt drei Busse und zweiundzwanzig Bahnen. Es gibt 3 Busse.")
    assert ("number", "drei") in found
    assert ("number", "zweiundzwanzig") in found
    assert kinds("Leipzig liegt im Osten.") == []


def test_checker_speaks_german():
    from django.utils import translation

    with translation.override("de"):
        message = str(easy_language_check("Der Oberbürgermeister spricht.")[0].message)
    assert "Mediopunkt" in message and "Langes Wort" in message


# --- readers and machines --------------------------------------------------------------------


def test_release_pages_link_their_versions(client, original, english, easy):
    html = client.get(original.url).content.decode()
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/presse/' in html
    assert f'<link rel="alternate" hreflang="{EASY}" href="http://testserver/{EASY}/' in html
    assert '<link rel="alternate" hreflang="de" href="http://testserver/presse/' in html
    assert 'lang="en">English</a>' in html and f'lang="{EASY}">Leichte Sprache</a>' in html
    english_html = client.get(english.url).content.decode()
    assert '<html lang="en">' in english_html
    assert 'lang="de">Deutsch</a>' in english_html


def test_a_release_without_versions_names_no_alternates(client, original):
    assert 'rel="alternate" hreflang' not in client.get(original.url).content.decode()


def test_the_english_newsroom_and_feed_list_the_english_version(client, original, english):
    newsroom = client.get("/en/presse/").content.decode()
    assert "Industry master plan" in newsroom and "Masterplan Industrie" not in newsroom
    feed = client.get("/en/presse/rss/").content.decode()
    assert "Industry master plan" in feed and "Masterplan Industrie" not in feed
    german = client.get("/presse/rss/").content.decode()
    assert "Masterplan Industrie" in german and "Industry master plan" not in german


def test_the_text_version_speaks_the_versions_language(client, original, english):
    text = client.get(english.url + "text/").content.decode()
    assert "February 7, 2023" in text and "The meeting took place at City Hall." in text
    assert "07. Februar 2023" in client.get(original.url + "text/").content.decode()


def test_the_press_api_filters_by_language(client, original, english, easy):
    default = client.get("/api/press/releases").json()
    assert [item["id"] for item in default["results"]] == [original.pk]
    found = client.get("/api/press/releases", {"language": "en"}).json()
    assert [item["id"] for item in found["results"]] == [english.pk]
    found = client.get("/api/press/releases", {"language": EASY}).json()
    assert [item["id"] for item in found["results"]] == [easy.pk]
    problem = client.get("/api/press/releases", {"language": "fr"})
    assert problem.status_code == 400
    assert problem.json()["parameter"] == "language"


def test_the_press_api_names_each_release_s_language_and_its_versions(
    client, original, english, easy
):
    listed = client.get("/api/press/releases", {"language": "en"}).json()["results"]
    assert [item["language"] for item in listed] == ["en"]
    assert "translations" not in listed[0]  # a list asks for one language

    answer = client.get(f"/api/press/releases/{original.pk}")
    release = answer.json()
    assert release["language"] == "de"
    assert [(t["language"], t["id"], t["title"]) for t in release["translations"]] == [
        (EASY, easy.pk, "Ein Plan für die Industrie"),
        ("en", english.pk, "Industry master plan"),
    ]
    assert release["translations"][1]["html_url"] == (
        "http://testserver/en/presse/masterplan-industrie/"
    )
    # A version lists the original first, then the others.
    from_english = client.get(f"/api/press/releases/{english.pk}").json()
    assert from_english["language"] == "en"
    assert [t["language"] for t in from_english["translations"]] == ["de", EASY]
    by_path = client.get(
        "/api/press/releases/by-path", {"path": "/en/presse/masterplan-industrie/"}
    ).json()
    assert by_path["id"] == english.pk and len(by_path["translations"]) == 2

    # A version that goes changes the original's answer, and its validator.
    etag = answer["ETag"]
    assert (
        client.get(f"/api/press/releases/{original.pk}", HTTP_IF_NONE_MATCH=etag).status_code == 304
    )
    easy.unpublish()
    changed = client.get(f"/api/press/releases/{original.pk}", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert [t["language"] for t in changed.json()["translations"]] == ["en"]


def test_a_release_without_versions_has_no_translations(client, original):
    release = client.get(f"/api/press/releases/{original.pk}").json()
    assert release["language"] == "de" and release["translations"] == []


def test_ninjs_carries_the_language_and_links_the_versions(client, original, english, easy):
    item = client.get(f"/api/press/releases/{english.pk}/ninjs").json()
    assert item["language"] == "en"
    links = {a["language"]: a for a in item["associations"] if a.get("rel") == "translation"}
    assert set(links) == {"de", EASY}
    assert links["de"]["uri"] == "http://testserver/presse/masterplan-industrie/"
    assert links["de"]["headlines"][0]["value"] == "Masterplan Industrie"
    original_item = client.get(f"/api/press/releases/{original.pk}/ninjs").json()
    assert original_item["language"] == "de"


def test_sitemap_lists_the_versions(client, original, english):
    xml = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/en/presse/masterplan-industrie/" in xml
    assert "http://testserver/presse/masterplan-industrie/" in xml


# --- subscribers -----------------------------------------------------------------------------


@pytest.fixture
def smtp(db, settings, monkeypatch):
    """A real SMTP server, as tests/test_subscriptions.py runs it."""
    recorder = subscriptions.SMTPRecorder()
    controller = subscriptions.Controller(
        recorder, hostname="127.0.0.1", port=subscriptions.free_port()
    )
    controller.start()
    recorder.port = controller.port
    subscriptions.smtp_use(settings, port=controller.port)
    settings.DEFAULT_FROM_EMAIL = subscriptions.FROM
    monkeypatch.setattr("press.mailings.sending.MAIL_INLINE_BACKOFF", 0.01)
    yield recorder
    controller.stop()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_subscriber_gets_the_release_in_their_language_where_a_version_exists(
    client, newsroom, smtp, commit
):
    link_in, sign_up = subscriptions.link_in, subscriptions.sign_up

    for address, language in (
        ("de@example.org", "de"),
        ("en@example.org", "en"),
        ("ls@example.org", EASY),
    ):
        with commit():  # the confirmation mail leaves from the task queue, after the commit
            assert sign_up(client, address, language=language).status_code == 202
        assert client.post(link_in(smtp.to(address)[-1], "confirm")).status_code == 200
    smtp.messages.clear()
    draft = PressReleasePageFactory(
        parent=newsroom, title="Rheinufer wird saniert", slug="rheinufer", live=False
    )
    draft.save_revision()
    # The English version is written and published first: nobody gets it on its own.
    with commit():
        version_make(draft, "en", title="Rhine bank to be restored", text="Work starts in May.")
    assert smtp.messages == []

    with commit():
        publish(draft)
    subjects = {message["To"]: message["Subject"] for message in smtp.messages}
    assert subjects == {
        "de@example.org": "Rheinufer wird saniert",
        "en@example.org": "Rhine bank to be restored",
        # No Leichte-Sprache version: German.
        "ls@example.org": "Rheinufer wird saniert",
    }
    english = next(m for m in smtp.messages if m["To"] == "en@example.org")
    assert "Work starts in May." in english.get_body(preferencelist=("plain",)).get_content()


def test_a_sign_up_with_an_unknown_language_is_a_problem(client, smtp):
    response = subscriptions.sign_up(client, "x@example.org", language="fr")
    assert response.status_code == 400
    assert response.json()["parameter"] == "language"


def test_sitemap_names_the_alternates(client, original, english):
    xml = client.get("/sitemap.xml").content.decode()
    assert (
        '<xhtml:link rel="alternate" hreflang="en" '
        'href="http://testserver/en/presse/masterplan-industrie/"/>'
    ) in xml
    assert "http://testserver/en/presse/</loc>" in xml  # the English newsroom


def test_a_site_s_new_address_reaches_its_versions(
    original, english, django_capture_on_commit_callbacks
):
    """Versions hang below the translated home pages, outside the site's root: a change of the
    site (its address) rebuilds their stored documents too."""
    import json

    from wagtail.models import Site

    from press.models import ReleaseDocument

    site = Site.objects.get(is_default_site=True)
    site.hostname = "presse.example"
    with django_capture_on_commit_callbacks(execute=True):
        site.save()

    for release, path in ((original, "/presse/"), (english, "/en/presse/")):
        document = ReleaseDocument.objects.get(release=release)
        expected = f"http://presse.example{path}masterplan-industrie/"
        assert json.loads(document.api_json)["html_url"] == expected
