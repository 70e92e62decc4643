#!/usr/bin/env python
# ruff: noqa: RUF001  (the multiplication sign of the ratios is deliberate)
"""Archive export throughput and memory: `python bench/export.py [--releases 4000]`.

Prints releases per second of `releases_export_text_zip` (the target is a rate: ≥ 20,000/s; the
best of three runs, the machines are shared) and the peak of Python memory while exporting a
quarter of the archive and the whole of it: flat memory means the two peaks are about equal,
and what the whole costs beyond the quarter, divided by the entries it adds, is the memory each
entry keeps until the archive is closed.
"""

import argparse
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    django_setup,
    postgres_database_recreate,
    results_append,
    site_prepare,
    table_print,
)


def export_measure(*, date_to=None) -> tuple[int, float, int]:
    from press.export import releases_export_text_zip

    with tempfile.TemporaryFile() as out:
        tracemalloc.start()
        started = time.perf_counter()
        count = releases_export_text_zip(out=out, date_to=date_to)
        seconds = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return count, seconds, peak


def export_rate(*, compress: bool, runs: int = 3) -> tuple[int, float]:
    """Releases per second, the best of `runs` exports of the whole archive."""
    from press.export import releases_export_text_zip

    best = float("inf")
    for _run in range(runs):
        with tempfile.TemporaryFile() as out:
            started = time.perf_counter()
            count = releases_export_text_zip(out=out, compress=compress)
            best = min(best, time.perf_counter() - started)
    return count, count / best


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=4000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args(argv)
    database_url = args.database_url
    if database_url.startswith("postgres"):
        postgres_database_recreate(database_url=database_url)
    elif not database_url:
        database_url = f"sqlite:///{tempfile.mkdtemp(prefix='press-bench-')}/export.sqlite3"
    django_setup(database_url=database_url)
    import datetime

    from django.core.management import call_command

    from bench.generate import releases_generate

    call_command("migrate", verbosity=0)
    releases_generate(
        parent=site_prepare(),
        count=args.releases,
        seed=3,
        publish=True,
        index=False,
        date_from=datetime.date(2000, 1, 1),
        date_to=datetime.date(2023, 12, 31),
    )
    from django.db import connection

    if connection.vendor == "postgresql":
        # Fresh planner statistics after the bulk load, as autovacuum would gather them: without,
        # PostgreSQL planned the export's cursor (which favours the first rows) ten times slower.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    export_measure(date_to=datetime.date(2000, 12, 31))  # warm-up: imports, caches
    # Throughput without tracemalloc (it slows Python down), memory with it.
    count, rate = export_rate(compress=True)
    _count, stored_rate = export_rate(compress=False)
    quarter, _s, quarter_peak = export_measure(date_to=datetime.date(2005, 12, 31))
    whole, _s, whole_peak = export_measure()
    verdict = "✓" if rate >= 20_000 else "✗"
    stored_verdict = "✓" if stored_rate >= 20_000 else "✗"
    ratio = whole_peak / quarter_peak
    per_entry = (whole_peak - quarter_peak) / (whole - quarter)
    table = table_print(
        title=f"Archive export (text versions as one ZIP); {connection.vendor}",
        header=["Measure", "Value", "Target"],
        rows=[
            [f"Throughput ({count} releases)", f"{rate:,.0f} releases/s", f"≥ 20,000/s {verdict}"],
            [
                "… uncompressed (`compress=False`)",
                f"{stored_rate:,.0f} releases/s",
                f"≥ 20,000/s {stored_verdict}",
            ],
            [f"Peak memory, {quarter} releases", f"{quarter_peak / 1024:,.0f} KiB", ""],
            [f"Peak memory, {whole} releases", f"{whole_peak / 1024:,.0f} KiB", ""],
            [
                f"Peak memory {whole} ÷ {quarter} releases",
                f"{ratio:.2f}×",
                f"flat (≈ 1×) {'✓' if ratio < 1.5 else '✗'}",
            ],
            ["… per entry beyond the quarter", f"{per_entry:,.0f} bytes", "≈ 0"],
        ],
    )
    results_append(bench="export.py", tables=[table])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
