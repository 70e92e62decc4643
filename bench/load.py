#!/usr/bin/env python3
"""Loopback load test: gunicorn on production settings under 50 concurrent connections.

    .venv/bin/python bench/load.py                  # 50 connections for 60 s (issue 4 §4)
    .venv/bin/python bench/load.py --duration 10    # the short run .ci/run does

Builds a throwaway site in a temporary directory (SQLite, collectstatic, migrate,
load_demo_content), starts gunicorn with cms.settings.production on 127.0.0.1 only, finds the
newsroom, the seed release, its text version and the API addresses through API v2 (and the
press API's parameterless GET endpoints through its OpenAPI document, when it is mounted),
checks each answers 200 once, then lets `wrk` rotate over them for the given time.

Prints a table (requests, rps, latency percentiles, errors, 5xx) and exits non-zero on any
socket error, timeout, 5xx or other non-2xx answer. Not a test: figures depend on the machine.
Needs `wrk` (Debian/Ubuntu: apt-get install wrk). Everything stops by itself: wrk after
--duration, gunicorn when the run ends, and the whole run is bounded by a hard timeout.
"""

import argparse
import json
import os
import runpy
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import results_append, table_print  # noqa: E402

HOST = "127.0.0.1"

# Rotates over the paths given after `--`, counts answers by class per thread, and reports
# the totals as one JSON line from done() (wrk's own summary does not split out 5xx).
WRK_SCRIPT = r"""
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  paths = args
  counter = math.random(#paths)
  server_errors = 0
  other_non_2xx = 0
end

function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end

function response(status, headers, body)
  if status >= 500 then
    server_errors = server_errors + 1
  elseif status >= 300 then
    other_non_2xx = other_non_2xx + 1
  end
end

function done(summary, latency, requests)
  local server, other = 0, 0
  for _, thread in ipairs(threads) do
    server = server + thread:get("server_errors")
    other = other + thread:get("other_non_2xx")
  end
  io.write(string.format(
    'WRK_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, '
    .. '"connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d, '
    .. '"server_errors": %d, "other_non_2xx": %d, '
    .. '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout, summary.errors.status, server, other,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def fetch(url: str, *, timeout: float = 10) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def fetch_json(url: str) -> dict:
    status, body = fetch(url)
    if status != 200:
        raise SystemExit(f"GET {url} answered {status}")
    return json.loads(body)


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def manage(*args: str, env: dict[str, str]) -> None:
    finished = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
        timeout=300,
    )
    if finished.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed with {finished.returncode}")


def site_prepare(*, workdir: Path, port: int) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "MEDIA_ROOT": str(workdir / "media"),
        "STATIC_ROOT": str(workdir / "static"),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "WAGTAILADMIN_BASE_URL": f"http://{HOST}:{port}",
        "WAGTAILAPI_BASE_URL": f"http://{HOST}:{port}",
        "LOG_LEVEL": "WARNING",
    }
    print("preparing a throwaway site (collectstatic, migrate, load_demo_content) …", flush=True)
    manage("collectstatic", "--noinput", env=env)
    manage("migrate", "--noinput", env=env)
    manage("load_demo_content", env=env)
    return env


def server_start(*, env: dict[str, str], port: int, workers: int | None, log: Path):
    server_env = {**env, "GUNICORN_BIND": f"{HOST}:{port}", "GUNICORN_ACCESSLOG": ""}
    if workers:
        server_env["WEB_CONCURRENCY"] = str(workers)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "gunicorn.conf.py",
            "cms.wsgi:application",
        ],
        cwd=ROOT,
        env=server_env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    # Ready means Django answers, not merely that the socket listens: workers import the
    # whole site first, which takes seconds on a busy machine.
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}: {log.read_text()}")
        try:
            fetch(f"http://{HOST}:{port}/api/v2/pages/?limit=1", timeout=30)
            return process
        except OSError:
            time.sleep(0.5)
    server_stop(process)
    raise SystemExit("gunicorn did not answer within 90 s")


def server_stop(process) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def targets_discover(*, base: str) -> list[str]:
    """The addresses a reader, a journalist and a frontend hit, found the way they find them."""
    releases = fetch_json(
        f"{base}/api/v2/pages/?type=press.PressReleasePage&fields=text_url&order=-release_date"
    )["items"]
    if not releases:
        raise SystemExit("no published release in the demo content")
    release = releases[0]
    newsrooms = fetch_json(f"{base}/api/v2/pages/?type=press.PressIndexPage")["items"]
    if not newsrooms:
        raise SystemExit("no newsroom in the demo content")
    paths = [
        path_of(newsrooms[0]["meta"]["html_url"]),
        path_of(release["meta"]["html_url"]),
        path_of(release["text_url"]),
        "/api/v2/pages/?type=press.PressReleasePage&fields=release_date,contact,text_url",
        f"/api/v2/pages/{release['id']}/",
    ]
    status, body = fetch(f"{base}/api/press/openapi.json")
    if status == 200:
        # The list and the detail of a release, as far as the document names them.
        documented = json.loads(body).get("paths", {})
        for template in ("/api/press/releases", "/api/press/releases/{id}"):
            if "get" in documented.get(template, {}):
                paths.append(template.replace("{id}", str(release["id"])))
    else:
        print(f"press API not mounted (/api/press/openapi.json: {status}); API v2 only")
    return paths


def targets_check(*, base: str, paths: list[str]) -> None:
    for path in paths:
        status, _body = fetch(base + path)
        if status != 200:
            raise SystemExit(f"GET {path} answered {status} before the load started")


def wrk_run(*, base: str, paths: list[str], duration: int, connections: int, threads: int):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        command = [
            "wrk",
            f"--threads={threads}",
            f"--connections={connections}",
            f"--duration={duration}s",
            "--timeout=10s",
            f"--script={script.name}",
            base + "/",
            "--",
            *paths,
        ]
        finished = subprocess.run(
            command, capture_output=True, text=True, timeout=duration + 60, check=False
        )
    finally:
        os.unlink(script.name)
    if finished.returncode != 0:
        raise SystemExit(f"wrk failed ({finished.returncode}): {finished.stderr}")
    for line in finished.stdout.splitlines():
        if line.startswith("WRK_RESULT "):
            return json.loads(line.removeprefix("WRK_RESULT "))
    raise SystemExit(f"no result from wrk:\n{finished.stdout}\n{finished.stderr}")


def report_print(*, result: dict, paths: list[str], connections: int, workers: str) -> str:
    seconds = result["duration_us"] / 1_000_000
    errors = result["connect"] + result["read"] + result["write"] + result["timeout"]
    rows = [
        ("URLs rotated", str(len(paths))),
        ("connections", str(connections)),
        ("gunicorn workers", workers),
        ("duration", f"{seconds:.1f} s"),
        ("requests", f"{result['requests']}"),
        ("requests/s", f"{result['requests'] / seconds:.1f}"),
        ("latency p50", f"{result['p50_us'] / 1000:.1f} ms"),
        ("latency p95", f"{result['p95_us'] / 1000:.1f} ms"),
        ("latency p99", f"{result['p99_us'] / 1000:.1f} ms"),
        ("latency max", f"{result['max_us'] / 1000:.1f} ms"),
        ("socket errors/timeouts", str(errors)),
        ("5xx answers", str(result["server_errors"])),
        ("other non-2xx", str(result["other_non_2xx"])),
    ]
    print("\nURLs:")
    for path in paths:
        print(f"  {path}")
    print()
    return table_print(
        title="Load test: " + ", ".join(paths),
        header=["Figure", "Value"],
        rows=[list(row) for row in rows],
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of load (default 60)")
    parser.add_argument("--connections", type=int, default=50, help="concurrent connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py)")
    args = parser.parse_args()
    if not 1 <= args.duration <= 600:
        parser.error("--duration must be between 1 and 600 seconds")
    if not shutil.which("wrk"):
        parser.error("wrk is not installed (Debian/Ubuntu: apt-get install wrk)")

    port = free_port()
    base = f"http://{HOST}:{port}"
    workdir = Path(tempfile.mkdtemp(prefix="press-bench-"))
    log = workdir / "gunicorn.log"
    process = None
    try:
        env = site_prepare(workdir=workdir, port=port)
        process = server_start(env=env, port=port, workers=args.workers, log=log)
        paths = targets_discover(base=base)
        targets_check(base=base, paths=paths)
        print(f"{args.connections} connections for {args.duration} s against {base} …", flush=True)
        result = wrk_run(
            base=base,
            paths=paths,
            duration=args.duration,
            connections=args.connections,
            threads=args.threads,
        )
    finally:
        if process is not None:
            server_stop(process)
        server_log = log.read_text(errors="replace") if log.exists() else ""
        shutil.rmtree(workdir, ignore_errors=True)

    workers = str(args.workers or runpy.run_path(str(ROOT / "gunicorn.conf.py"))["workers"])
    table = report_print(result=result, paths=paths, connections=args.connections, workers=workers)
    results_append(bench="load.py", tables=[table])
    failures = (
        result["connect"]
        + result["read"]
        + result["write"]
        + result["timeout"]
        + result["server_errors"]
        + result["other_non_2xx"]
    )
    if failures:
        print(f"\nFAIL: {failures} failed requests", file=sys.stderr)
        if "Traceback" in server_log:
            print(server_log[-4000:], file=sys.stderr)
        return 1
    print("\nOK: no errors, no 5xx")
    return 0


if __name__ == "__main__":
    sys.exit(main())
