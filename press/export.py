"""The archive's text versions as one ZIP, written as it is read.

Releases are read in chunks through the visibility selector (`iterator(chunk_size=…)`), each
chunk's bodies resolved at once (`releases_prefetch_body`), and every text version goes into
the archive straight away, so memory stays flat however many years the range covers.
"""

import datetime
import zipfile
from collections.abc import Callable, Iterator
from typing import BinaryIO

from django.db.models import QuerySet

from .conf import base_url
from .documents import release_render_text_for, releases_prefetch_body, text_language
from .models import PressReleasePage
from .publishing.cache import releases_cached


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


def _chunked(queryset: QuerySet, *, size: int) -> Iterator[list]:
    chunk = []
    for release in queryset.iterator(chunk_size=size):
        chunk.append(release)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def release_zip_name(*, release) -> str:
    """`2023/02/20230207-masterplan-industrie.txt`: a folder per year and month."""
    return f"{release.release_date:%Y/%m}/{release.text_file_name()}"


def releases_export_text_zip(
    *,
    out: BinaryIO,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    site=None,
    chunk_size: int = 500,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the text version of every visible release in the range into `out`; returns the count."""
    releases = releases_in_range(date_from=date_from, date_to=date_to, site=site)
    office = None
    written = 0

    def build(missing: list) -> list[str]:
        releases_prefetch_body(releases=missing, renditions=False)
        return [release_render_text_for(release=release, office=office) for release in missing]

    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for chunk in _chunked(releases, size=chunk_size):
            if office is None:
                office = chunk[0].office_settings()
            # Text versions of unchanged releases come from the cache (keyed by live revision,
            # contact, the office's wording and the language), the others are rendered and stored.
            texts = releases_cached(
                releases=chunk,
                kind="text",
                base="|".join(
                    (
                        base_url(),
                        office.office_name,
                        office.service_name,
                        office.download_sentence,
                        text_language(),
                    )
                ),
                build=build,
            )
            for release, text in zip(chunk, texts, strict=True):
                info = zipfile.ZipInfo(
                    release_zip_name(release=release),
                    date_time=(*release.release_date.timetuple()[:3], 0, 0, 0),
                )
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, text.encode("utf-8"), compresslevel=1)
                written += 1
            if progress:
                progress(written)
    return written
