"""A Redis outage is a cache miss, not an error page, on every door that writes or counts:
admin logins (sessions, django-axes), page passwords (and their throttle), publishing (tasks,
cache purges) and the public pages. The cache is django-redis with the host's options, pointed
at a port where nothing listens."""

import socket

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from wagtail.models import PageViewRestriction

from tests.factories import PressReleasePageFactory, body_paragraph


def dead_redis_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"  # closed again: nothing listens there


@pytest.fixture
def redis_down():
    caches = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": dead_redis_url(),
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    with override_settings(CACHES=caches):
        # The outage is real: the cache answers nothing and stores nothing.
        cache.set("probe", 1)
        assert cache.get("probe") is None
        yield


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser(
        "redaktion", "r@example.org", "richtiges-passwort-1"
    )


@override_settings(AXES_ENABLED=True)
def test_an_admin_login_works_while_redis_is_down(client, editor, redis_down):
    assert client.get("/admin/login/").status_code == 200

    wrong = client.post(
        "/admin/login/", {"username": "redaktion", "password": "falsch"}, REMOTE_ADDR="203.0.113.7"
    )
    right = client.post(
        "/admin/login/",
        {"username": "redaktion", "password": "richtiges-passwort-1"},
        REMOTE_ADDR="203.0.113.7",
    )

    assert wrong.status_code == 200  # the form with its error
    assert right.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_page_password_works_while_redis_is_down(client, newsroom, redis_down):
    page = PressReleasePageFactory(parent=newsroom, title="Intern", slug="intern")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])

    wrong = client.post(url, {"password": "falsch", "return_url": page.url})
    right = client.post(url, {"password": "geheim", "return_url": page.url})

    assert wrong.status_code == 200
    assert right.status_code == 302
    assert client.get(page.url).status_code == 200


def test_publishing_and_reading_work_while_redis_is_down(client, editor, newsroom, redis_down):
    release = PressReleasePageFactory(
        parent=newsroom, title="Während des Ausfalls", body=[body_paragraph("<p>Neu.</p>")]
    )
    # Publishing runs the webhook and document tasks and the cache purges, all while the
    # cache answers nothing.
    release.title = "Während des Ausfalls, korrigiert"
    release.save_revision(user=editor).publish(user=editor)
    release.refresh_from_db()
    assert release.live and release.title.endswith("korrigiert")

    assert "korrigiert" in client.get(release.url).content.decode()
    for path in (release.url, release.url + "text/", newsroom.url, "/api/press/releases/"):
        assert client.get(path).status_code < 500, path
