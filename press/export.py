"""The archive's text versions as one ZIP, written as it is read.

The text versions come from the releases' stored documents, read in chunks through the
visibility rule (`iterator(chunk_size=…)`) as plain tuples, and every one goes into the archive
straight away. The ZIP's central directory, which lists every entry at the end, waits in a
temporary file rather than in memory, so memory stays flat however many years the range covers.
"""

import datetime
import pickle
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from typing import BinaryIO

from django.db.models import F, QuerySet
from django.utils import timezone
from isal import isal_zlib

from .models import PressReleasePage, ReleaseDocument, release_document_for


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
        self.zip.filelist = self.entries
        self.method = method
        # `ZipFile` wraps a stream that cannot seek to count the bytes written: write through it.
        self.fp = self.zip.fp
        self.offset = self.zip.start_dir

    def add(self, *, name: str, date_time: tuple, data: bytes) -> None:
        payload = isal_zlib.compress(data, 1, -15) if self.compress else data
        info = zipfile.ZipInfo(name, date_time)
        info.compress_type = self.method
        info.external_attr = ENTRY_ATTRIBUTES
        info.CRC = crc = zlib.crc32(data)
        info.compress_size = len(payload)
        info.file_size = len(data)
        entry = info.FileHeader() + payload
        self.fp.write(entry)
        self.entries.append((name, date_time, crc, len(payload), len(data), self.offset))
        self.offset += len(entry)

    def close(self) -> None:
        # Where the central directory starts: `ZipFile.close` writes it there.
        self.zip.start_dir = self.offset
        try:
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
    # Releases that went live without a current document (written in bulk, or before documents
    # existed) get theirs first, and so do those showing a photo whose rights have ended since;
    # then every text is read as it is stored.
    current = ReleaseDocument.objects.filter(revision_id=F("release__live_revision_id")).exclude(
        photos_expire_at__lte=timezone.now()
    )
    outdated = releases.exclude(pk__in=current.values("release_id"))
    for release in outdated.iterator(chunk_size=chunk_size):
        release_document_for(release)
    rows = releases.values_list("release_date", "slug", "document__text")
    written = 0
    with TextArchive(out, compress=compress) as archive:
        for release_date, slug, text in rows.iterator(chunk_size=chunk_size):
            archive.add(
                name=release_zip_name(release_date=release_date, slug=slug),
                date_time=(release_date.year, release_date.month, release_date.day, 0, 0, 0),
                data=text.encode("utf-8"),
            )
            written += 1
            if progress and written % chunk_size == 0:
                progress(written)
    if progress and written % chunk_size:
        progress(written)
    return written
