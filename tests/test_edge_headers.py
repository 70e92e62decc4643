"""What every public answer tells a cache (issue 21 §1), read through Django's test client: how
long it may be kept (never past the next scheduled change), its validators and 304s, and that
answers for one reader stay `private, no-store`."""

import datetime

from django.utils import timezone
from django.utils.cache import get_max_age
from wagtail.models import PageViewRestriction

from press.edge import edge_lifetimes
from tests.factories import PressReleasePageFactory

NOW = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=datetime.UTC)


def test_lifetimes_are_the_configured_ones_when_nothing_is_scheduled():
    assert edge_lifetimes(now=NOW, next_change=None) == (60, 300, 86400)


def test_lifetimes_end_at_the_next_scheduled_change():
    soon = NOW + datetime.timedelta(seconds=100)
    max_age, revalidate, if_error = edge_lifetimes(now=NOW, next_change=soon)
    assert max_age == 60 and max_age + revalidate == 100 and max_age + if_error == 100
    assert edge_lifetimes(now=NOW, next_change=NOW + datetime.timedelta(seconds=20)) == (20, 0, 0)
    assert edge_lifetimes(now=NOW, next_change=NOW) == (0, 0, 0)


def control(response) -> dict[str, str]:
    return dict(
        [*part.split("=", 1), ""][:2]
        for part in (word.strip() for word in response["Cache-Control"].split(","))
    )


def test_an_answer_is_not_kept_past_a_scheduled_go_live(client, newsroom):
    release = PressReleasePageFactory(parent=newsroom, title="Heute")
    scheduled = PressReleasePageFactory(parent=newsroom, live=False, title="Gleich")
    scheduled.go_live_at = timezone.now() + datetime.timedelta(seconds=30)
    scheduled.save_revision().publish()

    for path in (newsroom.url, newsroom.url + "rss/", release.url, "/api/press/releases"):
        response = client.get(path)
        words = control(response)
        assert "public" in words, path
        assert get_max_age(response) <= 30, path
        assert get_max_age(response) + int(words["stale-while-revalidate"]) <= 30, path
        assert get_max_age(response) + int(words["stale-if-error"]) <= 30, path


def test_an_answer_is_not_kept_past_a_release_s_expiry(client, newsroom):
    release = PressReleasePageFactory(
        parent=newsroom,
        title="Bis gleich",
        expire_at=timezone.now() + datetime.timedelta(seconds=40),
    )
    response = client.get(release.url)
    assert 0 < get_max_age(response) <= 40
    assert get_max_age(response) + int(control(response)["stale-if-error"]) <= 40


def test_feeds_and_pages_answer_a_conditional_request_with_304(client, newsroom):
    PressReleasePageFactory(parent=newsroom, title="Feed")
    for path in (
        newsroom.url,
        newsroom.url + "rss/",
        newsroom.url + "atom/",
        newsroom.url + "json/",
    ):
        first = client.get(path)
        assert first.status_code == 200 and first["ETag"], path
        assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304, path
        if first.has_header("Last-Modified"):
            again = client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
            assert again.status_code == 304, path
            assert "public" in again["Cache-Control"] and again["ETag"], path


def test_a_page_behind_a_password_stays_private(client, newsroom):
    release = PressReleasePageFactory(parent=newsroom, title="Intern")
    PageViewRestriction.objects.create(
        page=newsroom, restriction_type=PageViewRestriction.PASSWORD, password="rat"
    )
    for path in (newsroom.url, release.url):
        response = client.get(path)  # the password form
        assert response["Cache-Control"] == "private, no-store", path
        assert "xkey" not in response, path


def test_a_signed_in_editors_page_with_the_userbar_stays_theirs(
    client, django_user_model, newsroom
):
    """An editor's answer carries Wagtail's userbar (links into the admin): no shared cache may
    keep it and serve it to readers."""
    release = PressReleasePageFactory(parent=newsroom, title="Mit Userbar")
    release.save_revision().publish()
    reader = client.get(release.url)
    assert reader["Cache-Control"].startswith("public"), reader["Cache-Control"]
    assert "wagtail-userbar" not in reader.content.decode()

    client.force_login(
        django_user_model.objects.create_superuser("redaktion", "r@example.org", "x")
    )
    editor = client.get(release.url)
    assert editor.status_code == 200
    assert "wagtail-userbar" in editor.content.decode()
    assert editor["Cache-Control"] == "private, no-store"
    assert "xkey" not in editor
