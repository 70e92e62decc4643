"""Change notification: a release going live, going offline or being deleted purges the frontend
cache and sends signed webhooks — received here by real HTTP servers on loopback (a webhook
endpoint, and a Varnish-like cache taking PURGE requests), and verified with the reference
Standard Webhooks library as a receiver would."""

import base64
import datetime
import http.server
import json
import logging
import secrets
import socket
import threading
from unittest import mock

import pytest
import standardwebhooks.webhooks
from django.core.management import call_command
from django.utils import timezone
from django_tasks import task_backends
from standardwebhooks import Webhook, WebhookVerificationError
from wagtail.models import PageViewRestriction

from press.publishing.tasks import webhook_deliver
from tests.factories import PressReleasePageFactory, site_with_newsroom

# A plain secret: its UTF-8 bytes are the key, which the reference library takes as bytes.
SECRET = "geheimes-webhook-geheimnis-mit-32-zeichen"
SECRET_KEY = SECRET.encode()


def verified(request, secret=SECRET_KEY, at=None):
    """What a receiver gets from `standardwebhooks` for this request (raises if refused);
    `at` is the receiver's clock, now unless given."""
    if at is None:
        return Webhook(secret).verify(request["body"], request["headers"])

    class Clock(datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return at.astimezone(tz)

    with mock.patch.object(standardwebhooks.webhooks, "datetime", Clock):
        return Webhook(secret).verify(request["body"], request["headers"])


class Receiver:
    """A webhook endpoint on 127.0.0.1 that records each POST and answers with scripted statuses."""

    def __init__(self):
        self.requests: list[dict] = []
        self.statuses: list[int] = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append(
                    # Header names as a receiver compares them: case-insensitively.
                    {"headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
                )
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/press"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def events(self) -> list[str]:
        return [json.loads(r["body"])["event"] for r in self.requests]

    def payloads(self) -> list[dict]:
        return [json.loads(r["body"]) for r in self.requests]


@pytest.fixture
def receiver(settings, monkeypatch):
    # Retries without pausing: the back-off's length is not what these tests are about.
    monkeypatch.setattr("press.publishing.tasks.WEBHOOK_INLINE_BACKOFF", 0)
    receiver = Receiver()
    receiver.thread.start()
    settings.PRESS = {
        **settings.PRESS,
        "WEBHOOKS": [{"url": receiver.url, "secret": SECRET}],
        "WEBHOOK_ATTEMPTS": 4,
    }
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what waits for the transaction to commit (the test's transaction never does)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def release_published(newsroom, **kwargs):
    release = PressReleasePageFactory(parent=newsroom, live=False, **kwargs)
    release.save_revision().publish()
    release.refresh_from_db()
    return release


# --- webhooks -------------------------------------------------------------------------------


def test_publish_sends_a_signed_webhook(newsroom, receiver, commit):
    with commit():
        release = release_published(
            newsroom, title="Masterplan Industrie", slug="masterplan-industrie"
        )

    assert receiver.events() == ["release.published"]
    request = receiver.requests[0]
    headers = request["headers"]
    assert headers["content-type"].startswith("application/json")
    assert headers["user-agent"].startswith("Pressedienst-CMS-Webhook/")
    assert headers["webhook-id"]
    assert abs(int(headers["webhook-timestamp"]) - timezone.now().timestamp()) < 60
    assert headers["webhook-signature"].startswith("v1,")
    assert not any(name.startswith("x-press-") for name in headers)
    assert verified(request) == json.loads(request["body"])
    with pytest.raises(WebhookVerificationError):
        verified(request, secret=b"another-secret-of-another-receiver")
    payload = json.loads(request["body"])
    assert payload["release"] == {
        "id": release.pk,
        "title": "Masterplan Industrie",
        "slug": "masterplan-industrie",
        "language": "de",
        "release_date": "2023-02-07",
        "html_url": "http://testserver/presse/masterplan-industrie/",
        "text_url": "http://testserver/presse/masterplan-industrie/text/",
        "versions": [],
    }
    assert datetime.datetime.fromisoformat(payload["occurred_at"])


def test_a_standard_webhooks_secret_is_used_as_its_base64_key(newsroom, receiver, commit, settings):
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    settings.PRESS = {**settings.PRESS, "WEBHOOKS": [{"url": receiver.url, "secret": secret}]}

    with commit():
        release_published(newsroom)

    # The secret exactly as the receiver got it, in the reference library's own form.
    assert verified(receiver.requests[0], secret=secret)["event"] == "release.published"


def test_a_delivery_replayed_after_the_tolerance_is_refused(newsroom, receiver, commit):
    with commit():
        release_published(newsroom)
    request = receiver.requests[0]
    sent = datetime.datetime.fromtimestamp(
        int(request["headers"]["webhook-timestamp"]), tz=datetime.UTC
    )

    # Within the reference verifiers' tolerance of five minutes the request still counts …
    assert verified(request, at=sent + datetime.timedelta(minutes=4))
    # … sent again by whoever captured it, six minutes later, it is refused.
    with pytest.raises(WebhookVerificationError, match="too old"):
        verified(request, at=sent + datetime.timedelta(minutes=6))


def test_a_changed_timestamp_or_body_breaks_the_signature(newsroom, receiver, commit):
    with commit():
        release_published(newsroom, title="Masterplan Industrie")
    request = receiver.requests[0]
    headers = request["headers"]

    # A replay that claims to be fresh: the timestamp is signed, so the signature no longer fits.
    fresh = {**headers, "webhook-timestamp": str(int(headers["webhook-timestamp"]) + 1)}
    with pytest.raises(WebhookVerificationError, match="signature"):
        verified({**request, "headers": fresh})
    forged = request["body"].replace(b"Masterplan Industrie", b"Masterplan Abriss")
    assert forged != request["body"]
    with pytest.raises(WebhookVerificationError, match="signature"):
        verified({**request, "body": forged})
    # So is the delivery id: another id for the same body is not this delivery.
    other = {**headers, "webhook-id": headers["webhook-id"] + "0"}
    with pytest.raises(WebhookVerificationError, match="signature"):
        verified({**request, "headers": other})


def test_unpublish_and_delete_send_webhooks(newsroom, receiver, commit):
    with commit():
        release = release_published(newsroom)
    with commit():
        release.unpublish()
    with commit():
        release.save_revision().publish()
    with commit():
        release.delete()

    assert receiver.events() == [
        "release.published",
        "release.unpublished",
        "release.published",
        "release.deleted",
    ]
    assert {p["release"]["id"] for p in receiver.payloads()} == {release.pk}


def test_drafts_and_scheduled_releases_are_not_announced(newsroom, receiver, commit):
    with commit():
        draft = PressReleasePageFactory(parent=newsroom, live=False, title="Entwurf")
        draft.save_revision()
        scheduled = PressReleasePageFactory(parent=newsroom, live=False, title="Sperrfrist")
        scheduled.go_live_at = timezone.now() + datetime.timedelta(hours=1)
        scheduled.save_revision().publish()
        draft.delete()

    assert receiver.requests == []


def test_a_release_behind_a_view_restriction_is_not_announced(newsroom, receiver, commit):
    PageViewRestriction.objects.create(
        page=newsroom, restriction_type=PageViewRestriction.PASSWORD, password="intern"
    )
    with commit():
        release_published(newsroom)

    assert receiver.requests == []


def test_scheduled_release_is_announced_when_publish_scheduled_makes_it_live(
    newsroom, receiver, commit
):
    release = PressReleasePageFactory(parent=newsroom, live=False, title="Sperrfrist 10 Uhr")
    release.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    with commit():
        release.save_revision().publish()
    assert receiver.requests == []

    later = timezone.now() + datetime.timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later), commit():
        call_command("publish_scheduled")

    release.refresh_from_db()
    assert release.live
    assert receiver.events() == ["release.published"]
    assert receiver.payloads()[0]["release"]["title"] == "Sperrfrist 10 Uhr"


def test_expiry_by_publish_scheduled_is_announced(newsroom, receiver, commit):
    release = PressReleasePageFactory(parent=newsroom, live=False)
    release.expire_at = timezone.now() + datetime.timedelta(hours=1)
    with commit():
        release.save_revision().publish()

    later = timezone.now() + datetime.timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later), commit():
        call_command("publish_scheduled")

    release.refresh_from_db()
    assert release.expired and not release.live
    assert receiver.events() == ["release.published", "release.unpublished"]


def test_failed_deliveries_are_retried_with_the_same_delivery_id(newsroom, receiver, commit):
    receiver.statuses = [500, 500, 200]

    with commit():
        release_published(newsroom)

    assert len(receiver.requests) == 3
    assert len({r["headers"]["webhook-id"] for r in receiver.requests}) == 1
    assert all(verified(r) for r in receiver.requests)
    assert receiver.statuses == []


def test_retries_stop_after_the_configured_attempts(newsroom, receiver, commit, settings):
    settings.PRESS = {**settings.PRESS, "WEBHOOK_ATTEMPTS": 2}
    receiver.statuses = [503, 503, 503, 503]

    with commit():
        release = release_published(newsroom)

    assert len(receiver.requests) == 2
    release.refresh_from_db()
    assert release.live


def test_unreachable_endpoint_does_not_stop_the_publish(
    newsroom, receiver, commit, settings, caplog
):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    down = f"http://127.0.0.1:{closed_port}/nobody"
    settings.PRESS = {
        **settings.PRESS,
        "WEBHOOKS": [{"url": down, "secret": SECRET}, {"url": receiver.url, "secret": SECRET}],
    }

    with caplog.at_level(logging.INFO, logger="press"), commit():
        release = release_published(newsroom)

    release.refresh_from_db()
    assert release.live
    # The endpoint that answers still gets its delivery.
    assert receiver.events() == ["release.published"]
    # The one that is down is logged, each attempt and when it is given up.
    failures = [r for r in caplog.records if r.name == "press.webhooks" and down in r.getMessage()]
    assert sum("unreachable" in r.getMessage() for r in failures) == 4
    given_up = [r for r in failures if r.levelno == logging.ERROR]
    assert len(given_up) == 1
    assert "given up after 4 attempts" in given_up[0].getMessage()


def test_an_endpoint_that_never_answers_is_given_up_after_the_timeout(
    newsroom, receiver, commit, settings, caplog
):
    # It takes the connection (the kernel's backlog) but never answers.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        hanging = f"http://127.0.0.1:{silent.getsockname()[1]}/hangs"
        settings.PRESS = {
            **settings.PRESS,
            "WEBHOOKS": [{"url": hanging, "secret": SECRET}],
            "WEBHOOK_TIMEOUT": 0.2,
            "WEBHOOK_ATTEMPTS": 2,
        }

        with caplog.at_level(logging.INFO, logger="press"), commit():
            release = release_published(newsroom)

    release.refresh_from_db()
    assert release.live
    messages = [r.getMessage() for r in caplog.records if r.name == "press.webhooks"]
    assert sum(hanging in m and "timed out" in m for m in messages) == 2
    assert any("given up after 2 attempts" in m for m in messages)


def test_without_webhooks_nothing_is_queued_or_sent(newsroom, receiver, commit, settings):
    backend = webhooks_backend(settings, "django_tasks.backends.dummy.DummyBackend")
    settings.PRESS = {**settings.PRESS, "WEBHOOKS": []}

    with commit():
        release = release_published(newsroom)
    with commit():
        release.unpublish()

    release.refresh_from_db()
    assert not release.live
    assert backend.results == []
    assert receiver.requests == []


def test_endpoint_without_secret_gets_nothing_unsigned(newsroom, receiver, commit, settings):
    settings.PRESS = {**settings.PRESS, "WEBHOOKS": [{"url": receiver.url, "secret": ""}]}

    with commit():
        release_published(newsroom)

    assert receiver.requests == []


def webhooks_backend(settings, backend: str):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
        "webhooks": {"BACKEND": backend},
    }
    return task_backends["webhooks"]


def test_a_host_without_a_webhooks_backend_delivers_on_its_default_one(
    newsroom, receiver, commit, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PRESS = {k: v for k, v in settings.PRESS.items() if k != "WEBHOOK_TASK_BACKEND"}

    with commit():
        release_published(newsroom)

    assert receiver.events() == ["release.published"]
    assert verified(receiver.requests[0])


def test_a_deferring_worker_backend_retries_in_a_later_task(newsroom, receiver, commit, settings):
    backend = webhooks_backend(settings, "django_tasks.backends.dummy.DummyBackend")
    receiver.statuses = [500]
    with commit():
        release_published(newsroom)
    queued = [r for r in backend.results if r.task.name == webhook_deliver.name]
    assert len(queued) == 1 and receiver.requests == []  # queued, not sent in the request

    # The worker runs it: the endpoint fails, so a retry is queued for later instead of waiting.
    first = queued[0]
    assert webhook_deliver.call(*first.args, **first.kwargs) is False
    retries = [r for r in backend.results if r.task.name == webhook_deliver.name][1:]
    assert len(receiver.requests) == 1
    assert len(retries) == 1
    assert retries[0].kwargs["attempt"] == 2
    assert retries[0].kwargs["delivery_id"] == first.kwargs["delivery_id"]
    assert retries[0].task.run_after > timezone.now()

    # Two minutes later the worker runs the retry: the same delivery, signed for its own time.
    later = timezone.now().timestamp() + 120
    with mock.patch("press.publishing.webhooks.time", **{"time.return_value": later}):
        assert webhook_deliver.call(*retries[0].args, **retries[0].kwargs) is True
    first_sent, retry_sent = (r["headers"] for r in receiver.requests)
    assert retry_sent["webhook-id"] == first_sent["webhook-id"]
    assert int(retry_sent["webhook-timestamp"]) - int(first_sent["webhook-timestamp"]) >= 119
    assert verified(receiver.requests[1])


def test_production_queue_keeps_deliveries_until_the_worker_sends_them(
    wagtail_base_rows, receiver, settings
):
    """The production backend: publishing only queues (the editor never waits for an
    endpoint); the worker process delivers, signed, from the database queue. Transactional,
    because the worker takes its own transactions as it does in production."""
    from django_tasks_db.models import DBTaskResult

    _home, newsroom = site_with_newsroom()
    webhooks_backend(settings, "django_tasks_db.DatabaseBackend")
    release_published(newsroom, title="Sperrfrist vorbei")
    assert receiver.requests == []
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    call_command("db_worker", "--backend", "webhooks", "--batch", "--no-startup-delay")

    assert receiver.events() == ["release.published"]
    assert receiver.payloads()[0]["release"]["title"] == "Sperrfrist vorbei"
    request = receiver.requests[0]
    assert verified(request)["release"]["title"] == "Sperrfrist vorbei"
    assert not DBTaskResult.objects.filter(status="READY").exists()


# --- frontend cache -------------------------------------------------------------------------


class PurgeReceiver:
    """A Varnish-like cache on 127.0.0.1: Wagtail's HTTPBackend sends it `PURGE <path>` with the
    purged page's host in the Host header; it records each as the address it drops."""

    def __init__(self):
        self.purged: list[str] = []
        self.tags: list[str] = []  # what a purge by tag (xkey-purge) dropped
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_PURGE(self):
                if self.headers.get("xkey-purge"):
                    receiver.tags += self.headers["xkey-purge"].split()
                else:
                    receiver.purged.append(f"http://{self.headers['Host']}{self.path}")
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.location = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )


@pytest.fixture
def purge_receiver():
    receiver = PurgeReceiver()
    receiver.thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.fixture
def purged(settings, purge_receiver):
    """What the cache was told to forget, with the host's cache configured as in production."""
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": purge_receiver.location,
        }
    }
    return purge_receiver.purged


PAGE_URLS = {
    "http://testserver/presse/masterplan-industrie/",
    "http://testserver/presse/masterplan-industrie/text/",
    "http://testserver/presse/masterplan-industrie/presskit/",
    "http://testserver/presse/masterplan-industrie/pdf/",
    "http://testserver/presse/",
    "http://testserver/presse/rss/",
    "http://testserver/presse/atom/",
    "http://testserver/presse/json/",
    "http://testserver/",
}


def release_urls(
    release,
    *,
    press_api="/api/press/",
    api_v2="/api/v2/",
    sitemap="/sitemap.xml",
    news_sitemap="/sitemap-news.xml",
):
    """Every address a cache may hold that shows or lists the release: its page, text version,
    press kit and print version, the newsroom and its feeds, the home page, the press API's
    list, detail and ninjs, API v2 list and detail, and the sitemap — where the host mounted
    them."""
    return PAGE_URLS | {
        f"http://testserver{press_api}releases",
        f"http://testserver{press_api}releases/{release.pk}",
        f"http://testserver{press_api}releases/{release.pk}/ninjs",
        f"http://testserver{api_v2}pages/",
        f"http://testserver{api_v2}pages/{release.pk}/",
        f"http://testserver{sitemap}",
        *([f"http://testserver{news_sitemap}"] if news_sitemap else []),
    }


def test_publish_purges_the_release_its_listings_and_the_api(newsroom, purged, commit):
    with commit():
        release = release_published(newsroom, slug="masterplan-industrie")

    assert set(purged) == release_urls(release)


def test_unpublish_purges_the_release_its_listings_and_the_api(newsroom, purged, commit):
    release = release_published(newsroom, slug="masterplan-industrie")
    purged.clear()

    with commit():
        release.unpublish()

    assert set(purged) == release_urls(release)


def test_delete_purges_the_release_its_listings_and_the_api(newsroom, purged, commit):
    release = release_published(newsroom, slug="masterplan-industrie")
    purged.clear()

    with commit():
        release.delete()

    assert set(purged) == release_urls(release)


def test_a_cache_that_purges_by_tag_gets_the_tags_not_every_address(
    newsroom, purge_receiver, settings, commit
):
    """Varnish with xkey keeps only tagged answers: the release's tags drop all of them at
    once, and a purge of each address besides would only make it fetch them again."""
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "press.publishing.edge.VarnishXkeyBackend",
            "LOCATION": purge_receiver.location,
        }
    }
    with commit():
        release = release_published(newsroom, slug="masterplan-industrie")

    assert {f"release-{release.pk}", f"newsroom-{newsroom.pk}", "releases"} <= set(
        purge_receiver.tags
    )
    # By address only what Wagtail's own frontend-cache handler purges of every published
    # page (its cached paths); none of the listings, feeds, API answers or sitemaps.
    assert set(purge_receiver.purged) <= PAGE_URLS - {
        "http://testserver/presse/",
        "http://testserver/presse/rss/",
        "http://testserver/presse/atom/",
        "http://testserver/presse/json/",
        "http://testserver/",
    }


def test_purge_follows_where_the_host_mounted_the_apis_and_the_sitemap(
    newsroom, purged, commit, settings
):
    settings.ROOT_URLCONF = "tests.urls_elsewhere"

    with commit():
        release = release_published(newsroom, slug="masterplan-industrie")

    assert set(purged) == release_urls(
        release,
        press_api="/service/api/press/",
        api_v2="/headless/v2/",
        sitemap="/maps/press.xml",
        news_sitemap="/maps/news.xml",
    )


def test_a_release_changed_within_a_transaction_is_purged_again_once_it_commits(
    newsroom, purged, commit
):
    # Wagtail purges the page as soon as it is published, before the change is committed: a
    # reader in between can put the old page back into the cache. So the page is purged
    # again, with the listings and the API, once the change is committed.
    with commit():
        release_published(newsroom, slug="masterplan-industrie")
        assert set(purged) == {
            "http://testserver/presse/masterplan-industrie/",
            "http://testserver/presse/masterplan-industrie/text/",
            "http://testserver/presse/masterplan-industrie/presskit/",
            "http://testserver/presse/masterplan-industrie/pdf/",
        }
        purged.clear()

    assert "http://testserver/presse/masterplan-industrie/" in purged
    assert "http://testserver/api/press/releases" in purged


def test_a_cache_that_is_down_does_not_stop_the_publish_or_the_webhooks(
    newsroom, receiver, commit, settings, caplog
):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{closed_port}",
        }
    }

    with caplog.at_level(logging.ERROR), commit():
        release = release_published(newsroom, slug="masterplan-industrie")

    release.refresh_from_db()
    assert release.live
    assert receiver.events() == ["release.published"]
    # Wagtail's backend logs each address it could not purge.
    not_purged = {r.args[0] for r in caplog.records if r.name == "wagtail.frontendcache" and r.args}
    assert not_purged == release_urls(release)


def test_without_a_frontend_cache_publishing_purges_nothing_and_still_notifies(
    newsroom, receiver, purge_receiver, commit, settings, caplog
):
    # The cache is up, but the host configured none (as the base settings without
    # FRONTEND_CACHE_VARNISH_URL): nothing is sent to it, and nothing fails.
    settings.WAGTAILFRONTENDCACHE = {}

    with caplog.at_level(logging.WARNING), commit():
        release = release_published(newsroom)
    with caplog.at_level(logging.WARNING), commit():
        release.unpublish()

    release.refresh_from_db()
    assert not release.live
    assert purge_receiver.purged == []
    assert receiver.events() == ["release.published", "release.unpublished"]
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
