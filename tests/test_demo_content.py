"""`manage.py load_demo_content`, as `make run` calls it on a fresh database — and again."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Revision, Site

from home.management.commands.load_demo_content import (
    HOME_TITLE,
    PLACEHOLDER_TEXT,
    PLACEHOLDER_TITLE,
    SEED_FILE_NAME,
    archive_paths,
    seed_path,
)
from home.models import HomePage
from press.importer.parse import release_parse
from press.importer.save import release_archive_id, release_file_read
from press.models import PressContact, PressIndexPage, PressReleasePage, PressSettings, Topic

TITLE = "Masterplan Industrie: Konstante Zusammenarbeit in herausfordernden Zeiten"


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo_content", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db):
    first = load_demo()
    second = load_demo()
    return first, second


def archive_ids() -> set[str]:
    """The seed and the archive samples, by the id a second import finds them by."""
    paths = [seed_path(), *archive_paths()]
    return {release_archive_id(parsed=release_parse(release_file_read(path=p))) for p in paths}


def german(model):
    """The pages in the site's language: the demo has the seed's versions too, below their
    own home page and newsroom (aliases of the German ones)."""
    return model.objects.filter(locale=Locale.get_default())


def test_running_twice_gives_one_home_one_newsroom_and_each_release_once(demo):
    site = Site.objects.get(is_default_site=True)
    home = german(HomePage).get()
    assert site.root_page.specific == home
    newsroom = german(PressIndexPage).get()
    assert newsroom.get_parent().pk == home.pk and newsroom.slug == "presse" and newsroom.live
    release = PressReleasePage.objects.get(title=TITLE)
    assert release.first_published_at.date().isoformat() == "2023-02-07"
    releases = german(PressReleasePage).visible()
    assert set(releases.values_list("archive_id", flat=True)) == archive_ids()
    assert releases.count() == len(archive_ids()) >= 6
    # the second run re-imported nothing: each release has its import's revision and the one
    # that gave it its demo topics
    assert all(page.revisions.count() == 2 for page in releases)
    assert PressContact.objects.filter(name="Annemarie Wotschke").count() == 1
    assert PressSettings.objects.filter(site=site).count() == 1


def test_a_second_run_adds_nothing(db):
    load_demo()
    counts = (
        Page.objects.count(),
        get_image_model().objects.count(),
        PressContact.objects.count(),
        PressReleasePage.objects.filter(live=True).count(),
        Topic.objects.count(),
        Revision.objects.count(),
    )

    second = load_demo()

    assert "Archivbeispiele bestehen bereits" in second
    assert "Themen und Schlagwörter bestehen bereits" in second
    assert counts == (
        Page.objects.count(),
        get_image_model().objects.count(),
        PressContact.objects.count(),
        PressReleasePage.objects.filter(live=True).count(),
        Topic.objects.count(),
        Revision.objects.count(),
    )


def test_the_newsroom_shows_years_pages_and_search(client, demo):
    """What `make run` shows (cms/settings/dev.py: five releases a page)."""
    from cms.settings import dev

    newsroom = german(PressIndexPage).get()
    with override_settings(PRESS=dev.PRESS):
        first = client.get(newsroom.url).content.decode()
        second = client.get(newsroom.url, {"seite": "2"})
        searched = client.get(newsroom.url, {"q": "Masterplan"}).content.decode()

    assert 'rel="next"' in first and second.status_code == 200
    assert len(newsroom.release_years()) >= 4
    assert "?jahr=2023" in first
    assert TITLE in searched and "Weihnachtsmarkt" not in searched


def test_the_demo_releases_have_topics_and_tags_the_newsroom_filters_by(client, demo):
    newsroom = german(PressIndexPage).get()
    assert {"wirtschaft", "verkehr", "umwelt", "kultur"} <= set(
        Topic.objects.values_list("slug", flat=True)
    )
    radwege = PressReleasePage.objects.get(title="Neue Radwege in Bilk und Oberbilk")
    assert {t.slug for t in radwege.topics.all()} == {"verkehr", "umwelt"}
    assert "Radwege" in {tag.name for tag in radwege.tags.all()}
    # in the editor too: the latest revision carries them
    assert {t.slug for t in radwege.get_latest_revision_as_object().topics.all()} == {
        "verkehr",
        "umwelt",
    }

    traffic = client.get(newsroom.url, {"thema": "verkehr"}).content.decode()
    assert "Neue Radwege in Bilk und Oberbilk" in traffic and "Weihnachtsmarkt" not in traffic
    assert client.get(newsroom.url + "thema/kultur/").status_code == 200
    assert "Weihnachtsmarkt" in client.get(newsroom.url + "thema/kultur/rss/").content.decode()


def test_the_home_page_says_what_it_is(client, demo):
    html = client.get("/").content.decode()

    assert f"<h1>{HOME_TITLE}</h1>" in html
    assert "Pressefotos zum Download" in html


def test_wagtail_s_welcome_page_is_replaced(demo):
    assert not Page.objects.filter(title__startswith="Welcome to your new Wagtail site").exists()
    assert german(Page).filter(depth=2).count() == 1


def test_the_site_serves_home_newsroom_and_seed(client, demo):
    release = PressReleasePage.objects.get(title=TITLE)

    assert client.get("/").status_code == 200
    newsroom = client.get(german(PressIndexPage).get().url)
    assert TITLE in newsroom.content.decode()
    assert "Dr. Stephan Keller" in client.get(release.url).content.decode()


def test_the_admin_can_log_in_with_the_printed_credentials(client, demo):
    first, second = demo
    assert "admin" in first and "pressedienst" in first
    assert "besteht bereits" in second

    response = client.post(
        "/admin/login/", {"username": "admin", "password": "pressedienst"}, follow=True
    )

    assert response.status_code == 200
    assert response.wsgi_request.user.is_authenticated
    assert response.wsgi_request.user.is_superuser


def test_the_stand_in_photo_says_it_is_a_placeholder(demo):
    release = PressReleasePage.objects.get(title=TITLE)
    (photo,) = [block.value for block in release.body if block.block_type == "image"]
    image = photo["image"]

    assert (
        image.title
        == PLACEHOLDER_TITLE
        == ("Platzhalter für 230206-steuerungskreis-mp-industrie1.JPG")
    )
    assert image.description == PLACEHOLDER_TEXT == "PLATZHALTER – kein Originalfoto"
    assert image.width > image.height > 0
    # Caption and credit stay those of the original release, and the library shows the credit
    # at the photo, as for every photo the importer brings.
    assert photo["credit"] == "Landeshauptstadt Düsseldorf/David Young"
    assert image.photo_rights.credit == "Landeshauptstadt Düsseldorf/David Young"


def test_the_seed_copy_in_the_repository_is_the_shared_fixture():
    copy = Path(settings.BASE_DIR) / "home" / "demo" / SEED_FILE_NAME
    shared = Path(settings.BASE_DIR).parent / "shared" / "fixtures" / SEED_FILE_NAME
    assert copy.is_file()
    if shared.is_file():  # checked wherever the shared fixtures are next to the checkout
        assert copy.read_bytes() == shared.read_bytes()


def test_without_the_shared_folder_the_repository_copy_is_used(tmp_path):
    with override_settings(BASE_DIR=tmp_path / "checkout"):
        path = seed_path()

    assert path == Path(settings.BASE_DIR) / "home" / "demo" / SEED_FILE_NAME
    assert path.is_file()


def test_every_archive_photo_is_a_labelled_stand_in(demo):
    photos = [
        block.value
        for release in PressReleasePage.objects.visible()
        for block in release.body
        if block.block_type == "image"
    ]

    assert len(photos) >= 3
    for photo in photos:
        image = photo["image"]
        assert image.width == 1600 and image.height == 1067  # the stand-in's size
        assert photo["credit"]


def test_the_seed_comes_in_english_and_leichte_sprache_once(client, demo):
    """What an editor makes with the admin's "Translate": each version published below its
    language, linked from the German page, and made once however often the demo is loaded."""
    first, second = demo
    assert "Fassungen der Beispielmitteilung angelegt: English, Leichte Sprache" in first
    assert "Fassungen der Beispielmitteilung bestehen bereits" in second
    seed = german(PressReleasePage).get(title=TITLE)
    versions = {page.locale.language_code: page.specific for page in seed.get_translations()}
    assert set(versions) == {"en", "de-x-ls"}

    english = client.get(f"/en/presse/{seed.slug}/").content.decode()
    assert "Industry Master Plan" in english and "Lord Mayor" in english
    easy = client.get(f"/de-x-ls/presse/{seed.slug}/").content.decode()
    assert "Ober·bürger·meister" in easy
    german_page = client.get(seed.url).content.decode()
    assert f'hreflang="en" href="http://testserver/en/presse/{seed.slug}/"' in german_page
    # The photo with its credit, the caption and alternative text in the version's language.
    photo = next(block.value for block in versions["en"].body if block.block_type == "image")
    assert photo["credit"] == "Landeshauptstadt Düsseldorf/David Young"
    assert photo["alt"].startswith("Three men")
