#!/usr/bin/env python
"""One release to many subscribers through the real queue and worker: `python bench/mail.py`.

    python bench/mail.py [--subscribers 10000] [--database-url postgres://…/press_mailbench]
                         [--kill-after N | --kill] [--workers 1] [--json FILE]

Builds a throwaway site (SQLite in a temporary directory unless --database-url names a
PostgreSQL database, which is dropped and recreated), creates the confirmed subscribers in bulk
and publishes one release, which queues its mailing on the database queue (django-tasks-db) as
production does. A real SMTP server (aiosmtpd on 127.0.0.1, a process of its own) records every
mail it accepts, with its Message-ID, in a SQLite file, committed before it answers 250: what it
counts is what a mail server took responsibility for. Then `manage.py db_worker --backend
webhooks` processes (the production worker) send the mailing.

Printed: mails per second at the receiver, each worker's peak RSS when 1,000 / 5,000 / 10,000
(or the size's tenth, half and whole) recipients had their mail, and the recipients delivered,
missing and received twice (and whether twice with the same Message-ID).

With --kill (at a random point between 25 % and 40 % of the recipients) or --kill-after N the
worker is killed with SIGKILL in the middle; a new worker is started, and
`manage.py press_mailings_resume` (the cron job) re-queues the stalled mailing once the dead
worker's claims are older than PRESS["MAIL_CLAIM_SECONDS"] (shortened here to a few seconds).
"""

import argparse
import contextlib
import datetime
import email.parser
import email.policy
import io
import json
import os
import random
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SENDER = "presse@bench.example"


# --- the receiver: a real SMTP server that writes down what it accepted ----------------------


class ReceiptRecorder:
    """aiosmtpd handler: one row per accepted mail and envelope recipient, committed before the
    250 goes out (the server's acceptance is the moment a mail counts as delivered)."""

    def __init__(self, database: Path):
        self.database = database
        self.connection = None

    def _connection(self) -> sqlite3.Connection:
        if self.connection is None:
            self.connection = receipts_open(database=self.database)
        return self.connection

    async def handle_DATA(self, server, session, envelope):
        headers = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(
            envelope.content
        )
        message_id = (headers.get("Message-ID") or "").strip()
        connection = self._connection()
        connection.executemany(
            "INSERT INTO receipt (recipient, message_id, at) VALUES (?, ?, ?)",
            [(recipient, message_id, time.time()) for recipient in envelope.rcpt_tos],
        )
        connection.commit()
        return "250 Message accepted for delivery"


def receipts_open(*, database: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(database, timeout=30, check_same_thread=False)
    connection.execute("PRAGMA journal_mode=WAL")
    # Durable against the death of a process (the one the bench kills is the worker, never
    # this one) without an fsync per mail, which would make the receiver the bottleneck.
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute(
        "CREATE TABLE IF NOT EXISTS receipt "
        "(recipient TEXT NOT NULL, message_id TEXT NOT NULL, at REAL NOT NULL)"
    )
    connection.commit()
    return connection


def receiver_serve(*, port: int, database: Path) -> None:
    """Runs until SIGTERM: the receiver process."""
    from aiosmtpd.controller import Controller

    receipts_open(database=database).close()
    controller = Controller(ReceiptRecorder(database), hostname="127.0.0.1", port=port)
    controller.start()
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    while not stop:
        time.sleep(0.2)
    controller.stop()


@dataclass
class Receipts:
    """What the receiver counted, for the recipients that were expected."""

    expected: int
    mails: int = 0
    delivered: int = 0
    missing: int = 0
    duplicates: int = 0  # mails beyond the first to the same recipient
    duplicates_same_message_id: int = 0  # of those, carrying the first one's Message-ID
    unexpected: int = 0  # recipients nobody subscribed
    first_at: float | None = None
    last_at: float | None = None

    @property
    def mails_per_second(self) -> float | None:
        if self.first_at is None or self.last_at is None or self.last_at <= self.first_at:
            return None
        return (self.mails - 1) / (self.last_at - self.first_at)


def receipts_summarise(*, rows, recipients: set[str]) -> Receipts:
    """Counts from the receiver's rows (recipient, Message-ID, time): pure, no database."""
    summary = Receipts(expected=len(recipients))
    first_ids: dict[str, str] = {}
    for recipient, message_id, at in rows:
        summary.mails += 1
        summary.first_at = at if summary.first_at is None else min(summary.first_at, at)
        summary.last_at = at if summary.last_at is None else max(summary.last_at, at)
        if recipient not in recipients:
            summary.unexpected += 1
            continue
        if recipient in first_ids:
            summary.duplicates += 1
            if first_ids[recipient] == message_id:
                summary.duplicates_same_message_id += 1
        else:
            first_ids[recipient] = message_id
    summary.delivered = len(first_ids)
    summary.missing = len(recipients) - summary.delivered
    return summary


def receipts_read(*, database: Path, recipients: set[str]) -> Receipts:
    with contextlib.closing(sqlite3.connect(database, timeout=30)) as connection:
        rows = connection.execute("SELECT recipient, message_id, at FROM receipt ORDER BY at")
        return receipts_summarise(rows=rows, recipients=recipients)


def receipts_count(*, database: Path) -> int:
    with contextlib.closing(sqlite3.connect(database, timeout=30)) as connection:
        return connection.execute("SELECT count(DISTINCT recipient) FROM receipt").fetchone()[0]


# --- the site: subscribers and a release, set up in this process --------------------------


def subscriber_address(number: int) -> str:
    return f"leser{number:06d}@bench.example"


def site_populate(*, subscribers: int) -> int:
    """Confirmed subscribers in bulk and one published release; its mailing is queued when the
    publication commits. Returns the mailing's id."""
    from django.db import transaction
    from django.utils import timezone

    from bench.common import site_prepare
    from bench.generate import contacts_ensure
    from press.mailings.models import Mailing
    from press.models import PressReleasePage
    from press.subscriptions.models import Subscriber

    now = timezone.now()
    Subscriber.objects.bulk_create(
        (
            Subscriber(
                email=subscriber_address(number),
                state=Subscriber.CONFIRMED,
                confirmed_at=now,
                language="de",
            )
            for number in range(subscribers)
        ),
        batch_size=2000,
    )
    newsroom = site_prepare()
    paragraphs = [
        {"type": "paragraph", "value": f"<p>Absatz {n}: Die Stadt baut den Rheinuferweg aus.</p>"}
        for n in range(5)
    ]
    with transaction.atomic():
        release = newsroom.add_child(
            instance=PressReleasePage(
                title="Rheinufer wird saniert",
                release_date=datetime.date.today(),
                lead="Die Arbeiten beginnen im Mai.",
                body=json.dumps(paragraphs),
                contact_id=contacts_ensure()[0],
                live=False,
            )
        )
        release.save_revision().publish()
    return Mailing.objects.get(release=release).pk


def deliveries_unfinished(*, mailing_id: int) -> int:
    from press.mailings.models import Delivery

    return Delivery.objects.filter(
        mailing_id=mailing_id, state__in=(Delivery.PENDING, Delivery.SENDING)
    ).count()


def deliveries_flagged(*, mailing_id: int) -> int:
    from press.mailings.models import Delivery

    return Delivery.objects.filter(mailing_id=mailing_id, maybe_twice=True).count()


# --- the processes --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_wait(*, port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the SMTP receiver exited")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        time.sleep(0.1)
    raise RuntimeError("the SMTP receiver did not listen")


def rss_peak_kib(pid: int) -> int | None:
    """The process's high-water mark of resident memory (VmHWM), in KiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def worker_start(*, env: dict, log) -> subprocess.Popen:
    """The production worker, as the compose file runs it."""
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--backend",
            "webhooks",
            "--interval",
            "0.2",
            "--no-startup-delay",
            "--no-reload",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def process_stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Run:
    subscribers: int
    workers: int
    database: str
    killed_at: int | None = None  # recipients delivered when the worker was killed
    rss_peak_kib: dict[str, list[int | None]] = field(default_factory=dict)
    receipts: Receipts | None = None
    resumed_by_cron_runs: int = 0
    unfinished_in_database: int | None = None
    flagged_maybe_twice: int | None = None  # deliveries the sending itself marks as uncertain
    seconds: float = 0.0


def bench_run(
    *,
    subscribers: int,
    database_url: str | None,
    kill_after: int | None,
    workers: int = 1,
    claim_seconds: int = 3,
    timeout: float = 1800,
    work: Path,
) -> Run:
    """Set up, send, optionally kill one worker and resume, count at the receiver."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.bench",
        "DATABASE_URL": database_url or f"sqlite:///{work / 'site.sqlite3'}",
        "MEDIA_ROOT": str(work / "media"),
        "PRIVATE_MEDIA_ROOT": str(work / "private-media"),
        "WEBHOOK_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "PRESS_MAIL_CLAIM_SECONDS": str(claim_seconds),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(free_port()),
        "EMAIL_TIMEOUT": "10",
        "DEFAULT_FROM_EMAIL": SENDER,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    if database_url:
        from bench.common import postgres_database_recreate

        postgres_database_recreate(database_url=database_url)
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    mailing_id = site_populate(subscribers=subscribers)
    connections.close_all()
    recipients = {subscriber_address(number) for number in range(subscribers)}
    run = Run(
        subscribers=subscribers,
        workers=workers,
        database="PostgreSQL" if database_url else "SQLite",
    )
    marks = sorted({max(1, subscribers // 10), max(1, subscribers // 2), subscribers})
    if subscribers >= 10_000:
        marks = [1_000, 5_000, subscribers]
    receipts_db = work / "receipts.sqlite3"
    log = open(work / "processes.log", "w")  # noqa: SIM115 (open for the processes' lifetime)
    receiver = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "receive",
            "--port",
            env["EMAIL_PORT"],
            "--database",
            receipts_db,
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    running: list[subprocess.Popen] = []
    started = time.monotonic()
    try:
        port_wait(port=int(env["EMAIL_PORT"]), process=receiver)
        running = [worker_start(env=env, log=log) for _ in range(workers)]
        peaks: dict[int, int] = {}
        next_cron = None
        while True:
            if time.monotonic() - started > timeout:
                raise RuntimeError(f"not finished within {timeout} s; see {work}/processes.log")
            delivered = receipts_count(database=receipts_db)
            for process in running:
                peaks[process.pid] = rss_peak_kib(process.pid) or peaks.get(process.pid, 0)
            for mark in marks:
                if delivered >= mark and str(mark) not in run.rss_peak_kib:
                    run.rss_peak_kib[str(mark)] = [peaks.get(p.pid) for p in running]
            if kill_after is not None and run.killed_at is None and delivered >= kill_after:
                victim = running.pop(0)
                os.kill(victim.pid, signal.SIGKILL)
                victim.wait()
                run.killed_at = receipts_count(database=receipts_db)
                print(f"killed worker {victim.pid} at {run.killed_at} delivered", flush=True)
                running.append(worker_start(env=env, log=log))
                next_cron = time.monotonic()
            if next_cron is not None and time.monotonic() >= next_cron:
                # What cron does every few minutes: re-queue a stalled mailing.
                call_command("press_mailings_resume", stdout=io.StringIO())
                connections.close_all()
                run.resumed_by_cron_runs += 1
                next_cron = time.monotonic() + claim_seconds
            # The database is asked only at the end: the bench's own polling costs the worker
            # as little as possible on a shared machine.
            if delivered >= subscribers and deliveries_unfinished(mailing_id=mailing_id) == 0:
                break
            if delivered >= subscribers:
                connections.close_all()
            time.sleep(0.1)
        run.seconds = time.monotonic() - started
        time.sleep(0.5)  # anything still in flight would show up now
        run.unfinished_in_database = deliveries_unfinished(mailing_id=mailing_id)
        run.flagged_maybe_twice = deliveries_flagged(mailing_id=mailing_id)
        run.receipts = receipts_read(database=receipts_db, recipients=recipients)
    finally:
        for process in running:
            process_stop(process)
        process_stop(receiver)
        connections.close_all()
        log.close()
    return run


def report_print(run: Run) -> str:
    from bench.common import table_print

    receipts = run.receipts
    rate = receipts.mails_per_second
    rows = [["mails/s at the receiver", f"{rate:.0f}" if rate else "–"]]
    for mark, peaks in run.rss_peak_kib.items():
        shown = ", ".join(f"{peak / 1024:.1f} MiB" if peak else "–" for peak in peaks)
        rows.append([f"worker peak RSS at {int(mark):,} delivered", shown])
    if run.killed_at is not None:
        rows.append(["killed with SIGKILL at", f"{run.killed_at:,} delivered"])
        rows.append(["cron runs of press_mailings_resume", str(run.resumed_by_cron_runs)])
    rows += [
        ["delivered", f"{receipts.delivered:,} of {receipts.expected:,}"],
        ["missing", str(receipts.missing)],
        [
            "duplicates (same Message-ID)",
            f"{receipts.duplicates} ({receipts.duplicates_same_message_id})",
        ],
        ["unexpected", str(receipts.unexpected)],
        ["unfinished in the database", str(run.unfinished_in_database)],
        ["flagged maybe_twice", str(run.flagged_maybe_twice)],
    ]
    print()
    return table_print(
        title=f"Mailing to {run.subscribers:,} subscribers ({run.database}, {run.workers} worker)",
        header=["Figure", "Value"],
        rows=rows,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command")
    receive = commands.add_parser("receive", help="(internal) the SMTP receiver process")
    receive.add_argument("--port", type=int, required=True)
    receive.add_argument("--database", type=Path, required=True)
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--database-url", help="postgres://…/press_mailbench (recreated)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--kill", action="store_true", help="kill the worker at a random point")
    parser.add_argument("--kill-after", type=int, help="kill the worker after N delivered")
    parser.add_argument("--claim-seconds", type=int, default=3)
    parser.add_argument("--seed", type=int, help="for the random kill point")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args(argv)
    if args.command == "receive":
        receiver_serve(port=args.port, database=args.database)
        return 0
    kill_after = args.kill_after
    if args.kill and kill_after is None:
        rng = random.Random(args.seed)
        kill_after = rng.randint(args.subscribers * 25 // 100, args.subscribers * 40 // 100)
    with tempfile.TemporaryDirectory(prefix="press-mailbench-") as work:
        run = bench_run(
            subscribers=args.subscribers,
            database_url=args.database_url,
            kill_after=kill_after,
            workers=args.workers,
            claim_seconds=args.claim_seconds,
            work=Path(work),
        )
    from bench.common import results_append

    results_append(bench="mail.py", tables=[report_print(run)])
    if args.json:
        args.json.write_text(json.dumps(asdict(run), indent=2))
    receipts = run.receipts
    return 0 if receipts.missing == 0 and receipts.unexpected == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
