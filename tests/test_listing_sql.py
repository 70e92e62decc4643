"""The press API list in hand-written SQL (press.models.listing) answers exactly what the ORM
answers: the same releases in the same order, the same documents and validators, the same count
— for every filter, window and site, with every hidden state in the data, on SQLite and
PostgreSQL (CI runs the suite on both). And the API's answers are the same bytes and ETags."""

import datetime
import itertools

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import Page, PageViewRestriction, Site

from bench.generate import releases_generate
from press.api import endpoints
from press.api.listing import list_filters, list_in_sql
from press.api.schemas import ReleaseFilters
from press.models import PressReleasePage, ReleaseDocument, ReleaseTag, reading
from press.models import listing as listing_sql
from press.models.pages import releases_visible
from press.models.reading import documents_window
from press.models.sites import site_for_request
from press.models.topics import topic_slugs_resolve
from press.models.versions import originals_only
from press.publishing.documents import releases_documents_store
from tests.factories import (
    HomePageFactory,
    PressContactFactory,
    PressIndexPageFactory,
    PressReleasePageFactory,
    TopicFactory,
)
from tests.test_versions import version_make

SECOND_HOST = "zweite.example"


def published(release):
    release.save_revision().publish()
    release.refresh_from_db()
    return release


@pytest.fixture
def archive(newsroom):
    """Two sites; on the first 40 releases over two years (same-day ties included) with topics,
    tags and two contacts, and every state a release can hide in or come back from."""
    releases_generate(
        parent=newsroom,
        count=40,
        photos=0,
        seed=11,
        publish=True,
        index=False,
        date_from=datetime.date(2022, 11, 1),
        date_to=datetime.date(2024, 2, 29),
    )
    topics = [
        TopicFactory(name=name, slug=name.lower()) for name in ("Verkehr", "Umwelt", "Kultur")
    ]
    tags = [Tag.objects.create(name=name, slug=name.lower()) for name in ("Rhein", "Radverkehr")]
    contact = PressContactFactory()
    generated = list(PressReleasePage.objects.child_of(newsroom).order_by("pk"))
    through = PressReleasePage.topics.through
    through.objects.bulk_create(
        through(pressreleasepage_id=release.pk, topic_id=topics[(n + k) % 3].pk)
        for n, release in enumerate(generated)
        for k in range(n % 3)
    )
    ReleaseTag.objects.bulk_create(
        ReleaseTag(content_object_id=release.pk, tag=tags[n % 2])
        for n, release in enumerate(generated)
        if n % 5
    )
    PressReleasePage.objects.filter(pk__in=[r.pk for r in generated[::4]]).update(contact=contact)
    # Same date and first publication as another: the primary key decides the order.
    first = generated[0]
    PressReleasePage.objects.filter(pk=generated[1].pk).update(release_date=first.release_date)
    Page.objects.filter(pk=generated[1].pk).update(first_published_at=first.first_published_at)
    releases_documents_store(
        releases=PressReleasePage.objects.child_of(newsroom).select_related("contact")
    )

    day = datetime.date(2023, 2, 7)
    # Hidden: behind a restriction on an ancestor, on itself, expired, expiry due, a draft.
    closed = PressIndexPageFactory(parent=newsroom.get_parent(), slug="intern", title="Intern")
    PageViewRestriction.objects.create(page=closed, restriction_type=PageViewRestriction.LOGIN)
    published(PressReleasePageFactory(parent=closed, release_date=day))
    own = published(PressReleasePageFactory(parent=newsroom, release_date=day))
    PageViewRestriction.objects.create(page=own, restriction_type=PageViewRestriction.LOGIN)
    expired = published(PressReleasePageFactory(parent=newsroom, release_date=day))
    Page.objects.filter(pk=expired.pk).update(
        expire_at=timezone.now() - datetime.timedelta(hours=1)
    )
    call_command("publish_scheduled", verbosity=0)
    due = published(PressReleasePageFactory(parent=newsroom, release_date=day))
    Page.objects.filter(pk=due.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=1))
    PressReleasePageFactory(parent=newsroom, release_date=day, live=False).save_revision()
    # Shown: expiring later; without a stored document (public, and one restricted: hidden);
    # with an outdated document (rebuilt when read).
    later = published(PressReleasePageFactory(parent=newsroom, release_date=day))
    Page.objects.filter(pk=later.pk).update(expire_at=timezone.now() + datetime.timedelta(days=9))
    bare = published(PressReleasePageFactory(parent=newsroom, release_date=day))
    hidden_bare = published(PressReleasePageFactory(parent=closed, release_date=day))
    ReleaseDocument.objects.filter(pk__in=[bare.pk, hidden_bare.pk]).delete()
    outdated = published(PressReleasePageFactory(parent=newsroom, release_date=day))
    ReleaseDocument.objects.filter(pk=outdated.pk).update(version=1)

    # Versions: an English one of a shown release (in no list of originals), and one whose
    # German original was deleted (an original itself now, below the English home page).
    version_make(generated[5], "en", title="Industry master plan", text="City Hall.")
    orphan = version_make(generated[6], "en", title="Harbour", text="The harbour.")
    PressReleasePage.objects.get(pk=generated[6].pk).delete()

    home = HomePageFactory(parent=Page.get_first_root_node(), slug="zweite")
    Site.objects.create(hostname=SECOND_HOST, port=80, root_page=home, site_name="Zweite")
    other_newsroom = PressIndexPageFactory(parent=home)
    for number in range(3):
        published(
            PressReleasePageFactory(
                parent=other_newsroom, release_date=day + datetime.timedelta(days=number)
            )
        )
    return {
        "contact": contact,
        "shown": [later, bare, outdated, orphan],
        "hidden": [own, expired, due],
    }


FILTERS = [
    {},
    {"year": 2023},
    {"year": 2023, "month": 2},
    {"year": 2023, "month": 12},
    {"year": 9999, "month": 12},
    {"year": 2023, "date_from": "2023-06-01"},
    {"date_from": "2023-02-07"},
    {"date_to": "2023-02-07"},
    {"date_from": "2023-01-01", "date_to": "2023-06-30", "ordering": "release_date"},
    {"contact": "CONTACT"},
    {"contact": 2**31 - 1},
    {"topic": ["verkehr"]},
    {"topic": ["verkehr", "kultur"], "ordering": "release_date"},
    {"tag": ["rhein"]},
    {"tag": ["rhein", "radverkehr", "unbekannt"]},
    {"tag": ["unbekannt"]},
    {"topic": ["umwelt"], "tag": ["radverkehr"], "year": 2023},
    {"ordering": "release_date"},
]
WINDOWS = [(0, 100), (0, 1), (0, 7), (3, 7), (1, 2), (45, 10), (200, 5)]


def request_for(host: str):
    return RequestFactory().get("/api/press/releases", HTTP_HOST=host)


def window_answer(window) -> tuple:
    return (
        [(d.release_id, d.etag, d.api_json, d.release_published_at) for d in window.documents],
        window.count,
        window.count_exact,
    )


def windows_compare(*, host: str, params: dict, offset: int, limit: int, with_json: bool):
    filters = ReleaseFilters(**params, offset=offset, limit=limit)
    assert list_in_sql(filters)
    topic_ids, unknown = topic_slugs_resolve(slugs=filters.topic)
    assert not unknown
    site = Site.find_for_request(request_for(host))
    by_orm = documents_window(
        endpoints.releases_filter(
            queryset=releases_visible(site=site).filter(originals_only(PressReleasePage)),
            filters=filters,
            topic_ids=topic_ids,
        ),
        offset=offset,
        limit=limit,
        with_json=with_json,
    )
    by_sql = listing_sql.documents_window_sql(
        site=site_for_request(request_for(host)),
        filters=list_filters(filters=filters, topic_ids=topic_ids),
        offset=offset,
        limit=limit,
        with_json=with_json,
    )
    assert window_answer(by_sql) == window_answer(by_orm), (host, params, offset, limit)
    return by_orm


def test_every_window_of_every_filter_is_the_orms(archive, monkeypatch):
    contact = archive["contact"].pk
    seen = set()
    for host, params, (offset, limit) in itertools.product(
        ["testserver", SECOND_HOST], FILTERS, WINDOWS
    ):
        params = {k: contact if v == "CONTACT" else v for k, v in params.items()}
        window = windows_compare(
            host=host, params=params, offset=offset, limit=limit, with_json=True
        )
        seen.update(document.release_id for document in window.documents)
    # The data holds what it should: every state that shows did, none that hides.
    assert {release.pk for release in archive["shown"]} <= seen
    assert not {release.pk for release in archive["hidden"]} & seen
    assert len(seen) == 40 + 3 + 3  # generated, shown states, second site

    # A conditional request reads the validators without the JSON; past the count's ceiling
    # the count says "more than" (a ceiling of 5 here instead of 1,000).
    monkeypatch.setattr(reading, "COUNT_EXACT_UP_TO", 5)
    for params, (offset, limit) in itertools.product(FILTERS[:6], WINDOWS):
        window = windows_compare(
            host="testserver", params=params, offset=offset, limit=limit, with_json=False
        )
        if not params and offset == 0 and limit == 1:
            assert window.count == 5 and not window.count_exact


def test_a_release_hidden_between_two_requests_is_gone_from_the_next(newsroom):
    """The database decides on every request, by its own clock: nothing of the previous answer
    is kept."""
    releases = [published(PressReleasePageFactory(parent=newsroom)) for _ in range(3)]
    filters = list_filters(filters=ReleaseFilters(limit=2), topic_ids=[])
    site = site_for_request(request_for("testserver"))

    def shown():
        window = listing_sql.documents_window_sql(site=site, filters=filters, offset=0, limit=2)
        return [d.release_id for d in window.documents], window.count

    assert shown() == ([r.pk for r in reversed(releases[1:])], 3)
    Page.objects.filter(pk=releases[2].pk).update(
        expire_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert shown() == ([releases[1].pk, releases[0].pk], 2)


@pytest.mark.parametrize(
    ("params", "in_sql"),
    [
        ({}, True),
        ({"year": 2023, "month": 2, "topic": ["a"], "tag": ["b"], "contact": 3}, True),
        ({"q": "Radweg"}, False),  # the word search: Wagtail search or the stored vector
        ({"month": 2}, False),  # a month in every year
    ],
)
def test_which_lists_are_read_in_sql(db, params, in_sql):
    assert list_in_sql(ReleaseFilters(**params)) is in_sql


QUERIES = [
    "limit=100",
    "limit=5&offset=5",
    "year=2023&month=2&ordering=release_date",
    "topic=verkehr&topic=kultur&limit=3",
    "tag=rhein&date_to=2023-12-31&limit=4&offset=2",
    "contact=CONTACT",
]


def test_the_api_answers_the_same_bytes_and_etags_as_through_the_orm(client, archive, monkeypatch):
    """What a frontend sees does not depend on the way the list was read, on either site."""
    contact = archive["contact"].pk
    for host, query in itertools.product(["testserver", SECOND_HOST], QUERIES):
        url = "/api/press/releases?" + query.replace("CONTACT", str(contact))
        by_sql = client.get(url, HTTP_HOST=host)
        with monkeypatch.context() as patched:
            patched.setattr(endpoints, "list_in_sql", lambda filters: False)
            by_orm = client.get(url, HTTP_HOST=host)
        assert by_sql.status_code == by_orm.status_code == 200, url
        assert by_sql.content == by_orm.content, (host, url)
        assert by_sql["ETag"] == by_orm["ETag"], (host, url)
