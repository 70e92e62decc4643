"""The archive's text versions as one ZIP, written as it is read.

The text versions come from the releases' stored documents, read in chunks through the
visibility rule (`iterator(chunk_size=…)`) as plain tuples, and every one goes into the archive
straight away, so memory stays flat however many years the range covers.
"""

import datetime
import zipfile
from collections.abc import Callable
from typing import BinaryIO

from django.db.models import F, QuerySet
from django.utils import timezone

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

    `compress=False` stores the texts uncompressed: about three times the size, several times
    faster (deflate is most of the cost per release)."""
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
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(out, "w", compression=method, compresslevel=1) as archive:
        for release_date, slug, text in rows.iterator(chunk_size=chunk_size):
            info = zipfile.ZipInfo(
                release_zip_name(release_date=release_date, slug=slug),
                date_time=(release_date.year, release_date.month, release_date.day, 0, 0, 0),
            )
            info.compress_type = method
            archive.writestr(info, text.encode("utf-8"), compresslevel=1)
            written += 1
            if progress and written % chunk_size == 0:
                progress(written)
    if progress and written % chunk_size:
        progress(written)
    return written
