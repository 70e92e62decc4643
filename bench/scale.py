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
    results_append,
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


def archive_multiply(*, newsroom, target: int, batch: int = 20_000, progress=None) -> int:
    """Copy the releases below `newsroom` in SQL until it holds `target` (PostgreSQL only).

    `bench.generate` makes about 25 releases a second (a real document and search entry each);
    100,000 would take over an hour. A copy is made by INSERT … SELECT instead: a page row
    (treebeard path = the newsroom's path + a fresh 4-character step, its own slug, URL path
    and translation key), the release row, the stored document (its id and validator made the
    copy's own, its search text included) and Wagtail's search index entry. A copy shares its
    source's revision (the live revision the document was built from), so documents count as current (their JSON keeps the
    source's date); it has no topics, tags or reference-index rows. Returns how many releases were added."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from wagtail.models import Page

    from press.models import PressReleasePage

    newsroom = Page.objects.get(pk=newsroom.pk)
    children = newsroom.get_children()
    sources = list(children.type(PressReleasePage).order_by("path").values_list("pk", "slug"))
    existing = len(sources)
    if existing == 0 or existing >= target:
        return 0
    last = children.order_by("-path").values_list("path", flat=True).first()
    next_step = Page._str2int(last[-Page.steplen :]) + 1
    page_columns = [
        f.column for f in Page._meta.concrete_fields if f.column not in {"id", "path", "slug"}
    ]
    copied = {"translation_key": "gen_random_uuid()", "url_path": "%(url)s || m.slug || '/'"}
    page_select = ", ".join(copied.get(column, f"p.{column}") for column in page_columns)
    release_columns = [
        f.column for f in PressReleasePage._meta.local_concrete_fields if f.column != "page_ptr_id"
    ]
    # A copy's release date lies up to two weeks from its source's: 100 releases on one day
    # would make every list sort a hundred ties (a real archive of 100,000 over 25 years has
    # about eleven a day).
    jitter = {"release_date": "r.release_date + (floor(random() * 29)::integer - 14)"}
    release_select = [jitter.get(column, f"r.{column}") for column in release_columns]
    added = 0
    copy_number = 0
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS press_copy (source integer, path text, slug text)"
        )
    while existing + added < target:
        copy_number += 1
        rows = []
        for source, slug in sources[: min(batch, target - existing - added)]:
            step = next_step + added + len(rows)
            rows.append(
                (
                    source,
                    Page._get_path(newsroom.path, newsroom.depth + 1, step),
                    f"{slug}-{copy_number}",
                )
            )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("TRUNCATE press_copy")
            with cursor.copy("COPY press_copy (source, path, slug) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                f"""INSERT INTO wagtailcore_page (path, slug, {", ".join(page_columns)})
                SELECT m.path, m.slug, {page_select}
                FROM press_copy m JOIN wagtailcore_page p ON p.id = m.source""",
                {"url": newsroom.url_path},
            )
            cursor.execute(
                f"""INSERT INTO press_pressreleasepage (page_ptr_id, {", ".join(release_columns)})
                SELECT n.id, {", ".join(release_select)}
                FROM press_copy m JOIN wagtailcore_page n ON n.path = m.path
                JOIN press_pressreleasepage r ON r.page_ptr_id = m.source"""
            )
            cursor.execute(
                """INSERT INTO press_releasedocument
                    (release_id, revision_id, version, built_at, api_json, data, text,
                    search_text, etag, restricted)
                SELECT n.id, d.revision_id, d.version, d.built_at,
                    regexp_replace(d.api_json, '^\\{"id": [0-9]+', '{"id": ' || n.id),
                    d.data, d.text, d.search_text, '"' || left(md5(d.etag || n.id), 32) || '"',
                    d.restricted
                FROM press_copy m JOIN wagtailcore_page n ON n.path = m.path
                JOIN press_releasedocument d ON d.release_id = m.source"""
            )
            cursor.execute(
                """INSERT INTO wagtailsearch_indexentry (content_type_id, object_id, title_norm,
                    autocomplete, title, body, title_text, body_text)
                SELECT e.content_type_id, n.id::text, e.title_norm, e.autocomplete, e.title,
                    e.body, e.title_text, e.body_text
                FROM press_copy m JOIN wagtailcore_page n ON n.path = m.path
                JOIN wagtailsearch_indexentry e ON e.object_id = m.source::text
                    AND e.content_type_id = %(type)s""",
                {"type": ContentType.objects.get_for_model(PressReleasePage).pk},
            )
            cursor.execute(
                "UPDATE wagtailcore_page SET numchild = numchild + %s WHERE id = %s",
                [len(rows), newsroom.pk],
            )
        added += len(rows)
        if progress:
            progress(existing + added)
    return added


def existing_measure(*, database_url: str, rounds: int) -> int:
    """Each case's ratio to the reference on the archive as it is (no generation)."""
    django_setup(database_url=database_url)
    from django.db import connection

    from press.models import PressReleasePage

    count = PressReleasePage.objects.visible().count()
    release = PressReleasePage.objects.visible()[count // 2]  # the same year at every size
    ratios = stage_measure(cases=cases_build(release=release), rounds=rounds)
    table = table_print(
        title=f"{count:,} PM; {connection.vendor}; Median aus {rounds} Runden",
        header=["Fall", "× Referenz"],
        rows=[[name, f"{ratio:.2f}×"] for name, ratio in ratios.items()],
    )
    results_append(bench="scale.py", tables=[table])
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
    parser.add_argument(
        "--fast",
        action="store_true",
        help="grow from the small archive to the large one by copying its rows in SQL "
        "(minutes instead of an hour; see archive_multiply)",
    )
    args = parser.parse_args(argv)
    if args.fast and not args.database_url.startswith("postgres"):
        parser.error("--fast copies rows with PostgreSQL's SQL; give a postgres:// URL")
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
    if args.fast:
        started = time.perf_counter()
        added = archive_multiply(
            newsroom=newsroom,
            target=args.large,
            progress=lambda n: print(f"  {n:,} PM", file=sys.stderr, flush=True),
        )
        rates.append(added / (time.perf_counter() - started))
    remaining = args.large - args.small if not args.fast else 0
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
    table = table_print(
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
    results_append(bench="scale.py", tables=[table])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
