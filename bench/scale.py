#!/usr/bin/env python
# ruff: noqa: RUF001, RUF002  (the multiplication sign of the ratios is deliberate)
"""Archive scale on PostgreSQL: `python bench/scale.py --database-url postgres://…/press_bench`.

Generates a small archive, measures list, year filter, path lookup and detail of the press API
against the trivial reference view, grows the archive to the large size and measures again.
Printed: each case's cost at the large size ÷ its cost at the small one (both as ratios to the
reference of their own run; target ≤ 1.3×), and full-text search (German configuration) ÷ the
plain list at the large size (target ≤ 1.3×). The response cache is cleared before every call:
this measures the database work, not press.cache.
"""

import argparse
import datetime
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    compare,
    django_setup,
    postgres_database_recreate,
    site_prepare,
    table_print,
    wsgi_get,
)


def cases_build(*, release) -> dict[str, str]:
    year = release.release_date.year
    return {
        "Liste (20)": "/api/press/releases?limit=20",
        f"Jahresfilter ({year})": f"/api/press/releases?year={year}&limit=20",
        "Pfad-Suche": f"/api/press/releases/by-path?path={release.url}",
        "Detail": f"/api/press/releases/{release.pk}",
        "Volltextsuche „Radschnellweg“": "/api/press/releases?q=Radschnellweg&limit=20",
    }


def stage_measure(*, cases: dict[str, str], rounds: int) -> dict[str, float]:
    """Each case's median ratio to the reference view serving its bytes, cache cleared."""
    from django.core.cache import cache

    from bench.views import RECORDED

    ratios = {}
    for number, (name, url) in enumerate(cases.items()):
        cache.clear()
        answer = wsgi_get(url)
        assert answer.status == 200, (name, answer.status)
        key = f"scale-{number}"  # ASCII: it goes into the reference view's URL
        RECORDED[key] = (answer.status, answer.content_type, answer.body)

        def target(url=url):
            cache.clear()
            return wsgi_get(url)

        def reference(key=key):
            cache.clear()  # the same cache work on both sides
            return wsgi_get(f"/bench/reference/{key}")

        ratios[name] = compare(
            {"ref": reference, "case": target}, base="ref", rounds=rounds
        ).median("case")
        print(f"  {name}: {ratios[name]:.2f}× Referenz", file=sys.stderr, flush=True)
    return ratios


def existing_measure(*, database_url: str, rounds: int) -> int:
    """Each case's ratio to the reference on the archive as it is (no generation)."""
    django_setup(database_url=database_url)
    from django.db import connection

    from press.models import PressReleasePage

    count = PressReleasePage.objects.visible().count()
    release = PressReleasePage.objects.visible()[min(500, count - 1)]
    ratios = stage_measure(cases=cases_build(release=release), rounds=rounds)
    table_print(
        title=f"{count:,} PM; {connection.vendor}; Median aus {rounds} Runden",
        header=["Fall", "× Referenz"],
        rows=[[name, f"{ratio:.2f}×"] for name, ratio in ratios.items()],
    )
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument(
        "--existing",
        action="store_true",
        help="measure the archive already in the database (no generation), e.g. after a change",
    )
    args = parser.parse_args(argv)
    if args.existing:
        return existing_measure(database_url=args.database_url, rounds=args.rounds)
    if args.database_url.startswith("postgres"):
        postgres_database_recreate(database_url=args.database_url)
    django_setup(database_url=args.database_url)

    from django.core.management import call_command
    from django.db import connection

    from bench.generate import releases_generate
    from press.models import PressReleasePage

    call_command("migrate", verbosity=0)
    newsroom = site_prepare()
    span = {"date_from": datetime.date(2000, 1, 1), "date_to": datetime.date(2024, 12, 31)}

    def generate(count: int, seed: int) -> float:
        started = time.perf_counter()
        releases_generate(parent=newsroom, count=count, seed=seed, publish=True, **span)
        seconds = time.perf_counter() - started
        print(f"  {count} PM erzeugt: {count / seconds:,.0f} PM/s", file=sys.stderr, flush=True)
        return count / seconds

    def analyze() -> None:
        if connection.vendor == "postgresql":  # fresh planner statistics after a bulk load
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    generate(args.small, 1)
    analyze()
    release = PressReleasePage.objects.visible()[args.small // 2]
    cases = cases_build(release=release)
    small = stage_measure(cases=cases, rounds=args.rounds)

    rates = []
    remaining = args.large - args.small
    seed = 2
    while remaining > 0:
        step = min(remaining, 20_000)
        rates.append(generate(step, seed))
        remaining -= step
        seed += 1
    analyze()
    large = stage_measure(cases=cases, rounds=args.rounds)

    rows = []
    for name in cases:
        growth = large[name] / small[name]
        rows.append(
            [
                name,
                f"{small[name]:.2f}×",
                f"{large[name]:.2f}×",
                f"{growth:.2f}×",
                f"≤ 1.3× {'✓' if growth <= 1.3 else '✗'}",
            ]
        )
    search = next(name for name in cases if name.startswith("Volltext"))
    versus_list = large[search] / large["Liste (20)"]
    rows.append(
        [
            f"{search} ÷ Liste bei {args.large:,}",
            "–",
            "–",
            f"{versus_list:.2f}×",
            f"≤ 1.3× {'✓' if versus_list <= 1.3 else '✗'}",
        ]
    )
    table_print(
        title=(
            f"Skalierung: {args.small:,} → {args.large:,} PM; {connection.vendor}; Median aus "
            f"{args.rounds} Runden; Erzeugen {min(rates or [0]):,.0f}–{max(rates or [0]):,.0f} PM/s"
        ),
        header=[
            "Fall",
            f"× Referenz bei {args.small:,}",
            f"bei {args.large:,}",
            "Wachstum",
            "Ziel",
        ],
        rows=rows,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
