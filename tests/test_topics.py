"""Topics and tags in a release's public data: the stored document, the press API (carried on
each release, filters, the topic list) and API v2. ninjs subjects: tests/test_ninjs.py; query
counts with topics: tests/test_query_counts.py."""

import datetime
import logging

import pytest
from django.core.management import call_command

from press.models import ReleaseDocument
from tests.factories import PressReleasePageFactory, TopicFactory, body_paragraph

LIST_URL = "/api/press/releases"
TOPICS_URL = "/api/press/topics"
V2_URL = "/api/v2/pages/"


def published(release):
    release.save_revision().publish()
    release.refresh_from_db()
    return release


def release_in(newsroom, *, title: str, day: datetime.date, topics=(), tags=(), **kwargs):
    release = PressReleasePageFactory(parent=newsroom, title=title, release_date=day, **kwargs)
    release.topics.set(topics)
    release.tags.set(list(tags))
    return published(release)


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [release["title"] for release in response.json()["results"]]


def v2_titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


def assert_problem(response, *, parameter: str) -> dict:
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 400 and problem["parameter"] == parameter
    return problem


@pytest.fixture
def topics(db):
    return {
        "verkehr": TopicFactory(name="Verkehr", slug="verkehr"),
        "umwelt": TopicFactory(name="Umwelt", slug="umwelt"),
        "kultur": TopicFactory(name="Kultur", slug="kultur", description="Museen und Bühnen."),
        "wirtschaft": TopicFactory(name="Wirtschaft", slug="wirtschaft"),
    }


@pytest.fixture
def releases(newsroom, topics):
    """Four releases over two years: topics and tags overlap in every way a filter can tell."""
    return {
        "radweg": release_in(
            newsroom,
            title="Radweg am Rhein",
            day=datetime.date(2023, 3, 15),
            topics=[topics["verkehr"], topics["umwelt"]],
            tags=["Radverkehr", "Rhein"],
            body=[body_paragraph("<p>Neue Fahrradstraßen entlang des Rheinufers.</p>")],
        ),
        "bahn": release_in(
            newsroom,
            title="Neue Straßenbahnlinie",
            day=datetime.date(2024, 5, 2),
            topics=[topics["verkehr"]],
            tags=["ÖPNV"],
            body=[body_paragraph("<p>Die Linie fährt ab Mai zum Rhein.</p>")],
        ),
        "park": release_in(
            newsroom,
            title="Stadtpark blüht",
            day=datetime.date(2024, 4, 1),
            topics=[topics["umwelt"]],
            tags=["Rhein"],
        ),
        "museum": release_in(
            newsroom, title="Museumsnacht", day=datetime.date(2023, 9, 9), topics=[topics["kultur"]]
        ),
    }


# --- the stored document ---------------------------------------------------------------------


def test_a_release_carries_its_topics_and_tags_by_name_in_every_api(client, releases):
    release = releases["radweg"]
    expected_topics = [{"slug": "umwelt", "name": "Umwelt"}, {"slug": "verkehr", "name": "Verkehr"}]
    expected_tags = [
        {"slug": "radverkehr", "name": "Radverkehr"},
        {"slug": "rhein", "name": "Rhein"},
    ]
    document = ReleaseDocument.objects.get(release=release)
    assert document.data["topics"] == expected_topics and document.data["tags"] == expected_tags

    detail = client.get(f"{LIST_URL}/{release.pk}").json()
    assert detail["topics"] == expected_topics
    assert detail["tags"] == expected_tags
    listed = {item["title"]: item for item in client.get(LIST_URL).json()["results"]}
    assert listed["Museumsnacht"]["tags"] == []
    assert listed["Neue Straßenbahnlinie"]["tags"] == [{"slug": "öpnv", "name": "ÖPNV"}]

    v2 = client.get(f"{V2_URL}{release.pk}/").json()
    assert v2["topics"] == expected_topics and v2["tags"] == expected_tags
    listing = client.get(V2_URL, {"type": "press.PressReleasePage", "fields": "topics,tags"})
    items = {item["title"]: item for item in listing.json()["items"]}
    assert items["Radweg am Rhein"]["topics"] == expected_topics


def test_a_drafts_topics_reach_the_public_only_when_it_is_published(client, releases, topics):
    release = releases["bahn"]
    release.topics.set([topics["wirtschaft"]])
    release.tags.set(["Geheim"])
    release.save_revision()  # saved, not published

    detail = client.get(f"{LIST_URL}/{release.pk}").json()
    assert [topic["slug"] for topic in detail["topics"]] == ["verkehr"]
    assert [tag["name"] for tag in detail["tags"]] == ["ÖPNV"]
    assert "Neue Straßenbahnlinie" in titles(client.get(LIST_URL, {"topic": "verkehr"}))
    assert titles(client.get(LIST_URL, {"topic": "wirtschaft"})) == []
    assert titles(client.get(LIST_URL, {"tag": "geheim"})) == []
    ReleaseDocument.objects.all().delete()  # built again on a read: still the live revision
    assert [t["slug"] for t in client.get(f"{LIST_URL}/{release.pk}").json()["topics"]] == [
        "verkehr"
    ]
    assert client.get(TOPICS_URL).json()["results"][3]["release_count"] == 0  # Wirtschaft

    release.get_latest_revision().publish()
    detail = client.get(f"{LIST_URL}/{release.pk}").json()
    assert detail["topics"] == [{"slug": "wirtschaft", "name": "Wirtschaft"}]
    assert detail["tags"] == [{"slug": "geheim", "name": "Geheim"}]
    assert titles(client.get(LIST_URL, {"topic": "wirtschaft"})) == ["Neue Straßenbahnlinie"]


def test_renaming_a_topic_rebuilds_the_documents_of_its_releases(
    client, releases, topics, caplog, django_capture_on_commit_callbacks
):
    museum = ReleaseDocument.objects.get(release=releases["museum"])
    topic = topics["verkehr"]
    topic.name, topic.slug = "Mobilität", "mobilitaet"
    with (
        caplog.at_level(logging.INFO, logger="press.publishing.documents"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        topic.save()  # queued at commit; the tests' immediate task backend runs it then
    assert f"Release documents rebuilt (topic {topic.pk}): 2 of 2" in caplog.text

    detail = client.get(f"{LIST_URL}/{releases['bahn'].pk}").json()
    assert detail["topics"] == [{"slug": "mobilitaet", "name": "Mobilität"}]
    assert client.get(f"{V2_URL}{releases['radweg'].pk}/").json()["topics"] == [
        {"slug": "mobilitaet", "name": "Mobilität"},
        {"slug": "umwelt", "name": "Umwelt"},
    ]
    assert sorted(titles(client.get(LIST_URL, {"topic": "mobilitaet"}))) == [
        "Neue Straßenbahnlinie",
        "Radweg am Rhein",
    ]
    assert_problem(client.get(LIST_URL, {"topic": "verkehr"}), parameter="topic")
    # A release in another topic is not touched.
    assert ReleaseDocument.objects.get(release=releases["museum"]).built_at == museum.built_at


def test_a_new_description_rebuilds_nothing(releases, topics, django_capture_on_commit_callbacks):
    before = ReleaseDocument.objects.get(release=releases["bahn"]).built_at
    topic = topics["verkehr"]
    topic.description = "Bus, Bahn, Rad und Straße."
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        topic.save()
    assert callbacks == []
    assert ReleaseDocument.objects.get(release=releases["bahn"]).built_at == before


def test_deleting_a_topic_takes_it_off_its_releases(
    client, releases, topics, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        topics["umwelt"].delete()
    detail = client.get(f"{LIST_URL}/{releases['radweg'].pk}").json()
    assert detail["topics"] == [{"slug": "verkehr", "name": "Verkehr"}]
    assert client.get(f"{LIST_URL}/{releases['park'].pk}").json()["topics"] == []
    assert_problem(client.get(LIST_URL, {"topic": "umwelt"}), parameter="topic")


def test_migrate_rebuilds_documents_of_an_older_version(
    releases, django_capture_on_commit_callbacks
):
    """Documents built before topics existed (version 2) carry none: `migrate` rebuilds them
    (in the task queue, run here when the migration's transaction commits)."""
    from press.models.documents import DOCUMENT_VERSION

    ReleaseDocument.objects.update(version=2, api_json='{"title": "alt"}', data={})
    with django_capture_on_commit_callbacks(execute=True):
        call_command("migrate", verbosity=0)
    document = ReleaseDocument.objects.get(release=releases["bahn"])
    assert document.version == DOCUMENT_VERSION
    assert document.data["topics"] == [{"slug": "verkehr", "name": "Verkehr"}]
    assert '"topics": [{"slug": "verkehr", "name": "Verkehr"}]' in document.api_json


# --- the press API ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"topic": "kultur"}, ["Museumsnacht"]),
        # several topics: releases in any of them (newest first, each once)
        (
            {"topic": ["verkehr", "umwelt"]},
            ["Neue Straßenbahnlinie", "Stadtpark blüht", "Radweg am Rhein"],
        ),
        ({"topic": "wirtschaft"}, []),
        ({"tag": "rhein"}, ["Stadtpark blüht", "Radweg am Rhein"]),
        ({"tag": ["radverkehr", "öpnv"]}, ["Neue Straßenbahnlinie", "Radweg am Rhein"]),
        # topic and tag: both must match
        ({"topic": "verkehr", "tag": "rhein"}, ["Radweg am Rhein"]),
        ({"topic": ["verkehr", "kultur"], "tag": "rhein"}, ["Radweg am Rhein"]),
        # with the other filters
        ({"topic": "verkehr", "year": 2024}, ["Neue Straßenbahnlinie"]),
        ({"topic": "umwelt", "q": "Fahrradstraßen"}, ["Radweg am Rhein"]),
        ({"topic": "verkehr", "q": "Rhein", "year": 2024}, ["Neue Straßenbahnlinie"]),
        ({"tag": "rhein", "ordering": "release_date"}, ["Radweg am Rhein", "Stadtpark blüht"]),
        # a tag nobody used yet is no mistake: nothing matches
        ({"tag": "weihnachtsmarkt"}, []),
        ({"topic": "verkehr", "tag": "weihnachtsmarkt"}, []),
    ],
)
def test_the_list_filters_by_topic_and_tag(client, releases, params, expected):
    assert titles(client.get(LIST_URL, params)) == expected


def test_count_and_pages_follow_the_filters(client, releases):
    response = client.get(LIST_URL, {"topic": ["verkehr", "umwelt"], "limit": 2})
    data = response.json()
    assert data["count"] == 3 and len(data["results"]) == 2
    following = client.get(data["next"]).json()
    assert [release["title"] for release in following["results"]] == ["Radweg am Rhein"]


@pytest.mark.parametrize(
    "params",
    [
        {"topic": "verkeh"},
        {"topic": ["verkehr", "verkeh"]},  # one typo among known topics: still an error
        {"topic": "Verkehr"},  # the name is no slug
    ],
)
def test_an_unknown_topic_is_a_problem_naming_it(client, releases, params):
    problem = assert_problem(client.get(LIST_URL, params), parameter="topic")
    assert "verkeh" in problem["detail"].lower()
    assert "http://testserver/api/press/topics" in problem["detail"]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"topic": ""}, "topic"),
        ({"tag": ""}, "tag"),
        ({"tag": "a\x00b"}, "tag"),
        ({"topic": "x" * 101}, "topic"),
        ({"tag": [f"t{n}" for n in range(21)]}, "tag"),
        ({"topics": "verkehr"}, "topics"),
    ],
)
def test_malformed_topic_and_tag_parameters_are_a_problem(client, releases, params, parameter):
    problem = assert_problem(client.get(LIST_URL, params), parameter=parameter)
    assert parameter in problem["detail"]


def test_the_topic_list_counts_the_visible_releases(client, releases, newsroom, topics):
    draft = PressReleasePageFactory(parent=newsroom, title="Entwurf", live=False)
    draft.topics.set([topics["kultur"]])
    draft.save_revision()
    releases["museum"].unpublish()
    TopicFactory(name="Bildung", slug="bildung", description="Schulen und Kitas.")

    response = client.get(TOPICS_URL)
    assert response.status_code == 200
    assert response.json() == {
        "count": 5,
        "results": [
            {
                "slug": "bildung",
                "name": "Bildung",
                "description": "Schulen und Kitas.",
                "release_count": 0,
            },
            {
                "slug": "kultur",
                "name": "Kultur",
                "description": "Museen und Bühnen.",
                "release_count": 0,
            },
            {
                "slug": "umwelt",
                "name": "Umwelt",
                "description": "Was die Stadt dazu mitteilt.",
                "release_count": 2,
            },
            {
                "slug": "verkehr",
                "name": "Verkehr",
                "description": "Was die Stadt dazu mitteilt.",
                "release_count": 2,
            },
            {
                "slug": "wirtschaft",
                "name": "Wirtschaft",
                "description": "Was die Stadt dazu mitteilt.",
                "release_count": 0,
            },
        ],
    }
    etag = response["ETag"]
    assert "max-age" in response["Cache-Control"]
    assert client.get(TOPICS_URL, headers={"If-None-Match": etag}).status_code == 304
    topics["umwelt"].name = "Umwelt und Klima"
    topics["umwelt"].save()
    assert client.get(TOPICS_URL, headers={"If-None-Match": etag}).status_code == 200
    assert_problem(client.get(TOPICS_URL, {"limit": 5}), parameter="limit")


def test_the_topic_list_is_the_site_and_one_query(client, releases, django_assert_num_queries):
    client.get(TOPICS_URL)
    with django_assert_num_queries(2):  # the site, then topics with their counts
        assert client.get(TOPICS_URL).status_code == 200


# --- API v2 ----------------------------------------------------------------------------------

RELEASES = {"type": "press.PressReleasePage", "order": "-release_date"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"topic": "kultur"}, ["Museumsnacht"]),
        (
            {"topic": ["verkehr", "umwelt"]},
            ["Neue Straßenbahnlinie", "Stadtpark blüht", "Radweg am Rhein"],
        ),
        ({"tag": ["radverkehr", "öpnv"]}, ["Neue Straßenbahnlinie", "Radweg am Rhein"]),
        ({"topic": "verkehr", "tag": "rhein"}, ["Radweg am Rhein"]),
        ({"tag": "weihnachtsmarkt"}, []),
        ({"topic": "verkehr", "search": "Linie"}, ["Neue Straßenbahnlinie"]),
    ],
)
def test_api_v2_filters_by_topic_and_tag(client, releases, params, expected):
    assert v2_titles(client.get(V2_URL, {**RELEASES, **params})) == expected


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({**RELEASES, "topic": "verkeh"}, "verkeh"),
        ({"topic": "verkehr"}, "type=press.PressReleasePage"),  # pages of every type
        ({**RELEASES, "topics": "1"}, "topics"),  # no second, different filter
        ({**RELEASES, "tags": "Rhein"}, "tags"),
    ],
)
def test_api_v2_refuses_an_unknown_topic_and_the_relation_filters(client, releases, params, says):
    response = client.get(V2_URL, params)
    assert response.status_code == 400, response.content
    assert says in response.json()["message"]


def test_each_site_counts_its_own_releases_in_a_topic(client, releases, topics):
    from wagtail.models import Page, Site

    from tests.factories import HomePageFactory, PressIndexPageFactory

    home = HomePageFactory(parent=Page.get_first_root_node(), slug="zweite")
    Site.objects.create(hostname="zweite.example", port=80, root_page=home, site_name="Zweite")
    other = PressIndexPageFactory(parent=home)
    release_in(
        other, title="Busse im Süden", day=datetime.date(2024, 6, 1), topics=[topics["verkehr"]]
    )

    def counts(**headers):
        answer = client.get(TOPICS_URL, headers=headers).json()["results"]
        return {topic["slug"]: topic["release_count"] for topic in answer}

    assert counts()["verkehr"] == 2
    assert counts(host="zweite.example") == {
        "kultur": 0,
        "umwelt": 0,
        "verkehr": 1,
        "wirtschaft": 0,
    }
    listed = client.get(LIST_URL, {"topic": "verkehr"}, headers={"host": "zweite.example"})
    assert titles(listed) == ["Busse im Süden"]
