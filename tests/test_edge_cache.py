"""The edge cache for real (issue 21 §2): varnishd with the shipped VCL (deploy/varnish) in front
of the live server, purged by the CMS over HTTP as in production. For each change a reader can
notice, every address that shows it is read through Varnish first (and found cached: a HIT),
then again after the change: the next answer shows the change on every one of them (0 stale).
Then grace: with the CMS down, the last good copy is served, except for a purged address.

Varnish sits behind a small TCP relay to the live server, so that the test can take the CMS
down and bring it back. Each test reads with a Host header of its own: the cache keeps copies
per host, so nothing one test cached is seen by the next (whose rows reuse the addresses).
"""

import contextlib
import datetime
import http.client
import itertools
import json
import os
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

from deploy.varnish.edge import process_stop, varnishd_start
from press.models import PhotoRights, PressSettings
from press.models.embargo import embargo_link_create
from press.models.pages import ReleaseCorrection
from tests.factories import (
    ImageFactory,
    PressIndexPageFactory,
    PressReleasePageFactory,
    TopicFactory,
    body_image,
    body_paragraph,
    site_with_newsroom,
)
from tests.test_versions import version_make

VARNISHD = shutil.which("varnishd") or shutil.which("varnishd", path="/usr/sbin")
# Skipped only on a developer's machine without Varnish; in CI (which installs it) a missing
# varnishd fails the module instead.
pytestmark = pytest.mark.skipif(
    VARNISHD is None and not os.environ.get("CI"),
    reason="no varnishd (apt-get install varnish varnish-modules; CI installs it)",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Relay:
    """A TCP relay from a loopback port to the live server; `down()` closes the port (the CMS
    is unreachable: connection refused), `up()` opens it again. While `probes_unanswered` is
    set, Varnish's health probe gets no answer (it times out, as on a CMS too busy to answer
    within the probe's timeout) while Varnish's fetches are relayed as always."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = free_port()
        self.server = None
        self.connections = []
        self.probes_unanswered = False

    def up(self) -> None:
        self.server = socket.create_server(("127.0.0.1", self.port), reuse_port=False)
        self.server.settimeout(0.2)
        self.running = True
        self.thread = threading.Thread(target=self.accept_loop, args=(self.server,), daemon=True)
        self.thread.start()

    def down(self) -> None:
        self.running = False
        self.thread.join()  # accept() returns within its timeout; then the port is free
        self.server.close()
        for connection in self.connections:  # Varnish's kept-alive connections too
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()
        self.connections = []

    def accept_loop(self, server) -> None:
        while self.running:
            try:
                client, _address = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections.append(client)
            threading.Thread(target=self.relay, args=(client,), daemon=True).start()

    def relay(self, client) -> None:
        if self.probes_unanswered and self.is_probe(client):
            return  # held open unanswered until down() closes it
        try:
            upstream = socket.create_connection(self.target, timeout=30)
        except OSError:
            client.close()
            return
        self.connections.append(upstream)
        for source, sink in ((client, upstream), (upstream, client)):
            threading.Thread(target=self.pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def is_probe(client) -> bool:
        """Varnish's probe opens a connection of its own for one request without the
        X-Varnish header that every fetch carries (the request's head is read, not taken)."""
        client.settimeout(5)
        head = b""
        deadline = time.monotonic() + 5
        try:
            while b"\r\n\r\n" not in head and time.monotonic() < deadline:
                peeked = client.recv(65536, socket.MSG_PEEK)
                if not peeked:
                    return False  # closed before a request
                if peeked == head:  # the rest of the head is still on its way
                    time.sleep(0.01)
                head = peeked
        except OSError:
            return False
        finally:
            client.settimeout(None)
        return b"\r\nx-varnish:" not in head.lower()

    @staticmethod
    def pipe(source, sink) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)


@pytest.fixture(scope="module")
def edge(live_server):
    """varnishd on a free loopback port in front of the live server, and the CMS's purges
    pointed at it; stopped after the module."""
    parts = urlsplit(live_server.url)
    relay = Relay((parts.hostname, parts.port))
    relay.up()
    workdir = Path(tempfile.mkdtemp(prefix="press-edge-test-"))
    listen = f"127.0.0.1:{free_port()}"
    log = (workdir / "varnishd.log").open("wb")
    varnish = varnishd_start(
        backend=f"127.0.0.1:{relay.port}",
        listen=listen,
        workdir=workdir,
        storage="malloc,64m",
        log=log,
    )
    frontend_cache = {
        "varnish": {
            "BACKEND": "press.publishing.edge.VarnishXkeyBackend",
            "LOCATION": f"http://{listen}",
        }
    }
    override = override_settings(WAGTAILFRONTENDCACHE=frontend_cache)
    override.enable()
    try:
        yield EdgeClient(port=int(listen.rsplit(":", 1)[1]), relay=relay)
    finally:
        override.disable()
        process_stop(varnish)
        log.close()
        relay.down()
        shutil.rmtree(workdir, ignore_errors=True)


HOSTS = itertools.count(1)


class EdgeClient:
    def __init__(self, *, port: int, relay: Relay):
        self.port = port
        self.relay = relay
        self.host = "edge-0.test"

    def get(self, path: str, headers: dict | None = None) -> tuple[int, dict, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", path, headers={"Host": self.host, **(headers or {})})
            response = connection.getresponse()
            body = response.read().decode("utf-8", "replace")
            return response.status, {k.lower(): v for k, v in response.getheaders()}, body
        finally:
            connection.close()


@pytest.fixture
def reader(edge, wagtail_base_rows):
    edge.host = f"edge-{next(HOSTS)}.test"  # a cache of its own for this test
    # Varnish's probe reads /robots.txt every second; between tests the database is closed to
    # the live server, so it may have seen the CMS as down: wait until it is up again.
    deadline = time.monotonic() + 15
    while edge.get("/robots.txt")[0] != 200 and time.monotonic() < deadline:
        time.sleep(0.2)
    return edge


@pytest.fixture
def newsroom(reader):
    _home, newsroom = site_with_newsroom()
    return newsroom


def published(newsroom, **kwargs):
    release = PressReleasePageFactory(parent=newsroom, live=False, **kwargs)
    release.save_revision().publish()
    release.refresh_from_db()
    return release


def release_addresses(release) -> list[str]:
    """Every public address that shows the release itself."""
    return [
        release.url,
        release.url + "text/",
        release.url + "presskit/",
        f"/api/press/releases/{release.pk}",
        f"/api/press/releases/{release.pk}/ninjs",
        f"/api/v2/pages/{release.pk}/",
    ]


def list_addresses(newsroom) -> list[str]:
    """Every public address that lists the newsroom's releases."""
    return [
        newsroom.url,
        newsroom.url + "?jahr=2023",
        newsroom.url + "rss/",
        newsroom.url + "atom/",
        newsroom.url + "json/",
        "/api/press/releases",
        "/api/v2/pages/?type=press.PressReleasePage",
        "/sitemap.xml",
    ]


def cached(reader, paths: list[str]) -> dict[str, tuple[int, str]]:
    """Reads each address twice: the second answer must come from Varnish (it was kept)."""
    answers = {}
    for path in paths:
        reader.get(path)
        status, headers, body = reader.get(path)
        assert headers.get("x-cache") == "HIT", (path, status, headers)
        answers[path] = (status, body)
    return answers


def stale(reader, paths: list[str], *, shows) -> list[str]:
    """The addresses whose next answer does not show the change (`shows(status, body)`)."""
    return [path for path in paths if not shows(*reader.get(path)[::2])]


def test_every_public_answer_is_tagged_and_says_how_long_it_may_be_kept(reader, newsroom):
    release = published(newsroom, title="Rheinufer frei")
    for path in release_addresses(release) + list_addresses(newsroom):
        status, headers, _body = reader.get(path)
        assert status == 200, (path, status, headers, _body[:500])
        control = headers["cache-control"]
        assert "public" in control and "max-age=60" in control, (path, control)
        assert "stale-while-revalidate" in control and "stale-if-error" in control, path
        assert "etag" in headers or "last-modified" in headers, path
        assert "xkey" not in headers  # the tags stay in the edge
        conditional = (
            {"If-None-Match": headers["etag"]}
            if "etag" in headers
            else {"If-Modified-Since": headers["last-modified"]}
        )
        assert reader.get(path, conditional)[0] == 304, path


def test_publish(reader, newsroom):
    published(newsroom, title="Erste Mitteilung")
    paths = list_addresses(newsroom)
    cached(reader, paths)

    published(newsroom, title="Hochwasser am Rhein", slug="hochwasser")

    assert stale(reader, paths, shows=lambda status, body: "hochwasser" in body.lower()) == []


def test_unpublish(reader, newsroom):
    release = published(newsroom, title="Zurückgezogen bald", slug="zurueckgezogen")
    paths = release_addresses(release) + list_addresses(newsroom)
    cached(reader, paths)

    release.unpublish()

    assert stale(reader, release_addresses(release), shows=lambda status, body: status == 404) == []
    gone = lambda status, body: "zurueckgezogen" not in body.lower()  # noqa: E731
    assert stale(reader, list_addresses(newsroom), shows=gone) == []


def test_scheduled_go_live_by_publish_scheduled(reader, newsroom):
    published(newsroom, title="Schon da")
    release = PressReleasePageFactory(
        parent=newsroom, live=False, title="Sperrfrist", slug="sperrfrist"
    )
    release.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    release.save_revision().publish()
    paths = list_addresses(newsroom)
    answers = cached(reader, paths)
    assert all("sperrfrist" not in body for _status, body in answers.values())
    assert reader.get(release.url)[0] == 404

    later = timezone.now() + datetime.timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled")

    assert stale(reader, paths, shows=lambda status, body: "sperrfrist" in body) == []
    assert reader.get(release.url)[0] == 200


def test_expiry_by_publish_scheduled(reader, newsroom):
    release = PressReleasePageFactory(
        parent=newsroom, live=False, title="Bis eins", slug="bis-eins"
    )
    release.expire_at = timezone.now() + datetime.timedelta(hours=1)
    release.save_revision().publish()
    release.refresh_from_db()
    paths = release_addresses(release) + list_addresses(newsroom)
    cached(reader, paths)

    later = timezone.now() + datetime.timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled")

    assert stale(reader, release_addresses(release), shows=lambda status, body: status == 404) == []
    gone = lambda status, body: "bis-eins" not in body  # noqa: E731
    assert stale(reader, list_addresses(newsroom), shows=gone) == []


def test_a_correction(reader, newsroom):
    release = published(newsroom, title="Falsche Zahl")
    paths = [release.url, release.url + "text/", f"/api/press/releases/{release.pk}"]
    paths += [f"/api/press/releases/{release.pk}/ninjs", newsroom.url + "json/"]
    cached(reader, paths)

    ReleaseCorrection.objects.create(release=release, text="Es sind 412 Bäume, nicht 214.")
    release.refresh_from_db()
    release.save_revision().publish()

    assert stale(reader, paths, shows=lambda status, body: "412 B" in body) == []


def test_a_version_published_and_withdrawn(reader, newsroom):
    """The original's page (its hreflang and language links), press API answer and ninjs
    name the English version from the moment it is published until it is withdrawn."""
    release = published(newsroom, title="Masterplan Industrie", slug="masterplan-industrie")
    paths = [release.url, f"/api/press/releases/{release.pk}"]
    paths += [f"/api/press/releases/{release.pk}/ninjs"]
    answers = cached(reader, paths)
    english_path = "/en" + release.url
    assert all(english_path not in body for _status, body in answers.values())

    english = version_make(
        release, "en", title="Industry master plan", text="The meeting took place at City Hall."
    )

    assert stale(reader, paths, shows=lambda status, body: english_path in body) == []
    english.unpublish()
    assert stale(reader, paths, shows=lambda status, body: english_path not in body) == []


def test_a_move(reader, newsroom):
    other = PressIndexPageFactory(parent=newsroom.get_parent(), title="Archiv", slug="archiv")
    other.save_revision().publish()
    release = published(newsroom, title="Umzug", slug="umzug")
    old_url = release.url
    cached(reader, [*release_addresses(release), newsroom.url, other.url])

    release.move(other, pos="last-child")
    release.refresh_from_db()

    # Wagtail redirects the old address to the new one (an automatic redirect on move).
    status, headers, _body = reader.get(old_url)
    assert status in (301, 302, 404), status
    if status != 404:
        assert headers["location"].endswith("/archiv/umzug/")
    assert "umzug" not in reader.get(newsroom.url)[2]
    assert "umzug" in reader.get(other.url)[2]
    detail = json.loads(reader.get(f"/api/press/releases/{release.pk}")[2])
    assert detail["html_url"].endswith("/archiv/umzug/")
    assert reader.get(f"/api/v2/pages/{release.pk}/")[2].count("/archiv/umzug/") >= 1


def test_a_delete(reader, newsroom):
    release = published(newsroom, title="Gelöscht", slug="geloescht")
    paths = release_addresses(release) + list_addresses(newsroom)
    cached(reader, paths)
    addresses = release_addresses(release)

    release.delete()

    assert stale(reader, addresses, shows=lambda status, body: status == 404) == []
    gone = lambda status, body: "geloescht" not in body  # noqa: E731
    assert stale(reader, list_addresses(newsroom), shows=gone) == []


def test_a_view_restriction_on_an_ancestor(reader, newsroom):
    release = published(newsroom, title="Intern", slug="intern", lead="Nur für den Rat.")
    paths = release_addresses(release) + list_addresses(newsroom)
    cached(reader, paths)

    PageViewRestriction.objects.create(
        page=newsroom.get_parent(), restriction_type=PageViewRestriction.PASSWORD, password="rat"
    )

    assert stale(reader, paths, shows=lambda status, body: "Nur für den Rat" not in body) == []
    # The password form is for one reader: not kept.
    _status, headers, _body = reader.get(release.url)
    assert "private" in headers["cache-control"] and headers["x-cache"] == "MISS"


def test_a_photo_s_rights_end(reader, newsroom):
    image = ImageFactory()
    PhotoRights.objects.create(
        image=image,
        credit="Foto: Agentur Nordlicht",
        licence="Nur redaktionell",
        rights_end=timezone.now() + datetime.timedelta(hours=1),
    )
    release = published(
        newsroom,
        title="Mit Foto",
        body=[body_image(image, credit=""), body_paragraph("<p>Text</p>")],
    )
    paths = [release.url, release.url + "text/", f"/api/press/releases/{release.pk}"]
    paths += [f"/api/press/releases/{release.pk}/ninjs"]
    answers = cached(reader, paths)
    assert [
        path for path, (_status, body) in answers.items() if "Agentur Nordlicht" not in body
    ] == []

    PhotoRights.objects.filter(image=image).update(
        rights_end=timezone.now() - datetime.timedelta(seconds=1)
    )
    call_command("press_photo_rights_expire")

    assert stale(reader, paths, shows=lambda status, body: "Agentur Nordlicht" not in body) == []


def test_a_topic_renamed(reader, newsroom):
    topic = TopicFactory(name="Verkehr", slug="verkehr")
    release = PressReleasePageFactory(parent=newsroom, live=False, title="Neue Buslinie")
    release.topics.add(topic)
    release.save_revision().publish()
    release.refresh_from_db()
    paths = [
        release.url,
        newsroom.url,
        newsroom.url + "thema/verkehr/",
        newsroom.url + "thema/verkehr/rss/",
        f"/api/press/releases/{release.pk}",
        "/api/press/topics",
    ]
    cached(reader, paths)

    topic.name = "Mobilität"
    topic.save()

    assert stale(reader, paths, shows=lambda status, body: "Mobilit" in body) == []


def test_a_contact_changed(reader, newsroom):
    release = published(newsroom, title="Mit Kontakt")
    paths = [
        release.url,
        f"/api/press/releases/{release.pk}",
        f"/api/press/releases/{release.pk}/ninjs",
    ]
    cached(reader, paths)

    contact = release.contact
    contact.name = "Jana Neumann"
    contact.save()

    assert stale(reader, paths, shows=lambda status, body: "Jana Neumann" in body) == []


def test_the_office_settings_changed(reader, newsroom):
    release = published(newsroom, title="Amtlich")
    paths = [
        release.url,
        newsroom.url,
        newsroom.url + "rss/",
        f"/api/press/releases/{release.pk}/ninjs",
    ]
    cached(reader, paths)

    office = PressSettings.for_site(Site.objects.get(is_default_site=True))
    office.office_name = "Amt für Kommunikation Neustadt"
    office.save()

    shows = lambda status, body: "Amt für Kommunikation Neustadt" in body  # noqa: E731
    assert stale(reader, paths, shows=shows) == []


def test_an_embargo_link_revoked(reader, newsroom):
    release = PressReleasePageFactory(parent=newsroom, live=False, title="Geheim bis morgen")
    release.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    release.save_revision().publish()
    link = embargo_link_create(release=release)
    path = link.get_absolute_url()
    status, headers, body = reader.get(path)
    assert status == 200 and "Geheim bis morgen" in body
    assert headers["cache-control"] == "private, no-store"

    link.revoke()

    status, _headers, body = reader.get(path)
    assert status == 404 and "Geheim bis morgen" not in body


def test_grace_while_the_cms_is_down_but_never_for_a_purged_address(reader, newsroom, settings):
    settings.PRESS = {**settings.PRESS, "EDGE_MAX_AGE": 1}
    kept = published(newsroom, title="Bleibt lesbar")
    purged = published(newsroom, title="Wird korrigiert")
    cached(reader, [kept.url, purged.url])

    purged.title = "Korrigiert"
    purged.save_revision().publish()  # purges its answers
    reader.relay.down()
    try:
        time.sleep(1.5)  # the copies are past their max-age now
        deadline = time.monotonic() + 15
        while True:  # until Varnish's probe has seen the CMS down
            status, headers, body = reader.get(kept.url)
            if status == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.25)
        assert status == 200 and "Bleibt lesbar" in body
        assert int(headers.get("age", "0")) >= 1  # past its max-age: served in grace

        status, _headers, body = reader.get(purged.url)
        assert status == 503 and "Wird korrigiert" not in body
    finally:
        reader.relay.up()


def test_a_purged_address_is_fetched_while_the_probe_gets_no_answer(reader, newsroom, settings):
    """The spike (bench/spike.py): a CMS too busy to answer the health probe in time still
    answers its readers. The probe only decides whether a stale copy may be served; an address
    that was purged is fetched from the CMS all the same, not answered 503 without asking it."""
    settings.PRESS = {**settings.PRESS, "EDGE_MAX_AGE": 1}
    kept = published(newsroom, title="Bleibt lesbar")
    changed = published(newsroom, title="Erste Fassung")
    cached(reader, [kept.url, changed.url])

    reader.relay.probes_unanswered = True
    try:
        deadline = time.monotonic() + 60
        while True:  # until the probe has called the CMS down: the expired copy comes in grace
            time.sleep(0.25)
            status, headers, body = reader.get(kept.url)
            if int(headers.get("age", "0")) >= 1 or time.monotonic() > deadline:
                break
        assert status == 200 and "Bleibt lesbar" in body
        assert int(headers.get("age", "0")) >= 1  # past its max-age: served in grace

        changed.title = "Zweite Fassung"
        changed.save_revision().publish()  # purges its answers

        status, _headers, body = reader.get(changed.url)
        assert status == 200 and "Zweite Fassung" in body, (status, body[:300])
    finally:
        reader.relay.probes_unanswered = False
