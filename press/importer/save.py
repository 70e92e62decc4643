"""Saving a parsed archive release: the database half of the archive import.

`press.importer` turns a legacy text release into a `ParsedRelease` without touching the
database; this module finds or creates what that release refers to (newsroom, contact, photos)
and saves it as a page revision — all or nothing per release.
"""

from __future__ import annotations

import datetime
import logging
import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import Page, Site
from wagtail.rich_text import RichText
from wagtail.utils.file import hash_filelike

from ..conf import press_setting
from ..images import PressImageField
from ..models import PhotoRights, PressContact, PressIndexPage, PressReleasePage
from .fetch import FetchError, FetchTooLarge, networks_parse, url_fetch
from .parse import file_name_refused_message, file_name_safe, photo_file_name_from_url

if TYPE_CHECKING:
    from .parse import ParsedContact, ParsedImage, ParsedRelease

logger = logging.getLogger(__name__)

SLUG_MAX_LENGTH = 100
# Addresses and text-version file names stay ASCII (mail clients, old archive systems), so
# German letters are spelled out the way the office writes them instead of being dropped.
GERMAN_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


class ReleaseImportError(Exception):
    """A release that cannot be saved; `line` points into the source file when known.

    `locate` is text of the source (a photo's address) whose line a caller holding the file
    can look up, since parsed blocks do not carry line numbers.
    """

    def __init__(self, message: str, line: int | None = None, *, locate: str | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.locate = locate

    def line_in(self, text: str) -> int | None:
        if self.line is not None or not self.locate:
            return self.line
        lines = text.split("\n")
        # The address as written may carry Markdown escapes; its file name rarely does.
        for needle in (self.locate, self.locate.rsplit("/", 1)[-1]):
            for number, line in enumerate(lines, start=1):
                if needle and needle in line:
                    return number
        return None

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class ImportResult:
    release: PressReleasePage
    created: bool


def release_file_read(*, path: Path) -> str:
    """A release file's text; anything but UTF-8 is refused with the place it goes wrong, and so
    is a file over PRESS["IMPORT_MAX_FILE_BYTES"] bytes or PRESS["IMPORT_MAX_RELEASE_CHARS"]
    characters (with the line where the limit is passed; no more than the limit is read)."""
    max_bytes = press_setting("IMPORT_MAX_FILE_BYTES")
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1) if max_bytes is not None else handle.read()
    except OSError as error:
        raise ReleaseImportError(
            _("The file cannot be read: %(error)s") % {"error": error.strerror}
        ) from error
    if max_bytes is not None and len(data) > max_bytes:
        raise ReleaseImportError(
            _("The file is larger than %(max)s; a release file may have at most %(max)s.")
            % {"max": filesizeformat(max_bytes)},
            line=data[:max_bytes].count(b"\n") + 1,
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ReleaseImportError(
            _(
                "not a UTF-8 text file: invalid byte 0x%(byte)02x at position %(position)s "
                "(please save it as UTF-8)"
            )
            % {"byte": data[error.start], "position": error.start},
            line=line,
        ) from error
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    max_chars = press_setting("IMPORT_MAX_RELEASE_CHARS")
    if max_chars is not None and len(text) > max_chars:
        raise ReleaseImportError(
            _("The release is longer than %(max)s characters; at most %(max)s are imported.")
            % {"max": max_chars},
            line=text[:max_chars].count("\n") + 1,
        )
    return text


def release_slug(*, title: str) -> str:
    slug = slugify(title.translate(GERMAN_TRANSLITERATION))[:SLUG_MAX_LENGTH].strip("-")
    return slug or _("press-release")


def release_archive_id(*, parsed: ParsedRelease) -> str:
    """Where a release came from; a second import of the same release finds its page by it."""
    if parsed.text_url:
        return parsed.text_url
    return f"{parsed.release_date.isoformat()}:{release_slug(title=parsed.title)}"


def release_publication_moment(*, release_date: datetime.date) -> datetime.datetime:
    # The archive records only the day of a release: it counts as published at the configured
    # morning hour of the archive's time zone, which keeps the calendar date the same there
    # and in UTC.
    zone = zoneinfo.ZoneInfo(press_setting("IMPORT_TIME_ZONE") or settings.TIME_ZONE)
    hour = datetime.time(press_setting("IMPORT_PUBLICATION_HOUR"))
    return datetime.datetime.combine(release_date, hour, tzinfo=zone)


def release_import(
    *,
    parsed: ParsedRelease,
    source_name: str,
    media_dir: Path | None,
    publish: bool,
    newsroom: PressIndexPage | None = None,
) -> ImportResult:
    """Save one parsed release as a page revision, all or nothing.

    A release imported before (same archive id) gets a new revision instead of a second page.
    With `publish`, the revision goes live and a first publication is dated on the release date
    at PRESS["IMPORT_PUBLICATION_HOUR"] in the archive's time zone; without, it is a draft (a live page stays as it is).
    """
    # Photos are fetched and checked before the transaction opens: on SQLite a write
    # transaction locks the whole database, and a download may take PRESS["IMPORT_DOWNLOAD_TIMEOUT"].
    photos = photos_fetch(parsed=parsed, media_dir=media_dir)
    stored_files: list[tuple[Any, str]] = []
    try:
        with transaction.atomic():
            result = _release_save(
                parsed=parsed,
                photos=photos,
                publish=publish,
                newsroom=newsroom,
                stored_files=stored_files,
            )
    except BaseException:
        # The rows are rolled back; the image files written for them would be orphans.
        for storage, name in stored_files:
            storage.delete(name)
        raise
    logger.info(
        "Imported %s as release %s (%s)",
        source_name,
        result.release.pk,
        "created" if result.created else "updated",
    )
    return result


def _release_save(
    *,
    parsed: ParsedRelease,
    photos: dict[int, tuple[str, bytes]],
    publish: bool,
    newsroom: PressIndexPage | None,
    stored_files: list[tuple[Any, str]],
) -> ImportResult:
    newsroom = newsroom or newsroom_find_or_create()
    archive_id = release_archive_id(parsed=parsed)
    existing = PressReleasePage.objects.filter(archive_id=archive_id).order_by("pk").first()

    def photo_image(photo: ParsedImage):
        file_name, content = photos[id(photo)]
        return photo_image_get_or_create(
            photo=photo, file_name=file_name, content=content, stored_files=stored_files
        )

    body = release_body_value(parsed=parsed, photo_image=photo_image)
    contact = contact_match_or_create(contact=parsed.contact)

    page = existing or PressReleasePage(
        slug=page_slug_unique(parent=newsroom, slug=release_slug(title=parsed.title)),
        archive_id=archive_id,
        # An archive is not news: a release with an archive id is mailed to nobody (the
        # subscriptions and distribution lists ask for it).
        live=False,
    )
    page.title = parsed.title
    page.release_date = parsed.release_date
    page.body = body
    page.contact = contact
    body_validate(page=page, parsed=parsed)

    try:
        if existing is None:
            newsroom.add_child(instance=page)
            log(instance=page, action="wagtail.create", content_changed=True)
            revision = page.save_revision()
        else:
            revision = page.save_revision(log_action=True)
        if publish:
            publication_first = page.first_published_at is None
            revision.publish(log_action=True)
            if publication_first:
                moment = release_publication_moment(release_date=parsed.release_date)
                PressReleasePage.objects.filter(pk=page.pk).update(
                    first_published_at=moment, last_published_at=moment
                )
    except ValidationError as error:
        raise ReleaseImportError(validation_text(error)) from error
    page.refresh_from_db()
    return ImportResult(release=page, created=existing is None)


def newsroom_find_or_create() -> PressIndexPage:
    """The default site's newsroom; a new site gets one ("Presse") below its root page."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    newsrooms = PressIndexPage.objects.order_by("path")
    found = None
    if site is not None:
        found = newsrooms.descendant_of(site.root_page, inclusive=True).first()
    found = found or newsrooms.first()
    if found is not None:
        return found
    if site is None:
        raise ReleaseImportError(
            _(
                "No default site set up: the press service needs a site to create its newsroom "
                "below the site's home page."
            )
        )
    root = site.root_page.specific
    newsroom = PressIndexPage(
        title=str(press_setting("IMPORT_NEWSROOM_TITLE")),
        slug=page_slug_unique(parent=root, slug=press_setting("IMPORT_NEWSROOM_SLUG")),
    )
    root.add_child(instance=newsroom)
    newsroom.save_revision().publish()
    return newsroom


def page_slug_unique(*, parent: Page, slug: str, exclude_pk: int | None = None) -> str:
    taken = set(parent.get_children().exclude(pk=exclude_pk).values_list("slug", flat=True))
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    return candidate


def contact_match_or_create(*, contact: ParsedContact | None) -> PressContact | None:
    if contact is None:
        return None
    found, created = PressContact.objects.get_or_create(
        name=contact.name, email=contact.email or "", defaults={"phone": contact.phone or ""}
    )
    if not created and not found.phone and contact.phone:
        found.phone = contact.phone
        found.save(update_fields=["phone"])
    return found


def _field(value: Any, name: str) -> Any:
    return value[name] if isinstance(value, dict) else getattr(value, name)


def release_body_value(
    *, parsed: ParsedRelease, photo_image: Callable[[ParsedImage], Any]
) -> list[tuple[str, Any]]:
    """The parsed blocks as a StreamField value (rich text as RichText, photos as images)."""
    body: list[tuple[str, Any]] = []
    for kind, value in parsed.body:
        if kind == "paragraph":
            body.append(("paragraph", RichText(value)))
        elif kind == "quote":
            body.append(
                (
                    "quote",
                    {
                        "text": RichText(_field(value, "text")),
                        "name": _field(value, "name"),
                        "role": _field(value, "role") or "",
                    },
                )
            )
        elif kind == "image":
            body.append(
                (
                    "image",
                    {
                        "image": photo_image(value),
                        "caption": value.caption or "",
                        "credit": value.credit or "",
                        "alt": value.alt or "",
                    },
                )
            )
        else:
            raise ReleaseImportError(_("Unknown block type %(kind)r") % {"kind": kind})
    return body


def body_validate(*, page: PressReleasePage, parsed: ParsedRelease) -> None:
    """The admin's rules for blocks (a photo needs its ©credit, a quote a name) apply here too."""
    try:
        page.body.stream_block.clean(page.body)
    except ValidationError as error:
        # A failing photo block can be found in the file by its address.
        failing = getattr(error, "block_errors", None) or {}
        addresses = (getattr(parsed.body[index][1], "source_url", None) for index in failing)
        locate = next((address for address in addresses if address), None)
        raise ReleaseImportError(validation_text(error, stream=page.body), locate=locate) from error


def validation_text(error: ValidationError, *, stream=None) -> str:
    """A block or model validation error as one line, named with the admin's labels."""
    parts: list[str] = []

    def label(key: Any, block: Any) -> tuple[str, Any]:
        if block is None and stream is not None and isinstance(key, int):
            child = stream[key].block
            return _("Block %(number)s (%(label)s)") % {
                "number": key + 1,
                "label": child.label,
            }, child
        child = getattr(block, "child_blocks", {}).get(key)
        return (str(child.label) if child is not None else str(key)), child

    def collect(err: Any, path: str, block: Any = None) -> None:
        block_errors = getattr(err, "block_errors", None)
        if block_errors:
            for key, child_error in block_errors.items():
                name, child = label(key, block)
                collect(child_error, f"{path} → {name}" if path else name, child)
            for child_error in getattr(err, "non_block_errors", None) or []:
                collect(child_error, path, block)
            return
        if isinstance(err, ValidationError) and hasattr(err, "error_dict"):
            for field, errors in err.error_dict.items():
                for child_error in errors:
                    collect(child_error, f"{path} → {field}" if path else field)
            return
        messages = err.messages if isinstance(err, ValidationError) else [str(err)]
        for message in messages:
            parts.append(f"{path}: {message}" if path else message)

    collect(error, "")
    return "; ".join(parts) or _("invalid data")


def photos_fetch(*, parsed: ParsedRelease, media_dir: Path | None) -> dict[int, tuple[str, bytes]]:
    """(file name, bytes) of every photo of the release, read and checked like an admin upload,
    keyed by the id of its parsed block. Raises ReleaseImportError for the first that fails."""
    photos: dict[int, tuple[str, bytes]] = {}
    for kind, value in parsed.body:
        if kind != "image" or id(value) in photos:
            continue
        file_name, content = photo_content(photo=value, media_dir=media_dir)
        photo_validate(
            file_name=file_name,
            content=content,
            line=getattr(value, "line", None),
            locate=value.source_url or None,
        )
        photos[id(value)] = (file_name, content)
    return photos


def photo_file_name(*, photo: ParsedImage) -> str | None:
    """The photo's file name, None when it (or its address) could leave a folder."""
    from_url = photo_file_name_from_url(photo.source_url or "")
    name = getattr(photo, "file_name", "") or from_url
    if name is None or not file_name_safe(name):
        return None
    if photo.source_url and from_url is None:
        return None
    return name


def photo_content(*, photo: ParsedImage, media_dir: Path | None) -> tuple[str, bytes]:
    """The photo's bytes: from --media-dir by the basename of its address, else over http(s)."""
    file_name = photo_file_name(photo=photo)
    line = getattr(photo, "line", None)
    locate = photo.source_url or None
    if file_name is None:
        # Refused before the folder is looked at: the same answer whether such a file exists.
        raise ReleaseImportError(
            file_name_refused_message(photo.source_url or getattr(photo, "file_name", "")),
            line=line,
            locate=locate,
        )
    max_size = getattr(settings, "WAGTAILIMAGES_MAX_UPLOAD_SIZE", 10 * 1024 * 1024)
    if media_dir is not None:
        path = _media_dir_file(media_dir=media_dir, file_name=file_name)
        if path is not None:
            if max_size is not None and path.stat().st_size > max_size:
                raise ReleaseImportError(
                    _("Photo “%(file)s” is too large (%(size)s); at most %(max)s")
                    % {
                        "file": file_name,
                        "size": filesizeformat(path.stat().st_size),
                        "max": filesizeformat(max_size),
                    },
                    line=line,
                    locate=locate,
                )
            return file_name, path.read_bytes()
    url = photo.source_url or ""
    if urlsplit(url).scheme not in {"http", "https"}:
        if media_dir is not None:
            message = _(
                "Photo “%(file)s” not available: not in %(dir)s and no http(s) address (%(url)s)"
            )
        else:
            message = _("Photo “%(file)s” not available: no http(s) address (%(url)s)")
        raise ReleaseImportError(
            message % {"file": file_name or url, "dir": media_dir, "url": repr(url)},
            line=line,
            locate=locate,
        )
    download_max = press_setting("IMPORT_DOWNLOAD_MAX_BYTES")
    if max_size is not None and (download_max is None or max_size < download_max):
        download_max = max_size
    try:
        content = url_fetch(
            url,
            timeout=press_setting("IMPORT_DOWNLOAD_TIMEOUT"),
            max_bytes=download_max,
            allowed_networks=networks_parse(press_setting("IMPORT_ALLOWED_NETWORKS")),
        )
    except FetchTooLarge as error:
        raise ReleaseImportError(
            _("Photo “%(file)s” from %(url)s is too large (over %(max)s)")
            % {"file": file_name, "url": url, "max": filesizeformat(download_max)},
            line=line,
            locate=locate,
        ) from error
    except FetchError as error:
        if media_dir is not None:
            message = _(
                "Photo “%(file)s” not available: not in %(dir)s and cannot be fetched from "
                "%(url)s (%(reason)s)"
            )
        else:
            message = _(
                "Photo “%(file)s” not available: cannot be fetched from %(url)s (%(reason)s)"
            )
        raise ReleaseImportError(
            message % {"file": file_name, "dir": media_dir, "url": url, "reason": error},
            line=line,
            locate=locate,
        ) from error
    return file_name, content


def _media_dir_file(*, media_dir: Path, file_name: str) -> Path | None:
    """The file of that name in the folder (case-insensitively), never one outside it (a
    symbolic link pointing out of the folder does not count)."""
    root = media_dir.resolve()

    def inside(path: Path) -> bool:
        return path.is_file() and path.resolve().parent == root

    path = media_dir / file_name
    if inside(path):
        return path
    # Archives mix `.JPG` and `.jpg`; a copy on disk may differ from the address in case only.
    lowered = file_name.lower()
    for candidate in media_dir.iterdir():
        if candidate.name.lower() == lowered and inside(candidate):
            return candidate
    return None


def photo_validate(
    *, file_name: str, content: bytes, line: int | None = None, locate: str | None = None
) -> None:
    """Refuse exactly what the admin's upload form refuses (press.images.PressImageField):
    extension, format, size and pixel limits, decompression bombs, and files that do not
    decode in full."""
    try:
        PressImageField().clean(SimpleUploadedFile(file_name, content))
    except ValidationError as error:
        raise ReleaseImportError(
            _("Photo “%(file)s” refused: %(reasons)s")
            % {"file": file_name, "reasons": " ".join(error.messages)},
            line=line,
            locate=locate,
        ) from error


def photo_image_get_or_create(
    *, photo: ParsedImage, file_name: str, content: bytes, stored_files: list[tuple[Any, str]]
):
    """A Wagtail image for the photo's checked bytes; the same file imported twice is one
    image."""
    image_model = get_image_model()
    file_hash = hash_filelike(BytesIO(content))
    existing = image_model.objects.filter(file_hash=file_hash).order_by("pk").first()
    if existing is not None:
        return existing
    title = re.sub(r"\s+", " ", photo.caption or "").strip()[:255] or Path(file_name).stem
    image = image_model(
        title=title,
        description=(photo.alt or photo.caption or "")[:255],
        file=ImageFile(BytesIO(content), name=file_name),
        file_size=len(content),
        file_hash=file_hash,
    )
    try:
        image.save()
    finally:
        # Recorded even when the row fails to save: the file is already in storage then.
        if image.file.name:
            stored_files.append((image.file.storage, image.file.name))
    # The archive has a credit per use only: the photo's own credit is the one it first came
    # with, so the photo library shows it and a later use may leave the block's credit empty.
    PhotoRights.objects.create(image=image, credit=(photo.credit or "")[:200])
    return image
