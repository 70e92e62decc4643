"""A release's press kit: one ZIP with its photos' originals (named as uploaded), its text
version and `credits.txt` (caption and © of each photo), streamed as it is written.

The ZIP goes out chunk by chunk (zipfile writes to an unseekable pipe, so each entry's sizes
follow it in a data descriptor): memory stays flat whatever the photos weigh. Only what the
public sees of the release is in it: the photos of its stored document.
"""

import zipfile
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _
from wagtail.images import get_image_model

CHUNK_SIZE = 64 * 1024


class Pipe:
    """A write-only file without seek for zipfile: written bytes wait here until taken."""

    def __init__(self):
        self.parts: list[bytes] = []
        self.position = 0

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def photo_names(photos: Iterable[dict]) -> list[tuple[dict, str]]:
    """Each photo once (a photo shown twice is one file), with its upload name; a name two
    different photos share gets a number in front."""
    seen_images, used, named = set(), set(), []
    for photo in photos:
        image = photo["image"]
        if image["id"] in seen_images:
            continue
        seen_images.add(image["id"])
        name, number = image["file_name"], 1
        while name.lower() in used:
            number += 1
            name = f"{number}-{image['file_name']}"
        used.add(name.lower())
        named.append((photo, name))
    return named


def credits_text(*, title: str, release_date: str, named_photos: list[tuple[dict, str]]) -> str:
    lines = [title, release_date, "", _("Photos and credits"), ""]
    for photo, name in named_photos:
        lines.append(name)
        if photo["caption"]:
            lines.append(photo["caption"])
        lines.append(f"©{photo['credit']}")
        lines.append("")
    return "\n".join(lines)


def press_kit_stream(
    *, title: str, release_date: str, photos: list[dict], text: str, text_name: str
) -> Iterator[bytes]:
    """The ZIP's bytes, chunk by chunk: text version, credits.txt, then the originals."""
    named = photo_names(photos)
    images = get_image_model().objects.in_bulk([photo["image"]["id"] for photo, _name in named])
    pipe = Pipe()
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(text_name, text.encode("utf-8"))
        credits = credits_text(title=title, release_date=release_date, named_photos=named)
        archive.writestr("credits.txt", credits.encode("utf-8"))
        yield pipe.take()
        for photo, name in named:
            image = images.get(photo["image"]["id"])
            if image is None:  # deleted since the document was built
                continue
            # Photos are compressed already: stored as they are.
            info = zipfile.ZipInfo(name, date_time=image.created_at.timetuple()[:6])
            info.compress_type = zipfile.ZIP_STORED
            with (
                image.file.storage.open(image.file.name, "rb") as source,
                archive.open(info, "w", force_zip64=True) as target,
            ):
                while chunk := source.read(CHUNK_SIZE):
                    target.write(chunk)
                    yield pipe.take()
            yield pipe.take()
    yield pipe.take()
