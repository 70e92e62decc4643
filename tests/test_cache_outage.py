"""A Redis outage is a cache miss, not an error page, on every door that writes or counts:
admin logins (sessions, django-axes), page passwords (and their throttle), publishing (tasks,
cache purges) and the public pages. The cache is django-redis with the host's options, pointed
at a port where nothing listens."""

import shutil
import socket
import subprocess
import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from wagtail.models import PageViewRestriction

from cms.cache import breaker, redis_cache_options
from tests.factories import PressReleasePageFactory, body_paragraph


def dead_redis_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again: nothing listens there


def dead_redis_url() -> str:
    return f"redis://127.0.0.1:{dead_redis_port()}/0"


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


# --- a Redis that accepts and never answers (issue 21 §3) -----------------------------------


class SilentRedis:
    """A TCP server on loopback that accepts every connection and never answers: a hung Redis.
    Counts the connections and the bytes of commands it was sent."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self.held = []
        self.server.settimeout(0.1)
        self.running = True
        self.thread = threading.Thread(target=self.accept_loop, daemon=True)
        self.thread.start()

    def accept_loop(self):
        while self.running:
            try:
                connection, _address = self.server.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            self.held.append(connection)  # read nothing, answer nothing

    def close(self):
        self.running = False
        self.thread.join()
        for connection in self.held:
            connection.close()
        self.server.close()


def breaker_caches(port: int) -> dict:
    """The host's Redis cache settings (cms.settings.base), pointed at `port`."""
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": redis_cache_options(connect_timeout=0.05, timeout=0.05),
        }
    }


@pytest.fixture
def breaker_fresh():
    breaker.reset()
    retry_after = breaker.retry_after
    yield breaker
    breaker.retry_after = retry_after
    breaker.reset()


def test_a_hung_redis_is_asked_once_and_logged_once_not_per_request(
    client, newsroom, breaker_fresh, caplog
):
    breaker_fresh.retry_after = 600  # no second trial within the test, however slow the machine
    release = PressReleasePageFactory(parent=newsroom, title="Sturmwarnung")
    hung = SilentRedis()
    try:
        with override_settings(CACHES=breaker_caches(hung.port)), caplog.at_level("WARNING"):
            answers = [client.get(path) for path in [release.url, newsroom.url] * 20]
    finally:
        hung.close()

    assert [answer.status_code for answer in answers] == [200] * 40
    assert "Sturmwarnung" in answers[0].content.decode()
    # The first request's cache call timed out and opened the breaker: the 39 after it did not
    # wait on Redis (one connection, never a second attempt within the retry interval).
    assert hung.connections == 1
    outage = [record for record in caplog.records if record.name.startswith("cms.cache")]
    assert len(outage) == 1, [record.getMessage() for record in outage]
    assert "unreachable" in outage[0].getMessage()


@pytest.mark.skipif(not shutil.which("redis-server"), reason="no redis-server on this machine")
def test_the_end_of_an_outage_is_logged_once(client, newsroom, breaker_fresh, caplog, tmp_path):
    breaker_fresh.retry_after = 0.2
    port = dead_redis_port()
    with override_settings(CACHES=breaker_caches(port)), caplog.at_level("WARNING"):
        for _ in range(5):
            assert client.get(newsroom.url).status_code == 200  # Redis down: misses
        redis = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--dir",
                str(tmp_path),
            ],
            stdout=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                time.sleep(0.25)
                assert client.get(newsroom.url).status_code == 200
                if breaker_fresh.opened_at is None:
                    break
            cache.set("back", 1)
            assert cache.get("back") == 1
        finally:
            redis.terminate()
            redis.wait(timeout=10)

    messages = [r.getMessage() for r in caplog.records if r.name.startswith("cms.cache")]
    assert len(messages) == 2, messages
    assert "unreachable" in messages[0] and "answers again" in messages[1]
