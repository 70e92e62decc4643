"""The archive's text versions as one ZIP, written as it is read.

The text versions come from the releases' stored documents, read in chunks through the
visibility rule (`iterator(chunk_size=…)`) as plain tuples, and every one goes into the archive
straight away, written by stream-zip. Only the ZIP's central directory, which lists every entry
at the end, grows with the archive: a few hundred bytes per release.
"""

import datetime
import itertools
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO

import stream_zip
from django.db.models import QuerySet
from django.utils import timezone
from isal import isal_zlib

from .models import PressReleasePage, release_document_for
from .models.documents import document_is_current


def releases_in_range(
    *, date_from: datetime.date | None = None, date_to: datetime.date | None = None, site=None
) -> QuerySet:
    releases = PressReleasePage.objects.visible(site=site).select_related("contact")
    if date_from is not None:
        releases = releases.filter(release_date__gte=date_from)
    if date_to is not None:
        releases = releases.filter(release_date__lte=date_to)
    # Oldest first: the archive reads like a chronicle; pk keeps equal dates stable.
    return releases.order_by("release_date", "pk")


def release_zip_name(*, release_date: datetime.date, slug: str) -> str:
    """`2023/02/20230207-masterplan-industrie.txt`: a folder per year and month."""
    year, month, day = release_date.year, release_date.month, release_date.day
    # Plain formatting: strftime is a measurable part of exporting 100,000 releases.
    return f"{year:04d}/{month:02d}/{year:04d}{month:02d}{day:02d}-{slug}.txt"


# Read and write for the owner when unpacked, as `ZipFile.writestr` sets it.
ENTRY_MODE = 0o600
# What goes to `out` at a time: stream-zip hands over each entry as soon as it is written, and
# a write per entry would be a system call per entry on an unbuffered stream.
WRITE_SIZE = 1 << 20


def deflate_fast():
    """ISA-L's raw deflate at level 1: smaller than zlib's level 1 and about three times faster,
    through stream-zip's documented `get_compressobj`."""
    return isal_zlib.compressobj(1, isal_zlib.DEFLATED, -15)


def text_archive_chunks(
    entries: Iterable[tuple[str, tuple, bytes]], *, compress: bool = True
) -> Iterator[bytes]:
    """The ZIP of `entries` (name, date_time, data), chunk by chunk, by stream-zip: every entry
    has ZIP64 fields, so an archive of any size or number of entries (past 65,535) opens, and no
    byte written is ever sought back to, so `out` may be a pipe."""

    def members():
        # Uncompressed, stream-zip measures size and checksum of the text in hand itself
        # (`NO_COMPRESSION_64` uncalled: calling it with both makes a new class per entry).
        method = stream_zip.ZIP_64 if compress else stream_zip.NO_COMPRESSION_64
        for name, date_time, data in entries:
            yield name, datetime.datetime(*date_time), ENTRY_MODE, method, (data,)

    return stream_zip.stream_zip(
        members(),
        get_compressobj=deflate_fast,
        # The DOS date is all the entries carry, as `zipfile` writes them.
        extended_timestamps=False,
    )


def text_archive_write(
    *, out: BinaryIO, entries: Iterable[tuple[str, tuple, bytes]], compress: bool = True
) -> None:
    pending: list[bytes] = []
    pending_size = 0
    for chunk in text_archive_chunks(entries, compress=compress):
        pending.append(chunk)
        pending_size += len(chunk)
        if pending_size >= WRITE_SIZE:
            out.write(b"".join(pending))
            pending, pending_size = [], 0
    out.write(b"".join(pending))


def releases_export_text_zip(
    *,
    out: BinaryIO,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    site=None,
    chunk_size: int = 500,
    progress: Callable[[int], None] | None = None,
    compress: bool = True,
) -> int:
    """Write the text version of every visible release in the range into `out`; returns the count.

    `compress=False` stores the texts uncompressed: about three times the size, a little faster."""
    releases = releases_in_range(date_from=date_from, date_to=date_to, site=site)
    # One pass over the archive: each row says whether its stored document is current, so the
    # currency check is no second query over every document (on SQLite, reaching a document's
    # revision means reading past its large JSON columns).
    rows = releases.values_list(
        "pk",
        "release_date",
        "slug",
        "live_revision_id",
        "document__revision_id",
        "document__version",
        "document__photos_expire_at",
        "document__text",
    )
    now = timezone.now()
    written = 0

    def entries():
        nonlocal written
        for chunk in chunks(rows.iterator(chunk_size=chunk_size), size=chunk_size):
            rebuilt = texts_rebuilt(chunk, releases=releases, now=now)
            for pk, release_date, slug, _live, _revision, _version, _expire, text in chunk:
                yield (
                    release_zip_name(release_date=release_date, slug=slug),
                    (release_date.year, release_date.month, release_date.day, 0, 0, 0),
                    rebuilt.get(pk, text).encode("utf-8"),
                )
            written += len(chunk)
            if progress:
                progress(written)

    text_archive_write(out=out, entries=entries(), compress=compress)
    return written


def chunks(rows: Iterable[tuple], *, size: int) -> Iterator[list[tuple]]:
    rows = iter(rows)
    while chunk := list(itertools.islice(rows, size)):
        yield chunk


def texts_rebuilt(chunk: list[tuple], *, releases: QuerySet, now: datetime.datetime) -> dict:
    """The texts of the releases in `chunk` that went live without a current document (written
    in bulk, or before documents existed) or show a photo whose rights have ended since: their
    documents are built now, in one query for the chunk, as `release_document_for` does."""
    outdated = [
        pk
        for pk, _date, _slug, live_revision, revision, version, expire_at, _text in chunk
        if not document_is_current(
            revision_id=revision,
            live_revision_id=live_revision,
            version=version,
            photos_expire_at=expire_at,
            now=now,
        )
    ]
    if not outdated:
        return {}
    return {
        release.pk: release_document_for(release).text
        for release in releases.filter(pk__in=outdated).select_related("document")
    }
