#!/usr/bin/env python3
"""Spike bench (issue 21 §4): a crisis release and the newsroom under 200 connections, through
Varnish and straight at the same gunicorn, while the release is published again every 5 s.

    .venv/bin/python bench/spike.py                      # 200 connections, 30 s each run
    .venv/bin/python bench/spike.py --duration 10        # shorter

Builds a throwaway site (as bench/load.py: SQLite, production settings, demo content), starts
gunicorn and varnishd with deploy/varnish/default.vcl on loopback (the CMS purges it), then:

1. wrk on the release page and the newsroom through Varnish, while a publisher process
   republishes the release with a new title every 5 s and, right after each publish, reads
   both addresses through Varnish: an answer without the new title is a stale answer;
2. the same straight at gunicorn;
3. wrk on a static file of the release page's size through Varnish (Varnish's own rate).

Reports requests/s, p99 and errors of each run, Varnish's fetches from the CMS per address per
change (request coalescing: at most 1), and the stale and the failed reads after each purge.
Appends the table to bench/results.md. Needs wrk and varnish + varnish-modules. Bounded: every
process is stopped when the run ends and each step has a timeout.
"""

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import results_append, table_print  # noqa: E402
from bench.load import (  # noqa: E402
    HOST,
    fetch,
    fetch_json,
    free_port,
    path_of,
    server_start,
    server_stop,
    wrk_run,
)
from deploy.varnish.edge import process_stop, varnishd_start  # noqa: E402

PUBLISH_EVERY = 5


def publisher(*, edge: str, release_id: int, newsroom_path: str, seconds: float) -> None:
    """Runs in its own process on the bench's settings: republish the release every
    PUBLISH_EVERY s with a new title; after each, one JSON line with the stale answers."""
    import django

    django.setup()
    from press.models import PressReleasePage

    deadline = time.monotonic() + seconds
    number = 0
    while time.monotonic() < deadline:
        time.sleep(PUBLISH_EVERY)
        number += 1
        marker = f"Spike-{os.getpid()}-{number}"
        release = PressReleasePage.objects.get(pk=release_id)
        release.title = f"Masterplan Industrie {marker}"
        release.save_revision().publish()  # purges once committed (autocommit: now)
        release.refresh_from_db()
        stale = failed = 0
        for path in (release.url, newsroom_path):
            try:
                with urllib.request.urlopen(edge + path, timeout=30) as response:
                    if marker not in response.read().decode():
                        stale += 1
            except OSError as error:  # an error is counted as one, not as a stale answer
                failed += 1
                print(f"publisher: change {number}: {path}: {error}", file=sys.stderr, flush=True)
        print(json.dumps({"change": number, "stale": stale, "failed": failed}), flush=True)


def spike_site_prepare(*, workdir: Path, port: int) -> dict[str, str]:
    """bench/load.py's throwaway site, with the collected static files kept between runs in the
    temporary directory (compressing every file takes minutes on a busy machine and is not
    what is measured)."""
    static = Path(tempfile.gettempdir()) / "press-spike-static"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "MEDIA_ROOT": str(workdir / "media"),
        "STATIC_ROOT": str(static),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "WAGTAILADMIN_BASE_URL": f"http://{HOST}:{port}",
        "WAGTAILAPI_BASE_URL": f"http://{HOST}:{port}",
        "LOG_LEVEL": "WARNING",
    }
    print("preparing a throwaway site (collectstatic once, migrate, demo content) …", flush=True)
    commands = [["migrate", "--noinput"], ["load_demo_content"]]
    if not (static / "staticfiles.json").exists():
        commands.insert(0, ["collectstatic", "--noinput"])
    for command in commands:
        # Longer than bench/load.py allows: on a busy machine these take minutes.
        subprocess.run(
            [sys.executable, "manage.py", *command, "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=1800,
            stdout=subprocess.DEVNULL,
        )
    return env


def varnish_backend_requests(workdir: Path) -> int:
    finished = subprocess.run(
        ["varnishstat", "-n", str(workdir / "varnish"), "-1", "-f", "MAIN.backend_req"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return int(finished.stdout.split()[1])


def run_with_publisher(*, env, base, edge, paths, release_id, args) -> tuple[dict, list[dict]]:
    command = [
        sys.executable,
        __file__,
        "--publisher",
        "--edge",
        edge,
        "--release-id",
        str(release_id),
        "--newsroom-path",
        paths[1],
        "--duration",
        str(args.duration),
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        result = wrk_run(
            base=base,
            paths=paths,
            duration=args.duration,
            connections=args.connections,
            threads=args.threads,
        )
        out, _err = process.communicate(timeout=args.duration + 60)
    finally:
        process_stop(process)
    changes = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    return result, changes


def figures(result: dict) -> tuple[float, float, int]:
    seconds = result["duration_us"] / 1_000_000
    errors = sum(result[key] for key in ("connect", "read", "write", "timeout"))
    errors += result["server_errors"] + result["other_non_2xx"]
    if errors:
        print(
            "  errors: {connect} connect, {read} read, {write} write, {timeout} timeout, "
            "{server_errors} 5xx, {other_non_2xx} other non-2xx".format(**result),
            flush=True,
        )
    return result["requests"] / seconds, result["p99_us"] / 1000, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int)
    parser.add_argument("--publisher", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--edge", help=argparse.SUPPRESS)
    parser.add_argument("--release-id", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--newsroom-path", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.publisher:
        publisher(
            edge=args.edge,
            release_id=args.release_id,
            newsroom_path=args.newsroom_path,
            seconds=args.duration,
        )
        return 0
    if not 1 <= args.duration <= 120:
        parser.error("--duration must be between 1 and 120 seconds")
    for tool in ("wrk", "varnishd"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            parser.error(f"{tool} is not installed")

    port, edge_port = free_port(), free_port()
    base, edge = f"http://{HOST}:{port}", f"http://{HOST}:{edge_port}"
    workdir = Path(tempfile.mkdtemp(prefix="press-spike-"))
    log = workdir / "gunicorn.log"
    server = varnish = None
    try:
        env = spike_site_prepare(workdir=workdir, port=port)
        env["FRONTEND_CACHE_VARNISH_URL"] = edge
        server = server_start(env=env, port=port, workers=args.workers, log=log)
        release = fetch_json(
            f"{base}/api/v2/pages/?type=press.PressReleasePage&search=Masterplan&fields=title"
        )["items"][0]
        newsroom = fetch_json(f"{base}/api/v2/pages/?type=press.PressIndexPage")["items"][0]
        paths = [path_of(release["meta"]["html_url"]), path_of(newsroom["meta"]["html_url"])]
        _status, page = fetch(base + paths[0])
        # A static file of the release page's size, served by whitenoise and kept by Varnish.
        static_name = "spike-same-size.html"
        (Path(env["STATIC_ROOT"]) / static_name).write_bytes(b"x" * len(page))
        server_stop(server)
        server = server_start(env=env, port=port, workers=args.workers, log=log)
        varnish = varnishd_start(
            backend=f"{HOST}:{port}",
            listen=f"{HOST}:{edge_port}",
            workdir=workdir,
            log=(workdir / "varnishd.log").open("wb"),
        )
        for path in paths:
            fetch(edge + path)
        # Varnish's own rate first, while the CMS is idle (after the run straight at gunicorn
        # it is still working off its backlog and Varnish's probe may call it down).
        print("a static file of the same size through Varnish …", flush=True)
        static_path = f"/static/{static_name}"
        status, _body = fetch(edge + static_path)
        if status != 200:
            raise SystemExit(f"GET {static_path} through Varnish answered {status}")
        static_result = wrk_run(
            base=edge,
            paths=[static_path],
            duration=args.duration,
            connections=args.connections,
            threads=args.threads,
        )
        print(f"{args.connections} connections, {args.duration} s, through Varnish …", flush=True)
        # Warm again: the copies from before the static run may have reached their max-age, and
        # refetching them is no fetch a change caused.
        for path in paths:
            fetch(edge + path)
        before = varnish_backend_requests(workdir)
        edge_result, edge_changes = run_with_publisher(
            env=env, base=edge, edge=edge, paths=paths, release_id=release["id"], args=args
        )
        fetched = varnish_backend_requests(workdir) - before
        print("… straight at gunicorn …", flush=True)
        origin_result, origin_changes = run_with_publisher(
            env=env, base=base, edge=edge, paths=paths, release_id=release["id"], args=args
        )
    finally:
        process_stop(varnish)
        if server is not None:
            server_stop(server)
        shutil.rmtree(workdir, ignore_errors=True)

    edge_rate, edge_p99, edge_errors = figures(edge_result)
    origin_rate, origin_p99, origin_errors = figures(origin_result)
    static_rate, static_p99, static_errors = figures(static_result)
    changes = len(edge_changes)
    per_change = fetched / (changes * len(paths)) if changes else float("nan")
    stale = sum(change["stale"] for change in edge_changes + origin_changes)
    reads = 2 * len(edge_changes + origin_changes)
    edge_failed = sum(change["failed"] for change in edge_changes)
    origin_failed = sum(change["failed"] for change in origin_changes)
    rows = [
        ["through Varnish", f"{edge_rate:.0f}", f"{edge_p99:.1f}", str(edge_errors)],
        ["straight at gunicorn", f"{origin_rate:.0f}", f"{origin_p99:.1f}", str(origin_errors)],
        [
            "static file, same size, Varnish",
            f"{static_rate:.0f}",
            f"{static_p99:.1f}",
            str(static_errors),
        ],
    ]
    table = table_print(
        title=(
            f"Spike: {args.connections} connections, {args.duration} s on {', '.join(paths)} "
            f"({len(page)} bytes), republished every {PUBLISH_EVERY} s"
        ),
        header=["Run", "requests/s", "p99 ms", "errors"],
        rows=rows,
    )
    summary = table_print(
        title="Spike: edge figures",
        header=["Figure", "Value"],
        rows=[
            ["edge rate / Varnish static-file rate", f"{edge_rate / static_rate:.2f}"],
            ["edge rate / gunicorn rate", f"{edge_rate / origin_rate:.1f}"],
            ["changes during the Varnish run", str(changes)],
            ["CMS fetches per address per change", f"{per_change:.2f}"],
            ["stale answers right after a purge", f"{stale} of {reads}"],
            # Not counted as stale: a read through Varnish that failed (503, a timeout).
            [
                "failed reads right after a purge (Varnish run, gunicorn run)",
                f"{edge_failed} of {2 * len(edge_changes)}, "
                f"{origin_failed} of {2 * len(origin_changes)}",
            ],
        ],
    )
    results_append(bench="spike.py", tables=[table, summary])
    return 1 if edge_errors or stale or edge_failed else 0


if __name__ == "__main__":
    sys.exit(main())
