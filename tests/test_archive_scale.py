"""What keeps the press API's cost flat as the archive grows: the list's count stops at a
ceiling; and on PostgreSQL the word search gives Wagtail's own search results, in the list's
order, from the release documents' own search text and its index, with Wagtail's search table
left as Wagtail makes it."""

import datetime

import pytest
from django.db import connection

import press.models.reading
from bench.generate import releases_generate
from press.models import PressReleasePage
from press.models.search import releases_search
from tests.factories import (
    PressContactFactory,
    PressReleasePageFactory,
    body_paragraph,
    body_quote,
)

LIST_URL = "/api/press/releases"

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL's search backend and its index; CI runs the suite on PostgreSQL too",
)


def published(release):
    release.save_revision().publish()
    return release


@pytest.fixture
def ceiling_of_five(monkeypatch):
    monkeypatch.setattr(press.models.reading, "COUNT_EXACT_UP_TO", 5)


def test_the_count_is_exact_up_to_the_ceiling_past_the_offset(client, newsroom, ceiling_of_five):
    releases_generate(parent=newsroom, count=12, photos=0, seed=3, publish=True)

    first = client.get(LIST_URL, {"limit": 2}).json()
    assert (first["count"], first["count_exact"]) == (5, False)  # more than 5
    assert first["next"] and len(first["results"]) == 2

    # Past offset 8 the ceiling is 13: the 12 releases are counted exactly.
    deep = client.get(LIST_URL, {"limit": 2, "offset": 8}).json()
    assert (deep["count"], deep["count_exact"]) == (12, True)
    last = client.get(LIST_URL, {"limit": 2, "offset": 10}).json()
    assert last["next"] is None and len(last["results"]) == 2

    # Walking the pages by `next` reaches every release once, although the first count was 5.
    seen, url = [], f"{LIST_URL}?limit=5"
    while url:
        page = client.get(url).json()
        seen += [release["id"] for release in page["results"]]
        url = page["next"]
    assert sorted(seen) == sorted(PressReleasePage.objects.visible().values_list("pk", flat=True))


def test_a_count_within_the_ceiling_is_exact(client, newsroom, ceiling_of_five):
    for day in (datetime.date(2023, 2, 7), datetime.date(2023, 3, 15), datetime.date(2024, 1, 1)):
        published(PressReleasePageFactory(parent=newsroom, release_date=day))
    answer = client.get(LIST_URL, {"year": 2023, "limit": 1}).json()
    assert (answer["count"], answer["count_exact"]) == (2, True)
    assert client.get(LIST_URL).json()["count"] == 3


def test_the_list_validator_changes_when_the_count_becomes_exact(client, newsroom, ceiling_of_five):
    releases = [
        published(PressReleasePageFactory(parent=newsroom, release_date=datetime.date(2023, 1, d)))
        for d in range(1, 8)
    ]
    etag = client.get(LIST_URL, {"limit": 2})["ETag"]
    assert client.get(LIST_URL, {"limit": 2}, headers={"If-None-Match": etag}).status_code == 304
    releases[0].unpublish()  # 6 left: still "more than 5", and the first page is the same
    releases[1].unpublish()  # 5 left: now exact
    answer = client.get(LIST_URL, {"limit": 2}, headers={"If-None-Match": etag})
    assert answer.status_code == 200
    assert (answer.json()["count"], answer.json()["count_exact"]) == (5, True)


GERMAN_QUERIES = [
    "Verkehrs",  # stemmed: finds "Verkehr"
    "Verkehr Rathaus",  # two words, one in the title, one in the body
    "Rathäusern",
    "und Radschnellweg",  # a stop word and a word
    "Radschnellweg Stadtbücherei",
    "Stadtbücherei",
    "Hochwasserschutz eröffnet",
    "Brückensanierung",
    "Fahrradstraße",
    "nirgendwo",
    "der die das",  # stop words only
    "Pegelstände",  # the lead
    "Mustermann Hochwasser",  # a quoted person's name and the title
    "Quasthoff",  # the contact's name
]


@pytest.fixture
def searchable_archive(newsroom):
    releases_generate(parent=newsroom, count=60, photos=0, seed=11, publish=True)
    published(
        PressReleasePageFactory(
            parent=newsroom,
            title="Verkehr im Rathaus",
            body=[body_paragraph("<p>Neue Fahrradstraßen entlang des Rheinufers.</p>")],
        )
    )
    published(
        PressReleasePageFactory(
            parent=newsroom,
            title="Bürgerbüro",
            body=[body_paragraph("<p>Das Verkehrsamt lud in die Rathäuser.</p>")],
        )
    )
    published(
        PressReleasePageFactory(
            parent=newsroom,
            title="Hochwasser am Rhein",
            lead="Die Pegelstände steigen.",
            contact=PressContactFactory(name="Hannelore Quasthoff"),
            body=[body_quote("<p>Wir sind vorbereitet.</p>", "Erika Mustermann", "Dezernentin")],
        )
    )
    return newsroom


@on_postgresql
@pytest.mark.parametrize("query", GERMAN_QUERIES)
def test_search_finds_what_wagtails_search_finds_on_postgresql(searchable_archive, query):
    """The same releases as Wagtail's search finds, visible ones only, newest first."""
    from press.models.search import search_terms

    visible = PressReleasePage.objects.visible()
    found = PressReleasePage.objects.live().search(
        search_terms(query), operator="and", order_by_relevance=False
    )
    matching = {release.pk for release in found}
    expected = [release for release in visible if release.pk in matching]
    assert list(releases_search(queryset=visible, text=query)) == expected


@on_postgresql
def test_search_stems_german_words_on_postgresql(client, searchable_archive):
    titles = [r["title"] for r in client.get(LIST_URL, {"q": "Verkehrs"}).json()["results"]]
    assert titles == ["Verkehr im Rathaus"]  # "Verkehrsamt" is another word
    titles = [
        r["title"] for r in client.get(LIST_URL, {"q": "Rathaus Fahrradstraße"}).json()["results"]
    ]
    assert titles == ["Verkehr im Rathaus"]


@on_postgresql
def test_wagtails_search_table_carries_no_index_of_ours_on_postgresql(searchable_archive):
    """The plugin searches through Wagtail search alone: no index of ours on its table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'wagtailsearch_indexentry'"
        )
        names = {name for (name,) in cursor.fetchall()}
    assert names and "press_search_title_body" not in names


@on_postgresql
def test_the_search_is_planned_on_the_search_index_on_postgresql(searchable_archive):
    """The search filters by the stored vector the GIN index is built on, stemmed German:
    with the other ways of reading a table this small ruled out, PostgreSQL plans the search
    on that index (a filter on any other expression could not use it)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'press_releasedocument_search'"
        )
        (definition,) = cursor.fetchone()
        cursor.execute(
            "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a"
            " ON a.attrelid = d.adrelid AND a.attnum = d.adnum"
            " WHERE d.adrelid = 'press_releasedocument'::regclass AND a.attname = 'search_vector'"
        )
        (generated,) = cursor.fetchone()
        for method in ("seqscan", "indexscan", "nestloop"):
            cursor.execute(f"SET LOCAL enable_{method} = off")
    assert "USING gin (search_vector)" in definition
    assert "to_tsvector('german'::regconfig" in generated and "search_text" in generated
    visible = PressReleasePage.objects.visible()
    plan = releases_search(queryset=visible, text="Radschnellweg Stadtbücherei")[:20].explain()
    assert "press_releasedocument_search" in plan


def test_a_release_is_found_by_its_new_words_after_republishing_and_not_once_unpublished(
    client, newsroom
):
    release = published(
        PressReleasePageFactory(
            parent=newsroom,
            title="Sommerfest im Nordpark",
            body=[body_paragraph("<p>Es spielt die Kapelle Blechschaden.</p>")],
        )
    )

    def found(words):
        return [r["title"] for r in client.get(LIST_URL, {"q": words}).json()["results"]]

    assert found("Blechschaden") == ["Sommerfest im Nordpark"]
    release.body = [body_paragraph("<p>Es spielt das Orchester Tonhalle.</p>")]
    release.save_revision()
    assert found("Tonhalle") == []  # a draft is not what the public reads
    release.get_latest_revision().publish()
    assert found("Tonhalle") == ["Sommerfest im Nordpark"]
    assert found("Blechschaden") == []
    release.refresh_from_db()
    release.unpublish()
    assert found("Tonhalle") == []
