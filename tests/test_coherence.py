"""Several gunicorn workers on the production settings, as a site really runs.

- A release withdrawn by another process (the admin, `publish_scheduled`, an import) is gone
  from every channel of every worker on the next request, whether the workers share a Redis
  cache or each has its own local memory: the database decides what is shown.
- A Redis that cannot be reached is a cache miss and a logged warning, never an error page.

Real processes throughout: `manage.py` for set-up and changes, gunicorn with three workers,
HTTP over loopback, and the real Redis on 127.0.0.1:6379 where a cache is shared.
"""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.processes import manage

pytestmark = pytest.mark.processes

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SEED_TITLE = "Masterplan Industrie"
WORKERS = 3


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A production site on a SQLite file: migrated, demo content (the seed release) loaded."""
    work = tmp_path_factory.mktemp("coherence")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
        "MEDIA_ROOT": str(work / "media"),
        "PRIVATE_MEDIA_ROOT": str(work / "private-media"),
        "STATIC_ROOT": str(work / "static"),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    for command in (
        ["collectstatic", "--noinput"],
        ["migrate", "--noinput"],
        ["load_demo_content"],
    ):
        manage(env, *command)
    return env


def shell(env: dict, code: str) -> str:
    return manage(env, "shell", "-c", code)


class Server:
    def __init__(self, env: dict, log: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.env = {
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(WORKERS),
            "GUNICORN_PRELOAD": "false",
            "GUNICORN_ACCESSLOG": "",
            "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{self.port}",
        }

    def __enter__(self):
        self.handle = open(self.log, "w")
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "cms.wsgi:application"],
            cwd=ROOT,
            env=self.env,
            stdout=self.handle,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited:\n{self.log.read_text()}")
            try:
                self.get("/api/press/releases?limit=1")
                return self
            except (OSError, urllib.error.URLError):
                time.sleep(0.3)
        raise AssertionError(f"gunicorn did not answer:\n{self.log.read_text()}")

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.handle.close()

    def get(self, path: str) -> tuple[int, str]:
        request = urllib.request.Request(self.base + path, headers={"Connection": "close"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def seed_publish(env: dict) -> None:
    shell(
        env,
        "from press.models import PressReleasePage as P; "
        f"r = P.objects.get(title__startswith={SEED_TITLE!r}); "
        "r.get_latest_revision().publish()",
    )


def seed_paths(env: dict) -> dict[str, str]:
    output = shell(
        env,
        "from press.models import PressReleasePage as P; "
        f"r = P.objects.get(title__startswith={SEED_TITLE!r}); "
        "print(r.pk, r.url, r.get_parent().url)",
    )
    pk, url, newsroom = output.strip().splitlines()[-1].split()
    return {
        "press API list": "/api/press/releases",
        "press API detail": f"/api/press/releases/{pk}",
        "press API by path": f"/api/press/releases/by-path?path={url}",
        "API v2 list": "/api/v2/pages/?type=press.PressReleasePage",
        "API v2 detail": f"/api/v2/pages/{pk}/",
        "release page": url,
        "text version": f"{url}text/",
        "newsroom": newsroom,
        "RSS": f"{newsroom}rss/",
        "sitemap": "/sitemap.xml",
        "home": "/",
    }


def shows_seed(status: int, body: str) -> bool:
    return status == 200 and SEED_TITLE in body


CACHES = {
    "each worker its own memory": None,
    "shared Redis": "redis://127.0.0.1:6379/14",
}


@pytest.mark.parametrize("cache", CACHES)
def test_a_release_withdrawn_elsewhere_is_gone_from_every_worker(site, tmp_path, cache):
    env = dict(site)
    if CACHES[cache]:
        if not redis_reachable():
            pytest.fail("Redis is expected on 127.0.0.1:6379 (it runs on this machine and in CI)")
        env["REDIS_URL"] = CACHES[cache]
    seed_publish(env)  # live again, whatever an earlier test did to it
    paths = seed_paths(env)
    with Server(env, tmp_path / "gunicorn.log") as server:
        # Every worker answers every channel at least once (and caches what it caches).
        for _ in range(WORKERS * 2):
            for name, path in paths.items():
                status, body = server.get(path)
                if name != "sitemap":
                    assert shows_seed(status, body), (name, status)
                else:
                    assert status == 200

        shell(
            env,
            "from press.models import PressReleasePage as P; "
            f"P.objects.get(title__startswith={SEED_TITLE!r}).unpublish()",
        )

        stale = []
        for round_ in range(3):
            for name, path in paths.items():
                status, body = server.get(path)
                if name in {
                    "press API detail",
                    "press API by path",
                    "API v2 detail",
                    "release page",
                    "text version",
                }:
                    if status != 404:
                        stale.append((round_, name, status))
                elif SEED_TITLE in body or status != 200:
                    stale.append((round_, name, status))
        assert stale == [], f"stale or failed answers after the unpublish: {stale}"


def test_an_unreachable_redis_is_a_cache_miss_not_an_error_page(site, tmp_path):
    env = dict(site)
    env["REDIS_URL"] = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    seed_publish(env)  # live again, whatever an earlier test did to it
    paths = seed_paths(env)
    log = tmp_path / "gunicorn.log"
    with Server(env, log) as server:
        answers = {name: server.get(path)[0] for name, path in paths.items()}
    assert answers == dict.fromkeys(paths, 200)
    # The outage is logged once per worker process when it starts (cms/cache.py's breaker),
    # not once for every cache call django-redis turned into a miss.
    text = log.read_text()
    assert "Redis (cache) unreachable" in text
    assert "Exception ignored" not in text
