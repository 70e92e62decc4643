"""Shared by the bench commands: Django setup, the data, in-process WSGI calls, ratio medians.

Every figure is a ratio of two timings taken back to back in the same round, alternating which
goes first; the median over many rounds makes the machine's noise cancel out. No absolute time
is reported anywhere.
"""

import datetime
import io
import os
import platform
import statistics
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Where every bench run appends its tables; BENCH_RESULTS points a run elsewhere.
RESULTS = ROOT / "bench" / "results.md"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def django_setup(*, database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.bench"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def postgres_database_recreate(*, database_url: str) -> None:
    """Drop and create the PostgreSQL database named in the URL (bench data only)."""
    import psycopg

    parts = urllib.parse.urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def site_prepare():
    """A default site: HomePage at the root and the newsroom `/presse/` below it."""
    from wagtail.models import Page, Site

    from home.models import HomePage
    from press.models import PressIndexPage

    newsroom = PressIndexPage.objects.first()
    if newsroom is not None:
        return newsroom
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Startseite", slug="start"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "testserver", "port": 80, "root_page": home, "site_name": "Bench"},
    )
    Page.objects.filter(depth=2).exclude(pk=home.pk).delete()  # Wagtail's welcome page
    newsroom = home.add_child(instance=PressIndexPage(title="Presse", slug="presse"))
    return newsroom


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")


_handler = None


def wsgi_get(url: str, headers: dict[str, str] | None = None) -> Answer:
    """One GET through Django's WSGI handler: all middleware, as a server would call it."""
    global _handler
    if _handler is None:
        from django.core.handlers.wsgi import WSGIHandler

        _handler = WSGIHandler()
    path, _, query = url.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": urllib.parse.unquote(path),
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    started: list = []

    def start_response(status, response_headers, exc_info=None):
        started.append((int(status.split()[0]), dict(response_headers)))

    result = _handler(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    status, response_headers = started[0]
    return Answer(status=status, headers=response_headers, body=body)


def queries_count(call) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        call()
    return len(context.captured_queries)


@dataclass
class Comparison:
    """Median of per-round ratios `timing(name) / timing(base)` for each other name."""

    ratios: dict[str, list[float]] = field(default_factory=dict)

    def median(self, name: str) -> float:
        return statistics.median(self.ratios[name])


def compare(
    calls: dict[str, object],
    *,
    base: str,
    rounds: int,
    warmup: int = 5,
    setups: dict[str, object] | None = None,
) -> Comparison:
    """Time every call once per round, in an order that rotates, and keep ratios to `base`.

    `setups[name]` runs before each call of `name`, untimed (e.g. empty the cache, publish)."""
    setups = setups or {}
    names = list(calls)
    for _ in range(warmup):
        for name in names:
            calls[name]()
    comparison = Comparison(ratios={name: [] for name in names if name != base})
    clock = time.perf_counter_ns
    for round_number in range(rounds):
        shift = round_number % len(names)
        order = names[shift:] + names[:shift]
        timings = {}
        for name in order:
            if name in setups:
                setups[name]()
            start = clock()
            calls[name]()
            timings[name] = clock() - start
        for name in comparison.ratios:
            comparison.ratios[name].append(timings[name] / timings[base])
    return comparison


def table_print(*, title: str, header: list[str], rows: list[list[str]]) -> str:
    text = f"### {title}\n\n" + table_format(header=header, rows=rows)
    print(text, flush=True)
    return text


def table_format(*, header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table of the given cells (no title)."""
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]

    def line(cells):
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    separator = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), separator, *(line(row) for row in rows)])


def machine_describe() -> str:
    """The machine a run was on: platform, CPU count and Python, as a results entry names it."""
    return f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


def results_append(*, bench: str, tables: list[str], path: Path | None = None) -> Path:
    """Append one run's tables to the results file under a heading with date, machine, command.

    Each bench script calls this at its end with what it printed, so the results file is the
    record of every run (newest last) and no figure has to be copied into a document by hand.
    """
    target = path or Path(os.environ.get("BENCH_RESULTS") or RESULTS)
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = " ".join(["python", f"bench/{bench}", *sys.argv[1:]])
    section = [
        f"## {now}: bench/{bench}",
        "",
        f"- Machine: {machine_describe()}",
        f"- Command: `{command}`",
        "",
    ]
    for table in tables:
        section += [table.strip("\n"), ""]
    if not target.exists():
        target.write_text(RESULTS_INTRO, encoding="utf-8")
    with target.open("a", encoding="utf-8") as out:
        out.write("\n" + "\n".join(section))
    print(f"\nresults appended to {target}", file=sys.stderr, flush=True)
    return target


RESULTS_INTRO = """# Bench results

Every run of a script in `bench/` appends a section here: when, on which machine, the command
and its tables. Ratios are to a reference measured in the same run (see the operators' page
on benchmarks); absolute figures (mails per second, requests per second) only compare with runs
on the same machine.
"""
