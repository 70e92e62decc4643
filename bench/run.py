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
    cold: bool = False  # clear the release cache before each call


def cases_build(*, newsroom, release) -> list[Case]:
    list_query = "limit=20"
    v2_list = "pages/?type=press.PressReleasePage&fields=*&limit=20"
    release_path = release.url
    etag = wsgi_get(f"/api/press/releases/{release.pk}").headers.get("ETag", "")
    list_etag = wsgi_get(f"/api/press/releases?{list_query}").headers.get("ETag", "")
    return [
        Case(
            "Press-API Liste (20 volle PM)",
            f"/api/press/releases?{list_query}",
            peer_url=f"/bench/stock/v2/{v2_list}",
            limit=3.0,
            peer_factor=3.0,
        ),
        Case(
            "Press-API Liste (20), Cache kalt",
            f"/api/press/releases?{list_query}",
            peer_url=f"/bench/stock/v2/{v2_list}",
            cold=True,
        ),
        Case(
            "Press-API Detail",
            f"/api/press/releases/{release.pk}",
            peer_url=f"/bench/stock/v2/pages/{release.pk}/",
        ),
        Case("Press-API Pfad-Suche", f"/api/press/releases/by-path?path={release_path}"),
        Case(
            "API v2 Liste (20, fields=*)",
            f"/api/v2/{v2_list}",
            peer_url=f"/bench/stock/v2/{v2_list}",
        ),
        Case(
            "API v2 Detail",
            f"/api/v2/pages/{release.pk}/",
            peer_url=f"/bench/stock/v2/pages/{release.pk}/",
        ),
        Case("Newsroom (HTML)", newsroom.url),
        Case("Pressemitteilung (HTML)", release_path),
        Case("Textversion", f"{release_path}text/"),
        Case("RSS-Feed", f"{newsroom.url}rss/"),
        Case(
            "304 Detail (If-None-Match)",
            f"/api/press/releases/{release.pk}",
            headers={"If-None-Match": etag},
            limit=1.2,
        ),
        Case(
            "304 Liste (If-None-Match)",
            f"/api/press/releases?{list_query}",
            headers={"If-None-Match": list_etag},
            limit=1.2,
        ),
        Case("Cache-Treffer Detail", f"/api/press/releases/{release.pk}", limit=1.2),
    ]


def case_measure(case: Case, *, rounds: int) -> list[str]:
    from django.core.cache import cache

    from bench.views import RECORDED

    def target():
        if case.cold:
            cache.clear()
        return wsgi_get(case.url, case.headers)

    answer = target()
    if answer.status >= 400:
        return [case.name, str(answer.status), "–", "–", "–", "–", "nicht verfügbar"]
    RECORDED[case.name] = (answer.status, answer.content_type, answer.body)
    reference_url = f"/bench/reference/{case.name}"
    reference = wsgi_get(reference_url)
    assert reference.body == answer.body and reference.status == answer.status, case.name

    calls = {"reference": lambda: wsgi_get(reference_url), "target": target}
    if case.peer_url:
        calls["peer"] = lambda: wsgi_get(case.peer_url)
    comparison = compare(calls, base="reference", rounds=rounds)
    ratio = comparison.median("target")
    queries = queries_count(target)
    verdict = []
    if case.limit is not None:
        verdict.append(f"≤ {case.limit:.1f}× " + ("✓" if ratio <= case.limit else "✗"))
    peer_cell = "–"
    if case.peer_url:
        speedup = comparison.median("peer") / ratio
        peer_queries = queries_count(lambda: wsgi_get(case.peer_url))
        peer_cell = f"{speedup:.1f}× ({peer_queries} SQL)"
        if case.peer_factor is not None:
            verdict.append(
                f"≥ {case.peer_factor:.0f}× schneller "
                + ("✓" if speedup >= case.peer_factor else "✗")
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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--only", default="", help="nur Fälle, deren Name dies enthält")
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

    rows = []
    for case in cases_build(newsroom=newsroom, release=release):
        if args.only and args.only.lower() not in case.name.lower():
            continue
        rows.append(case_measure(case, rounds=args.rounds))
        print("  " + " | ".join(rows[-1]), file=sys.stderr, flush=True)
    from django.db import connection

    table_print(
        title=(
            f"Bench: {args.releases} PM à 5 Absätze, 2 Zitate, 3 Fotos; {connection.vendor}; "
            f"Median aus {args.rounds} Runden"
        ),
        header=[
            "Fall",
            "Status",
            "Größe",
            "× Referenz",
            "SQL",
            "schneller als Stock-API v2 (SQL)",
            "Ziel",
        ],
        rows=rows,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
