"""The admin's page search finds releases by what they say, not only by their titles: words of
the lead and the body, the names and roles of the people quoted, photo captions and credits.
Runs on SQLite and PostgreSQL alike (DATABASE_URL)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.factories import (
    ImageFactory,
    PressReleasePageFactory,
    body_image,
    body_paragraph,
    body_quote,
)


@pytest.fixture
def editor_client(client, db):
    user = get_user_model().objects.create_superuser("redaktion", "r@example.org", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def releases(newsroom):
    masterplan = PressReleasePageFactory(
        parent=newsroom,
        title="Masterplan Industrie",
        lead="Der Steuerungskreis zieht Bilanz.",
        body=[
            body_paragraph("<p>Zum Jahresauftakt fand im Rathaus das Treffen statt.</p>"),
            body_quote(
                "<p>Wir bündeln unsere Kräfte.</p>",
                name="Dr. Stephan Keller",
                role="Oberbürgermeister",
            ),
            body_image(
                ImageFactory(),
                caption="Gruppenbild am Rheinufer",
                credit="Landeshauptstadt Düsseldorf/David Young",
            ),
        ],
    )
    masterplan.save_revision().publish()
    other = PressReleasePageFactory(
        parent=newsroom,
        title="Stadtbücherei verlängert Öffnungszeiten",
        body=[body_paragraph("<p>Die Bibliothek öffnet samstags länger.</p>")],
    )
    other.save_revision().publish()
    return masterplan, other


def titles_found(client, url: str, query: str) -> list[str]:
    response = client.get(url, {"q": query})
    assert response.status_code == 200
    return [page.title for page in response.context["pages"]]


SEARCHES = [
    pytest.param("Jahresauftakt", id="a word of a paragraph"),
    pytest.param("Rathaus Treffen", id="two words of a paragraph"),
    pytest.param("Steuerungskreis", id="a word of the lead"),
    pytest.param("Kräfte", id="a word of a quote"),
    pytest.param("Keller", id="the quoted person's last name"),
    pytest.param('"Stephan Keller"', id="the quoted person's name as a phrase"),
    pytest.param("Oberbürgermeister", id="the quoted person's role"),
    pytest.param("Rheinufer", id="a photo caption"),
    pytest.param("David Young", id="a photo credit"),
]


@pytest.mark.parametrize("query", SEARCHES)
def test_admin_page_search_finds_a_release_by_its_content(editor_client, releases, query):
    assert titles_found(editor_client, "/admin/pages/search/", query) == ["Masterplan Industrie"]


@pytest.mark.parametrize("query", [s for s in SEARCHES if '"' not in s.values[0]])
def test_newsroom_listing_search_finds_a_release_by_its_content(
    editor_client, releases, newsroom, query
):
    # The explorer's search box hands the words to the backend as typed (no phrase syntax).
    found = titles_found(editor_client, f"/admin/pages/{newsroom.pk}/", query)
    assert found == ["Masterplan Industrie"]


def test_a_word_no_release_has_finds_nothing(editor_client, releases):
    assert titles_found(editor_client, "/admin/pages/search/", "Feuerwehr") == []


def test_titles_are_still_found(editor_client, releases):
    found = titles_found(editor_client, "/admin/pages/search/", "Stadtbücherei")
    assert found == ["Stadtbücherei verlängert Öffnungszeiten"]


def test_update_index_indexes_content_saved_without_signals(editor_client, releases):
    """Releases written in bulk (a data migration, a raw update) are found after update_index."""
    from press.models import PressReleasePage

    masterplan, _other = releases
    PressReleasePage.objects.filter(pk=masterplan.pk).update(lead="Neue Sperrfrist für Drohnen.")
    assert titles_found(editor_client, "/admin/pages/search/", "Drohnen") == []

    call_command("update_index", verbosity=0)

    assert titles_found(editor_client, "/admin/pages/search/", "Drohnen") == [
        "Masterplan Industrie"
    ]


def test_the_demo_release_is_found_by_its_body_after_make_run(editor_client):
    """`make run` loads the seed through the importer: its body is in the index at once."""
    call_command("load_demo_content", verbosity=0, stdout=io.StringIO())

    found = titles_found(editor_client, "/admin/pages/search/", "Jahresauftakt Steuerungskreises")

    assert found == ["Masterplan Industrie: Konstante Zusammenarbeit in herausfordernden Zeiten"]
