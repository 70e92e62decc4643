"""The archive's text versions as one ZIP, written as it is read.

The text versions come from the releases' stored documents, read in chunks through the
visibility rule (`iterator(chunk_size=…)`) as plain tuples, and every one goes into the archive
straight away. The ZIP's central directory, which lists every entry at the end, waits in a
temporary file rather than in memory, so memory stays flat however many years the range covers.
"""

import datetime
import itertools
import pickle
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO

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
ENTRY_ATTRIBUTES = 0o600 << 16
# Entries go out a megabyte at a time: a write per entry was a system call per entry.
WRITE_SIZE = 1 << 20


class CentralDirectorySpool:
    """Stands in for `ZipFile.filelist`, the entries its central directory lists at the end.

    `ZipFile` keeps a `ZipInfo` per entry until it closes (about 580 bytes each); this keeps
    each entry's few numbers in a temporary file, a batch at a time, and hands `ZipFile` the
    `ZipInfo` objects one by one when it writes the central directory (all it does with the
    list is append, count and iterate)."""

    def __init__(self, *, compress_type: int, batch_size: int = 1000):
        self.compress_type = compress_type
        self.batch_size = batch_size
        self.batch: list[tuple] = []
        self.count = 0
        self.spool = tempfile.TemporaryFile()  # noqa: SIM115 (closed in close())

    def append(self, entry: tuple) -> None:
        """`entry`: name, date_time, CRC, compressed size, size, offset of the local header."""
        self.batch.append(entry)
        self.count += 1
        if len(self.batch) >= self.batch_size:
            pickle.dump(self.batch, self.spool, protocol=pickle.HIGHEST_PROTOCOL)
            self.batch = []

    def __len__(self) -> int:
        return self.count

    def __iter__(self):
        self.spool.seek(0)
        for _ in range(self.count // self.batch_size):
            yield from self.infos(pickle.load(self.spool))
        yield from self.infos(self.batch)

    def infos(self, entries: list[tuple]):
        for name, date_time, crc, compress_size, file_size, header_offset in entries:
            info = zipfile.ZipInfo(name, date_time)
            info.compress_type = self.compress_type
            info.external_attr = ENTRY_ATTRIBUTES
            info.CRC = crc
            info.compress_size = compress_size
            info.file_size = file_size
            info.header_offset = header_offset
            yield info

    def close(self) -> None:
        self.spool.close()


class TextArchive:
    """A ZIP written entry by entry: Python's `zipfile` makes every header (`ZipInfo.FileHeader`
    for an entry, `ZipFile.close` for the central directory), ISA-L's deflate (level 1: smaller
    than zlib's level 1 and about three times faster) the compressed texts.

    Each entry is compressed first and written once, header and data together: `writestr`
    writes a header, the data, then seeks back to fill in sizes and checksum (on a stream that
    cannot seek, it appends a data descriptor instead)."""

    def __init__(self, out: BinaryIO, *, compress: bool = True):
        self.compress = compress
        self.zip = zipfile.ZipFile(out, "w")
        method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        self.entries = CentralDirectorySpool(compress_type=method)
        # `filelist`, `fp` and `start_dir` are ZipFile's attributes, not its documented API (the
        # same from Python 3.6 to 3.13); tests/test_export.py checks the archives it writes.
        self.zip.filelist = self.entries
        self.method = method
        # `ZipFile` wraps a stream that cannot seek to count the bytes written: write through it.
        self.fp = self.zip.fp
        self.offset = self.zip.start_dir
        self.pending: list[bytes] = []
        self.pending_size = 0

    def add(self, *, name: str, date_time: tuple, data: bytes) -> None:
        payload = isal_zlib.compress(data, 1, -15) if self.compress else data
        info = zipfile.ZipInfo(name, date_time)
        info.compress_type = self.method
        info.external_attr = ENTRY_ATTRIBUTES
        info.CRC = crc = zlib.crc32(data)
        info.compress_size = len(payload)
        info.file_size = len(data)
        header = info.FileHeader()
        self.pending += (header, payload)
        self.pending_size += len(header) + len(payload)
        self.entries.append((name, date_time, crc, len(payload), len(data), self.offset))
        self.offset += len(header) + len(payload)
        if self.pending_size >= WRITE_SIZE:
            self.flush()

    def flush(self) -> None:
        self.fp.write(b"".join(self.pending))
        self.pending = []
        self.pending_size = 0

    def close(self) -> None:
        # Where the central directory starts: `ZipFile.close` writes it there.
        self.zip.start_dir = self.offset
        try:
            self.flush()
            self.zip.close()
        finally:
            self.entries.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


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
    with TextArchive(out, compress=compress) as archive:
        for chunk in chunks(rows.iterator(chunk_size=chunk_size), size=chunk_size):
            rebuilt = texts_rebuilt(chunk, releases=releases, now=now)
            for pk, release_date, slug, _live, _revision, _version, _expire, text in chunk:
                archive.add(
                    name=release_zip_name(release_date=release_date, slug=slug),
                    date_time=(release_date.year, release_date.month, release_date.day, 0, 0, 0),
                    data=rebuilt.get(pk, text).encode("utf-8"),
                )
            written += len(chunk)
            if progress:
                progress(written)
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
