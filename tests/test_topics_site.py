"""Topics and tags on the public site: the newsroom's topic and tag filters, the topic pages with
their feeds, related releases below a release, and what a cache must forget when a release's
topics change. Mailings by topic: tests/test_subscriptions.py."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site

from press.models import PressReleasePage, ReleaseRelation, releases_related
from press.publishing.purge import release_purge_batch
from tests.factories import (
    HomePageFactory,
    PressIndexPageFactory,
    PressReleasePageFactory,
    TopicFactory,
)


@pytest.fixture
def topics(db):
    return {
        "verkehr": TopicFactory(
            name="Verkehr", slug="verkehr", description="Straßen, Radwege und Busse."
        ),
        "umwelt": TopicFactory(name="Umwelt", slug="umwelt"),
        "kultur": TopicFactory(name="Kultur", slug="kultur"),
    }


def release_with(newsroom, *, title, day=1, topics=(), tags=(), **kwargs):
    """A published release of `day` February 2023 with `topics` and `tags`."""
    release = PressReleasePageFactory(
        parent=newsroom,
        title=title,
        release_date=datetime.date(2023, 2, day),
        topics=list(topics),
        **kwargs,
    )
    for tag in tags:
        release.tags.add(tag)
    release.save_revision().publish()
    release.refresh_from_db()
    return release


def titles(html: str) -> list[str]:
    return re.findall(r'<h2><a href="[^"]+">([^<]+)</a></h2>', html)


def queries_for(client, url: str, **headers) -> int:
    client.get(url, headers=headers)  # warm what a running site keeps warm (site root paths)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def site_of(page) -> Site:
    return page.get_site()


def related_titles(html: str) -> list[str]:
    """The titles of the related releases below a release page."""
    section = re.search(r'<section class="release__related".*?</section>', html, re.S)
    return re.findall(r">([^<]+)</a>", section.group(0)) if section else []


# --- related releases (no HTTP) -----------------------------------------------------------


def test_related_releases_are_the_chosen_ones_first_then_the_newest_sharing_a_topic(
    newsroom, topics
):
    verkehr, umwelt = topics["verkehr"], topics["umwelt"]
    release = release_with(newsroom, title="Neue Radwege", day=20, topics=[verkehr])
    chosen_old = release_with(newsroom, title="Kulturnacht", day=2, topics=[topics["kultur"]])
    release_with(newsroom, title="Busspur älter", day=5, topics=[verkehr])
    newer = release_with(newsroom, title="Busspur neuer", day=15, topics=[verkehr, umwelt])
    release_with(newsroom, title="Baumpflanzung", day=16, topics=[umwelt])  # shares no topic
    ReleaseRelation.objects.create(release=release, related=chosen_old, sort_order=0)

    related = releases_related(release=release, from_database=True, site=site_of(newsroom))

    assert [r.title for r in related] == ["Kulturnacht", "Busspur neuer", "Busspur älter"]
    assert related[1] == newer


def test_related_releases_are_at_most_three_in_the_editors_order(newsroom, topics):
    verkehr = topics["verkehr"]
    release = release_with(newsroom, title="Hauptmeldung", day=20, topics=[verkehr])
    chosen = [release_with(newsroom, title=f"Gewählt {n}", day=n + 1) for n in range(4)]
    release_with(newsroom, title="Gleiches Thema", day=19, topics=[verkehr])
    for position, other in enumerate(reversed(chosen)):
        ReleaseRelation.objects.create(release=release, related=other, sort_order=position)

    related = releases_related(release=release, from_database=True, site=site_of(newsroom))

    assert [r.title for r in related] == ["Gewählt 3", "Gewählt 2", "Gewählt 1"]


def test_related_releases_never_show_the_release_itself_nor_a_hidden_one(newsroom, topics):
    verkehr = topics["verkehr"]
    release = release_with(newsroom, title="Hauptmeldung", day=20, topics=[verkehr])
    draft = PressReleasePageFactory(parent=newsroom, title="Entwurf", live=False, topics=[verkehr])
    private = release_with(newsroom, title="Vertraulich", day=19, topics=[verkehr])
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    expired = release_with(newsroom, title="Abgelaufen", day=18, topics=[verkehr])
    PressReleasePage.objects.filter(pk=expired.pk).update(
        expire_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    visible = release_with(newsroom, title="Sichtbar", day=3, topics=[verkehr])
    for position, other in enumerate([release, draft, private, expired]):
        ReleaseRelation.objects.create(release=release, related=other, sort_order=position)

    related = releases_related(release=release, from_database=True, site=site_of(newsroom))

    assert related == [visible]


def test_a_preview_shows_the_related_releases_of_the_unsaved_draft(newsroom, topics):
    release = release_with(newsroom, title="Hauptmeldung", day=20)
    first = release_with(newsroom, title="Zuerst", day=2)
    second = release_with(newsroom, title="Danach", day=9)
    sharing = release_with(newsroom, title="Umweltthema", day=4, topics=[topics["umwelt"]])
    draft = release.get_latest_revision_as_object()
    draft.related_links = [ReleaseRelation(related=second), ReleaseRelation(related=first)]
    draft.topics = [topics["umwelt"]]

    assert releases_related(release=draft, from_database=False, site=site_of(newsroom)) == [
        second,
        first,
        sharing,
    ]
    # The live page still has neither.
    assert releases_related(release=release, from_database=True, site=site_of(newsroom)) == []


# --- purge --------------------------------------------------------------------------------


def test_a_release_purges_the_pages_and_feeds_of_its_topics_old_and_new(newsroom, topics):
    release = release_with(newsroom, title="Radwege", topics=[topics["verkehr"]])
    release.topics = [topics["umwelt"]]
    release.save_revision().publish()
    release.refresh_from_db()

    urls = set(release_purge_batch(release=release).urls)

    base = "http://testserver/presse/thema/"
    for slug in ("verkehr", "umwelt"):  # the new topic lists it, the old one listed it
        for suffix in ("", "rss/", "atom/", "json/"):
            assert f"{base}{slug}/{suffix}" in urls
    assert not any("/thema/kultur/" in url for url in urls)


# --- the newsroom's filters ---------------------------------------------------------------


def test_the_newsroom_filters_by_topic_and_lists_only_topics_in_use(client, newsroom, topics):
    release_with(newsroom, title="Radwege", day=3, topics=[topics["verkehr"]])
    release_with(newsroom, title="Bäume", day=4, topics=[topics["umwelt"]])
    PressReleasePageFactory(parent=newsroom, title="Entwurf", live=False, topics=[topics["kultur"]])

    page = client.get("/presse/").content.decode()
    menu = re.search(r'<nav class="years topics".*?</nav>', page, re.S).group(0)
    assert "Verkehr" in menu and "Umwelt" in menu
    assert "Kultur" not in menu  # only a draft has it

    for parameter in ("thema", "topic"):
        filtered = client.get("/presse/", {parameter: "verkehr"}).content.decode()
        assert titles(filtered) == ["Radwege"]
    combined = client.get("/presse/", {"thema": "umwelt", "jahr": "2023"}).content.decode()
    assert titles(combined) == ["Bäume"]
    assert 'aria-current="page">Umwelt</a>' in combined
    assert client.get("/presse/", {"thema": "kultur"}).status_code == 200  # known, empty
    assert client.get("/presse/", {"thema": "gibt-es-nicht"}).status_code == 404
    assert client.get("/presse/", {"topic": "x\x00y"}).status_code == 404


def test_the_newsroom_filters_by_tag(client, newsroom, topics):
    release_with(newsroom, title="Radwege", day=3, tags=["Fahrrad", "Innenstadt"])
    release_with(newsroom, title="Busse", day=4, tags=["ÖPNV"])

    for parameter in ("schlagwort", "tag"):
        filtered = client.get("/presse/", {parameter: "fahrrad"}).content.decode()
        assert titles(filtered) == ["Radwege"]
    assert client.get("/presse/", {"tag": "unbekannt"}).status_code == 404


def test_release_cards_link_their_topics_and_tags(client, newsroom, topics):
    release_with(newsroom, title="Radwege", topics=[topics["verkehr"]], tags=["Fahrrad"])

    page = client.get("/presse/").content.decode()

    assert '<a href="/presse/thema/verkehr/">Verkehr</a>' in page
    assert '<a href="/presse/?schlagwort=fahrrad">#Fahrrad</a>' in page
    assert client.get("/presse/thema/verkehr/").status_code == 200
    assert titles(client.get("/presse/?schlagwort=fahrrad").content.decode()) == ["Radwege"]


def test_newsroom_queries_stay_constant_with_topics_and_tags(client, newsroom, topics, settings):
    for day in range(1, 13):
        release_with(
            newsroom,
            title=f"Meldung {day}",
            day=day,
            topics=[topics["verkehr"], topics["umwelt"]],
            tags=[f"Schlagwort {day}", "Stadt"],
        )
    settings.PRESS = {**settings.PRESS, "PAGE_SIZE": 3}
    small = queries_for(client, "/presse/")
    settings.PRESS = {**settings.PRESS, "PAGE_SIZE": 12}
    large = queries_for(client, "/presse/")
    assert small == large
    topic_page = queries_for(client, "/presse/thema/verkehr/")
    settings.PRESS = {**settings.PRESS, "PAGE_SIZE": 3}
    assert queries_for(client, "/presse/thema/verkehr/") == topic_page <= large + 1  # the topic


# --- topic pages and their feeds ----------------------------------------------------------


def test_a_topic_page_shows_the_topic_and_its_releases_paginated(
    client, newsroom, topics, settings
):
    settings.PRESS = {**settings.PRESS, "PAGE_SIZE": 2}
    for day in (3, 4, 5):
        release_with(newsroom, title=f"Verkehr {day}", day=day, topics=[topics["verkehr"]])
    release_with(newsroom, title="Nur Umwelt", day=6, topics=[topics["umwelt"]])

    page = client.get("/presse/thema/verkehr/").content.decode()

    assert "<h1>Verkehr" in page
    assert "Straßen, Radwege und Busse." in page
    assert titles(page) == ["Verkehr 5", "Verkehr 4"]
    assert 'href="/presse/thema/verkehr/?seite=2"' in page
    second = client.get("/presse/thema/verkehr/", {"seite": "2"}).content.decode()
    assert titles(second) == ["Verkehr 3"]
    assert '<link rel="canonical" href="http://testserver/presse/thema/verkehr/?seite=2">' in second
    for kind, route in (
        ("application/rss+xml", "rss"),
        ("application/atom+xml", "atom"),
        ("application/feed+json", "json"),
    ):
        assert re.search(
            rf'<link rel="alternate" type="{re.escape(kind)}" title="[^"]*Verkehr[^"]*" '
            rf'href="/presse/thema/verkehr/{route}/">',
            page,
        )
    assert client.get("/presse/thema/verkehr/", {"seite": "3"}).status_code == 404
    assert client.get("/presse/thema/unbekannt/").status_code == 404


def test_topic_feeds_carry_only_the_topics_releases(client, newsroom, topics):
    release_with(newsroom, title="Radwege", day=3, topics=[topics["verkehr"]])
    release_with(newsroom, title="Bäume", day=4, topics=[topics["umwelt"]])
    office = "Landeshauptstadt Düsseldorf"

    rss = client.get("/presse/thema/verkehr/rss/")
    assert rss["Content-Type"].startswith("application/rss+xml")
    text = rss.content.decode()
    assert f"<title>{office} – Verkehr</title>" in text
    assert "<title>Radwege</title>" in text and "Bäume" not in text
    assert "<link>http://testserver/presse/thema/verkehr/</link>" in text

    atom = client.get("/presse/thema/verkehr/atom/").content.decode()
    assert f"<title>{office} – Verkehr</title>" in atom
    assert "Radwege" in atom and "Bäume" not in atom
    assert 'href="http://testserver/presse/thema/verkehr/atom/"' in atom

    feed = json.loads(client.get("/presse/thema/umwelt/json/").content)
    assert feed["title"] == f"{office} – Umwelt"
    assert feed["feed_url"] == "http://testserver/presse/thema/umwelt/json/"
    assert [item["title"] for item in feed["items"]] == ["Bäume"]

    for route in ("rss", "atom", "json"):
        assert client.get(f"/presse/thema/unbekannt/{route}/").status_code == 404


# --- related releases on the release page -------------------------------------------------


def test_the_release_page_lists_related_releases_with_constant_queries(client, newsroom, topics):
    verkehr = topics["verkehr"]
    plain = queries_for(client, release_with(newsroom, title="Ohne Thema", day=1).url)
    release = release_with(newsroom, title="Hauptmeldung", day=20, topics=[verkehr])
    release_with(newsroom, title="Busspur", day=5, topics=[verkehr])
    one = queries_for(client, release.url)
    assert one == plain  # topics and related releases cost the same with or without any
    page = client.get(release.url).content.decode()
    section = re.search(r'<section class="release__related".*?</section>', page, re.S).group(0)
    assert "Ähnliche Pressemitteilungen" in section
    assert ">Busspur</a>" in section and "05. Februar 2023" in section
    assert "Hauptmeldung" not in section
    assert '<a href="/presse/thema/verkehr/">Verkehr</a>' in page  # its topic, in its header

    chosen = release_with(newsroom, title="Von Hand gewählt", day=2)
    release_with(newsroom, title="Radweg", day=6, topics=[verkehr])
    draft = release.get_latest_revision_as_object()
    draft.related_links = [ReleaseRelation(related=chosen)]
    draft.save_revision().publish()

    page = client.get(release.url).content.decode()
    section = re.search(r'<section class="release__related".*?</section>', page, re.S).group(0)
    assert re.findall(r">([^<]+)</a>", section) == ["Von Hand gewählt", "Radweg", "Busspur"]
    assert queries_for(client, release.url) == one


# --- related releases on an installation with two sites ----------------------------------


@pytest.fixture
def second_newsroom(newsroom):
    """A second site, zweite.example, with its own home page and newsroom `/presse/`."""
    home = HomePageFactory(parent=Page.get_first_root_node(), slug="zweite")
    Site.objects.create(hostname="zweite.example", port=80, root_page=home, site_name="Zweite")
    return PressIndexPageFactory(parent=home)


def path_of(page) -> str:
    """The page's path on its own site (with two sites, `page.url` is a full URL)."""
    return page.get_url_parts()[2]


def test_related_releases_come_from_the_release_site_only(newsroom, second_newsroom, topics):
    verkehr = topics["verkehr"]
    release = release_with(newsroom, title="Radwege Nord", day=10, topics=[verkehr])
    older = release_with(newsroom, title="Busspur Nord", day=2, topics=[verkehr])
    newer_elsewhere = release_with(second_newsroom, title="Radwege Süd", day=20, topics=[verkehr])
    chosen_elsewhere = release_with(second_newsroom, title="Stadtfest Süd", day=3)
    ReleaseRelation.objects.create(release=release, related=chosen_elsewhere, sort_order=0)

    # Neither the newer release sharing the topic nor the chosen one: both are the other site's.
    assert releases_related(release=release, from_database=True, site=site_of(newsroom)) == [older]
    draft = release.get_latest_revision_as_object()
    draft.related_links = [ReleaseRelation(related=chosen_elsewhere)]
    assert releases_related(release=draft, from_database=False, site=site_of(newsroom)) == [older]
    assert (
        releases_related(release=newer_elsewhere, from_database=True, site=site_of(second_newsroom))
        == []
    )


def test_a_release_page_lists_no_release_of_another_site(client, newsroom, second_newsroom, topics):
    verkehr = topics["verkehr"]
    release = release_with(newsroom, title="Radwege Nord", day=10, topics=[verkehr])
    release_with(newsroom, title="Busspur Nord", day=2, topics=[verkehr])
    elsewhere = release_with(second_newsroom, title="Radwege Süd", day=20, topics=[verkehr])
    release_with(second_newsroom, title="Busspur Süd", day=3, topics=[verkehr])
    # The editor chose the other site's release in the page chooser, which shows every site.
    draft = release.get_latest_revision_as_object()
    draft.related_links = [ReleaseRelation(related=elsewhere)]
    draft.save_revision().publish()

    page = client.get(path_of(release)).content.decode()
    assert related_titles(page) == ["Busspur Nord"]
    assert '<a href="/presse/busspur-nord/">' in page
    assert "Süd" not in page and "zweite.example" not in page

    other = client.get(path_of(elsewhere), headers={"host": "zweite.example"}).content.decode()
    assert related_titles(other) == ["Busspur Süd"]
    assert "Nord" not in other

    # The site costs no query: the same on both sites.
    assert queries_for(client, path_of(release)) == queries_for(
        client, path_of(elsewhere), host="zweite.example"
    )


# --- the editor ---------------------------------------------------------------------------


def release_edit_data(release, related: list) -> dict:
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    return nested_form_data(
        {
            "title": release.title,
            "slug": release.slug,
            "release_date": release.release_date.isoformat(),
            "lead": "",
            "contact": str(release.contact_id),
            "corrections": inline_formset([]),
            "subscriber_mailing": inline_formset([]),
            "distribution_choices": inline_formset([]),
            "related_links": inline_formset([{"related": str(pk)} for pk in related]),
            "body": streamfield([]),
            "action-publish": "publish",
        }
    )


def test_an_editor_chooses_related_releases_in_order_and_only_releases(
    admin_client, newsroom, topics
):
    from django.urls import reverse

    release = release_with(newsroom, title="Hauptmeldung", day=20)
    first = release_with(newsroom, title="Erste Wahl", day=2)
    second = release_with(newsroom, title="Zweite Wahl", day=9)
    edit = reverse("wagtailadmin_pages:edit", args=[release.pk])

    form = admin_client.get(edit).content.decode()
    assert "Ähnliche Pressemitteilungen" in form
    assert "press.pressreleasepage" in form  # the chooser offers releases only

    response = admin_client.post(edit, release_edit_data(release, [second.pk, first.pk]))
    assert response.status_code == 302
    page = admin_client.get(release.url).content.decode()
    section = re.search(r'<section class="release__related".*?</section>', page, re.S).group(0)
    assert re.findall(r">([^<]+)</a>", section) == ["Zweite Wahl", "Erste Wahl"]

    # The newsroom is no release: the form refuses it at the field.
    refused = admin_client.post(edit, release_edit_data(release, [newsroom.pk]))
    assert refused.status_code == 200
    assert [link.related_id for link in ReleaseRelation.objects.filter(release=release)] == [
        second.pk,
        first.pk,
    ]


def test_an_editor_is_told_a_release_of_another_site_would_not_show(
    admin_client, newsroom, second_newsroom
):
    """The page chooser offers every site's releases; one of another site would never show
    below this release (releases_related), so the form says so at the field, not the page."""
    from django.urls import reverse

    release = release_with(newsroom, title="Hauptmeldung", day=20)
    own = release_with(newsroom, title="Eigene Wahl", day=2)
    elsewhere = release_with(second_newsroom, title="Anderswo", day=9)
    edit = reverse("wagtailadmin_pages:edit", args=[release.pk])

    refused = admin_client.post(edit, release_edit_data(release, [own.pk, elsewhere.pk]))
    assert refused.status_code == 200
    # At the second chooser's field, the one that chose the other site's release.
    field_errors = re.search(
        r'id="[^"]*-1-child-related-errors">(.*?)</div>', refused.content.decode(), re.S
    )
    assert "gehört zu einer anderen Website" in field_errors.group(1)
    assert not ReleaseRelation.objects.filter(release=release).exists()

    accepted = admin_client.post(edit, release_edit_data(release, [own.pk]))
    assert accepted.status_code == 302
    assert [link.related_id for link in ReleaseRelation.objects.filter(release=release)] == [own.pk]


def test_a_preview_lists_no_release_of_another_site(
    admin_client, newsroom, second_newsroom, topics
):
    """The editor's preview of a draft (its topics not yet published) follows the same rule."""
    from django.urls import reverse

    verkehr = topics["verkehr"]
    release_with(newsroom, title="Radwege Nord", day=20, topics=[verkehr])
    release = release_with(second_newsroom, title="Radwege Süd", day=10)
    release_with(second_newsroom, title="Busspur Süd", day=3, topics=[verkehr])
    draft = release.get_latest_revision_as_object()
    draft.topics = [verkehr]
    draft.save_revision()

    preview = admin_client.get(reverse("wagtailadmin_pages:view_draft", args=[release.pk]))

    assert preview.status_code == 200
    assert related_titles(preview.content.decode()) == ["Busspur Süd"]
