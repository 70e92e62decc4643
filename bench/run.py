#!/usr/bin/env python
# ruff: noqa: RUF001  (the multiplication sign of the ratios is deliberate)
"""The bench suite: `python bench/run.py` (or `make bench`) prints one table of ratios.

Each case is measured against the trivial reference view serving the very bytes the case
answered (same status, same content type, same middleware); where stock Wagtail API v2 offers
the same releases (`fields=*`), it is measured in the same rounds as the peer.

    python bench/run.py [--releases 60] [--rounds 300] [--database-url URL]

Without --database-url a fresh SQLite file in a temporary directory holds the data; a
PostgreSQL URL names a database that is dropped and created for the run.
"""

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    compare,
    django_setup,
    postgres_database_recreate,
    queries_count,
    site_prepare,
    table_print,
    wsgi_get,
)


@dataclass
class Case:
    name: str
    url: str
    headers: dict | None = None
    peer_url: str | None = None
    limit: float | None = None  # target: at most this many times the reference
    peer_factor: float | None = None  # target: at least this many times faster than the peer
    # Before each call, untimed: "cache" empties Django's cache (a restart, an eviction, a new
    # worker), "publish" publishes another release first (for the target and the peer alike).
    before: str = ""
    rounds: int | None = None
    max_queries: int | None = None


def cases_build(*, newsroom, release) -> list[Case]:
    list_query = "limit=20"
    v2_list = "pages/?type=press.PressReleasePage&fields=*&limit=20"
    release_path = release.url
    etag = wsgi_get(f"/api/press/releases/{release.pk}").headers.get("ETag", "")
    list_etag = wsgi_get(f"/api/press/releases?{list_query}").headers.get("ETag", "")
    return [
        Case(
            "Press API list (20 full releases), empty cache",
            f"/api/press/releases?{list_query}",
            peer_url=f"/bench/stock/v2/{v2_list}",
            limit=3.0,
            peer_factor=10.0,
            before="cache",
            max_queries=5,
        ),
        Case(
            "Press API list (20), after another release is published",
            f"/api/press/releases?{list_query}",
            peer_url=f"/bench/stock/v2/{v2_list}",
            limit=3.0,
            peer_factor=10.0,
            before="publish",
            rounds=40,
        ),
        Case(
            "Press API detail, empty cache",
            f"/api/press/releases/{release.pk}",
            peer_url=f"/bench/stock/v2/pages/{release.pk}/",
            limit=3.0,
            before="cache",
        ),
        Case(
            "Press API by path, empty cache",
            f"/api/press/releases/by-path?path={release_path}",
            before="cache",
        ),
        Case(
            "API v2 list (20, fields=*), empty cache",
            f"/api/v2/{v2_list}",
            peer_url=f"/bench/stock/v2/{v2_list}",
            before="cache",
        ),
        Case("Release page (HTML), empty cache", release_path, limit=3.0, before="cache"),
        Case("Text version, empty cache", f"{release_path}text/", limit=3.0, before="cache"),
        Case("RSS feed (20), empty cache", f"{newsroom.url}rss/", limit=3.0, before="cache"),
        Case("Newsroom (HTML), empty cache", newsroom.url, before="cache"),
        Case(
            "304 detail (If-None-Match)",
            f"/api/press/releases/{release.pk}",
            headers={"If-None-Match": etag},
            limit=1.2,
        ),
        Case(
            "304 list (If-None-Match)",
            f"/api/press/releases?{list_query}",
            headers={"If-None-Match": list_etag},
            limit=1.2,
        ),
    ]


def case_measure(case: Case, *, rounds: int, other) -> list[str]:
    from django.core.cache import cache

    from bench.views import RECORDED

    def target():
        return wsgi_get(case.url, case.headers)

    def publish_other():
        other.get_latest_revision().publish()

    before = {"cache": cache.clear, "publish": publish_other}.get(case.before)
    answer = target()
    if answer.status >= 400:
        return [case.name, str(answer.status), "–", "–", "–", "–", "not available"]
    RECORDED[case.name] = (answer.status, answer.content_type, answer.body)
    reference_url = f"/bench/reference/{case.name}"
    reference = wsgi_get(reference_url)
    assert reference.body == answer.body and reference.status == answer.status, case.name

    calls = {"reference": lambda: wsgi_get(reference_url), "target": target}
    if case.peer_url:
        calls["peer"] = lambda: wsgi_get(case.peer_url)
    setups = {name: before for name in ("target", "peer") if before and name in calls}
    comparison = compare(calls, base="reference", rounds=case.rounds or rounds, setups=setups)
    ratio = comparison.median("target")
    if before:
        before()
    queries = queries_count(target)
    verdict = []
    if case.limit is not None:
        verdict.append(f"≤ {case.limit:.1f}× " + ("✓" if ratio <= case.limit else "✗"))
    if case.max_queries is not None:
        verdict.append(f"≤ {case.max_queries} SQL " + ("✓" if queries <= case.max_queries else "✗"))
    peer_cell = "–"
    if case.peer_url:
        speedup = comparison.median("peer") / ratio
        if before:
            before()
        peer_queries = queries_count(lambda: wsgi_get(case.peer_url))
        peer_cell = f"{speedup:.1f}× ({peer_queries} SQL)"
        if case.peer_factor is not None:
            verdict.append(
                f"≥ {case.peer_factor:.0f}× faster " + ("✓" if speedup >= case.peer_factor else "✗")
            )
    return [
        case.name,
        str(answer.status),
        f"{len(answer.body) / 1024:.1f} KiB",
        f"{ratio:.2f}×",
        str(queries),
        peer_cell,
        ", ".join(verdict) or "–",
    ]


def publishing_cost(*, releases: list) -> dict:
    """What a publication adds: one document built and stored, per release (median)."""
    import statistics
    import time

    from django.core.cache import cache

    from press.models import ReleaseDocument

    per_release = []
    reads = []
    for release in releases:
        start = time.perf_counter()
        ReleaseDocument.objects.store(release=release)
        per_release.append(time.perf_counter() - start)
        cache.clear()
        start = time.perf_counter()
        wsgi_get(f"/api/press/releases/{release.pk}")
        reads.append(time.perf_counter() - start)
    median = statistics.median(per_release)
    return {
        "per_release": median,
        "count": len(per_release),
        "ratio": median / statistics.median(reads),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--only", default="", help="only cases whose name contains this")
    args = parser.parse_args(argv)

    database_url = args.database_url
    if database_url.startswith("postgres"):
        postgres_database_recreate(database_url=database_url)
    elif not database_url:
        database_url = f"sqlite:///{tempfile.mkdtemp(prefix='press-bench-')}/bench.sqlite3"
    django_setup(database_url=database_url)

    from django.core.management import call_command

    from bench.generate import releases_generate
    from press.models import PressReleasePage

    call_command("migrate", verbosity=0)
    newsroom = site_prepare()
    releases_generate(parent=newsroom, count=args.releases, photos=3, seed=1, publish=True)
    release = PressReleasePage.objects.visible()[3]
    other = PressReleasePage.objects.visible().last()  # published before each "publish" round
    publishing = publishing_cost(releases=list(PressReleasePage.objects.visible()[:20]))

    rows = []
    for case in cases_build(newsroom=newsroom, release=release):
        if args.only and args.only.lower() not in case.name.lower():
            continue
        rows.append(case_measure(case, rounds=args.rounds, other=other))
        print("  " + " | ".join(rows[-1]), file=sys.stderr, flush=True)
    from django.db import connection

    table = table_print(
        title=(
            f"Bench: {args.releases} releases of 5 paragraphs, 2 quotes, 3 photos; "
            f"{connection.vendor}; median of {args.rounds} rounds"
        ),
        header=[
            "Case",
            "Status",
            "Size",
            "× reference",
            "SQL",
            "faster than stock API v2 (SQL)",
            "Target",
        ],
        rows=rows,
    )
    print(
        f"\nPublishing cost: building and storing one release document takes "
        f"{publishing['per_release'] * 1000:.1f} ms (median of {publishing['count']}, renditions "
        f"already made), {publishing['ratio']:.1f}× one cold press API detail read."
    )
    results_append(table=table)
    return 0


def results_append(*, table: str) -> None:
    """Each run's table, with its date and machine, at the end of bench/results.md."""
    import datetime
    import platform

    machine = f"{platform.node()}, {platform.machine()}, {platform.platform()}"
    machine += f", Python {platform.python_version()}"
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    with (Path(__file__).resolve().parent / "results.md").open("a", encoding="utf-8") as results:
        results.write(f"\n## {stamp}: {machine}\n\n{table}\n")


if __name__ == "__main__":
    raise SystemExit(main())
