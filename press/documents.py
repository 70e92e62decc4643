"""A release as data: the one serialisation every channel reads.

API v2, the press API, the release page's head, the feeds, the text version and the archive
export all take a release's data from here; the blocks turn themselves into data once
(`get_api_representation`). The functions take a release instance and never query for
releases themselves: the callers decide what is visible.
"""

import mimetypes
import re
from collections.abc import Iterable

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import translation
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext, pgettext
from wagtail.blocks import StreamValue
from wagtail.images import get_image_model
from wagtail.images.models import SourceImageIOError

from .addresses import site_root_url
from .conf import press_setting
from .text import TextLabels, release_render_text

# Column width of the plain-text version: what mail clients and news desks wrap at.
TEXT_WIDTH = 72


def release_long_date(value) -> str:
    """A release's date written out in the active language: `07. Februar 2023` in German (the
    press office's own form, whatever Django's DATE_FORMAT), `February 7, 2023` in English."""
    if not value:
        return ""
    # Translators: a Django date format (https://docs.djangoproject.com/en/stable/ref/templates/builtins/#date);
    # German: "d. F Y" gives "07. Februar 2023".
    return date_format(value, pgettext("long date of a press release", "F j, Y"))


def text_labels() -> TextLabels:
    """The words around a release in its text version, in the active language."""
    return TextLabels(
        # Translators: label before the address of the text version ("Textversion:").
        text_version=gettext("Text version"),
        # Translators: label before the press contact's name ("Kontakt: Jana Muster").
        contact=gettext("Contact"),
        # Translators: written before the contact's phone number ("Telefon +49 …").
        phone=gettext("Phone"),
        # Translators: before a correction's date ("Korrektur vom 3. Dezember 2026: …").
        correction=gettext("Correction of"),
    )


def release_corrections(release) -> list[dict]:
    """The release's correction notes, oldest first: `{"date", "text"}` (from the revision
    being built, so a draft's corrections stay in the draft)."""
    notes = sorted(release.corrections.all(), key=lambda note: (note.date, note.sort_order or 0))
    return [{"date": note.date, "text": note.text.strip()} for note in notes if note.text.strip()]


def release_topics(release) -> list[dict]:
    """The release's topics as `{"slug", "name"}`, by name (from the revision being built, so a
    draft's topics stay in the draft)."""
    topics = sorted(release.topics.all(), key=lambda topic: topic.name.casefold())
    return [topic.as_data() for topic in topics]


def release_tags(release) -> list[dict]:
    """The release's free tags as `{"slug", "name"}`, like its topics: the slug is what the
    APIs filter by, the name what an editor typed."""
    tags = sorted(release.tags.all(), key=lambda tag: tag.name.casefold())
    return [{"slug": tag.slug, "name": tag.name} for tag in tags]


def release_base_url(release) -> str:
    """The one root of a release's absolute addresses (press.addresses.site_root_url of its site):
    the host that serves its pages serves its photo downloads and renditions too. Media on
    another host (MEDIA_URL on a CDN) keep their own."""
    return site_root_url(release.get_site())


def release_body_data(
    *, release, request=None, renditions: bool = True, base: str | None = None
) -> list[dict]:
    """The body as [{type, id, value}] where value is each block's API representation.

    `renditions=False` leaves out the photos' renditions (the text version needs originals);
    `base`: the root of absolute addresses when there is no request."""
    context = {"request": request} if request is not None else {}
    if base:
        context["base_url"] = base
    if not renditions:
        context["renditions"] = False
    return list(release.body.stream_block.get_api_representation(release.body, context=context))


def release_serialize(
    *, release, request=None, body: list[dict] | None = None, language: str | None = None
) -> dict:
    """Everything a frontend shows of a release, with absolute addresses. `language`: the
    code of the release's locale, when the caller has looked it up (else one query)."""
    if body is None:
        body = release_body_data(release=release, request=request)
    photos = [
        block["value"] for block in body if block["type"] == "image" and block["value"]["image"]
    ]
    return {
        "id": release.pk,
        "title": release.title,
        "slug": release.slug,
        "language": language or release.locale.language_code,
        "release_date": release.release_date,
        "lead": release.lead,
        "body": body,
        "contact": release.contact.as_data() if release.contact_id else None,
        "html_url": release.get_full_url(request),
        "text_url": release.text_url,
        "pdf_url": release.pdf_url,
        "corrections": release_corrections(release),
        "topics": release_topics(release),
        "tags": release_tags(release),
        "press_kit_url": release.press_kit_url,
        "first_published_at": release.first_published_at,
        "last_published_at": release.last_published_at,
        "photos": photos,
    }


def release_render_text_for(
    *, release, request=None, office=None, body: list[dict] | None = None
) -> str:
    """The plain-text version of a release, from the same block data as every other channel.

    `office`: the site's settings when the caller renders many releases (an archive export)
    and has looked them up once."""
    office = office or release.office_settings(request)
    if body is None:
        body_data = release_body_data(release=release, request=request, renditions=False)
    else:
        body_data = body
    body = []
    for block in body_data:
        value = dict(block["value"])
        if block["type"] == "image":
            value["url"] = value["image"]["url"] if value["image"] else ""
        body.append({"type": block["type"], "value": value})
    return release_render_text(
        title=release.title,
        release_date=release.release_date,
        lead=release.lead,
        body=body,
        contact=release.contact.as_data() if release.contact_id else None,
        office_name=office.office_name,
        service_name=office.service_name,
        download_sentence=office.download_sentence,
        text_url=release.text_url,
        corrections=[
            (release_long_date(note["date"]), note["text"]) for note in release_corrections(release)
        ],
        width=TEXT_WIDTH,
        date_text=release_long_date(release.release_date),
        labels=text_labels(),
    )


# --- head metadata: description, photos, OpenGraph, JSON-LD ---------------------------------
DESCRIPTION_LENGTH = 200


def release_description(*, release, body: list[dict]) -> str:
    """What a search result or a shared link shows: the editor's description, else the lead,
    else the first paragraph of text (not a subheading or a list, when there is one)."""
    text = release.search_description or release.lead
    if not text:
        paragraphs = [block["value"] for block in body if block["type"] == "paragraph"]
        prose = [value for value in paragraphs if value["html"].lstrip().startswith("<p")]
        text = next((value["text"] for value in prose or paragraphs), "")
    return Truncator(" ".join(text.split())).chars(DESCRIPTION_LENGTH)


def release_photos(*, body: list[dict]) -> list[dict]:
    return [
        block["value"] for block in body if block["type"] == "image" and block["value"]["image"]
    ]


def photo_og_rendition(photo: dict) -> dict:
    """The largest sized rendition (a JPEG/PNG of a sensible size), else the original."""
    image = photo["image"]
    if image["renditions"]:
        return image["renditions"][-1]
    return {"url": image["url"], "width": image["width"], "height": image["height"]}


def release_json_ld(
    *, release, url: str, description: str, photos: list[dict], office_name: str
) -> dict:
    office = {"@type": "Organization", "name": office_name}
    modified = release.last_published_at or release.latest_revision_created_at
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": release.title,
        "description": description,
        "url": url,
        "mainEntityOfPage": url,
        "inLanguage": translation.get_language() or "de",
        "datePublished": release.release_date.isoformat(),
        "dateModified": modified.isoformat() if modified else release.release_date.isoformat(),
        "author": office,
        "publisher": office,
        "image": [
            {
                "@type": "ImageObject",
                "contentUrl": photo["image"]["url"],
                "url": photo["image"]["url"],
                "width": photo["image"]["width"],
                "height": photo["image"]["height"],
                "caption": photo["caption"],
                "creditText": photo["credit"],
                "copyrightNotice": f"© {photo['credit']}",
            }
            for photo in photos
        ],
    }


def release_meta_for(*, release, request=None, body: list[dict] | None = None, office=None) -> dict:
    """Everything the page head says about a release: description, canonical address,
    OpenGraph image and the JSON-LD `NewsArticle`."""
    if body is None:
        body = release_body_data(release=release, request=request)
    office = office or release.office_settings(request)
    url = release.get_full_url(request)
    description = release_description(release=release, body=body)
    photos = release_photos(body=body)
    og_image = None
    if photos:
        og_image = {**photo_og_rendition(photos[0]), "alt": photos[0]["alt"]}
    return {
        "description": description,
        "canonical_url": url,
        "og_image": og_image,
        "site_name": f"{office.service_name} – {office.office_name}",
        "photos": photos,
        "download_sentence": office.download_sentence,
        "json_ld": release_json_ld(
            release=release,
            url=url,
            description=description,
            photos=photos,
            office_name=office.office_name,
        ),
    }


# --- the stored document -------------------------------------------------------------------
def release_document_build(
    *, release, office=None, base: str | None = None, language: str | None = None
) -> dict:
    """Everything the public channels show of a release's current revision, built at once:

    - `api`: the press API's release object (absolute addresses from the site's root URL and
      the media base, not from a request);
    - `data`: `body` (block data with renditions — generated here, never on a reader's request),
      `photos`, `meta` (page head), `feed` (what a feed item adds), `topics` and `tags`;
    - `text`: the plain-text version.

    `office`, `base` and `language` (the code of the release's locale): the site's settings
    and root when the caller builds many releases of one site and has looked them up once.
    """
    base = base or release_base_url(release)
    body = release_body_data(release=release, base=base)
    office = office or release.office_settings()
    photos = release_photos(body=body)
    meta = release_meta_for(release=release, body=body, office=office)
    api = release_serialize(release=release, body=body, language=language)
    return {
        "api": api,
        "data": {
            "body": body,
            "photos": photos,
            "meta": meta,
            "feed": {"enclosure": release_enclosure(release=release, photos=photos)},
            "corrections": [
                {**note, "date_text": release_long_date(note["date"])}
                for note in release_corrections(release)
            ],
            "topics": api["topics"],
            "tags": api["tags"],
            "base_url": base,
        },
        "text": release_render_text_for(release=release, office=office, body=body),
    }


def release_enclosure(*, release, photos: list[dict]) -> dict | None:
    """The first press photo as a feed enclosure: its original's address, size and type."""
    if not photos:
        return None
    images = (block.value["image"] for block in release.body if block.block_type == "image")
    image = next((image for image in images if image), None)
    try:
        length = (image.get_file_size() if image else None) or 0
    except SourceImageIOError:  # a missing original must not stop a publication
        length = 0
    file_name = photos[0]["image"]["file_name"]
    return {
        "url": photos[0]["image"]["url"],
        "length": length,
        "mime_type": mimetypes.guess_type(file_name)[0] or "image/jpeg",
    }


# --- many releases at once ----------------------------------------------------------------
def rendition_specs() -> list[str]:
    return [f"width-{w}" for w in press_setting("IMAGE_WIDTHS")]


def images_prefetch_renditions(*, images: Iterable, specs: list[str] | None = None) -> None:
    """Attach the srcset renditions to each image, so `get_renditions` finds them in memory."""
    images = [image for image in images if image is not None]
    if not images:
        return
    rendition_model = get_image_model().get_rendition_model()
    prefetch_related_objects(
        images,
        Prefetch(
            "renditions",
            queryset=rendition_model.objects.filter(filter_spec__in=specs or rendition_specs()),
            to_attr="prefetched_renditions",
        ),
    )


def _images_in(value) -> Iterable:
    """Images held by a block value (the image block's StructValue keeps one under "image")."""
    image_model = get_image_model()
    if isinstance(value, image_model):
        yield value
    elif hasattr(value, "get") and isinstance(value.get("image"), image_model):
        yield value["image"]


def releases_prefetch_body(*, releases: Iterable, renditions: bool = True) -> None:
    """Turn the raw body data of all `releases` into block values with a constant number of queries.

    The stream block's `bulk_to_python` converts the stored data of every release at once (each
    block type's `bulk_to_python` gets the values of all releases together), and each release
    gets its converted body assigned. `renditions=False` for readers that link only the
    originals (the text version).
    """
    # Per stream block (by identity: blocks compare by definition, not as objects), the
    # releases whose stored body is still raw data.
    streams: dict[int, tuple] = {}
    for release in releases:
        stream = release.body
        if isinstance(stream, StreamValue) and stream.is_lazy:
            streams.setdefault(id(stream.stream_block), (stream.stream_block, []))[1].append(
                release
            )

    images = []
    for stream_block, group in streams.values():
        values = stream_block.bulk_to_python([list(release.body.raw_data) for release in group])
        for release, value in zip(group, values, strict=True):
            release.body = value
            for child in value:
                images.extend(_images_in(child.value))
    images = [image for image in images if image is not None]
    if images:  # each photo's credit and rights end (press.PhotoRights), all in one query
        prefetch_related_objects(images, "photo_rights")
    if renditions:
        images_prefetch_renditions(images=images)


def release_search_text(*, release) -> str:
    """The words Wagtail's search index holds for a release (its `search_fields`): title, lead,
    the body's searchable content (paragraphs, quotes, captions, credits) and the contact's
    name, one line each; stored with the release's document when it is published."""
    body = release.body.stream_block.get_searchable_content(release.body)
    contact = release.contact.name if release.contact_id else ""
    parts = [release.title, release.lead, *body, contact]
    return "\n".join(part.strip() for part in parts if part and part.strip())


# --- photo addresses of a release behind a view restriction ----------------------------------
# The size name of a photo's original in a checked photo address (the others: a rendition's
# width, or a download's kind).
PHOTO_ORIGINAL = "original"


def document_images(value) -> Iterable[dict]:
    """Every image in a document's data (body, head, feed): the dicts `image_data` made."""
    if isinstance(value, dict):
        if {"id", "url", "renditions", "downloads"} <= value.keys():
            yield value
            return
        for item in value.values():
            yield from document_images(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from document_images(item)


def document_photo_addresses(data: dict, *, address) -> dict[str, str]:
    """{each address of a photo file a document names: `address(image_id, size)`}, where size
    is a sized rendition's width ("800"), a download's kind ("print", "web") or
    PHOTO_ORIGINAL. Read from the data alone: the renditions it names need not exist."""
    replacements = {}
    for image in document_images(data):
        for rendition in image["renditions"]:
            replacements[rendition["url"]] = address(image["id"], str(rendition["width"]))
        for download in image["downloads"]:
            replacements[download["url"]] = address(image["id"], download["kind"])
        replacements[image["url"]] = address(image["id"], PHOTO_ORIGINAL)
    return replacements


def addresses_replace(value, *, replacements: dict[str, str]):
    """`value` (a document's data or a text) with every address in `replacements` swapped for
    its new one, wherever it occurs (srcset, OpenGraph, JSON-LD, the text version)."""
    if not replacements:
        return value
    # Longest first: an address that begins another one never cuts it in two.
    pattern = re.compile(
        "|".join(re.escape(old) for old in sorted(replacements, key=len, reverse=True))
    )

    def replaced(item):
        if isinstance(item, str):
            return pattern.sub(lambda found: replacements[found.group(0)], item)
        if isinstance(item, dict):
            return {key: replaced(part) for key, part in item.items()}
        if isinstance(item, list | tuple):
            return type(item)(replaced(part) for part in item)
        return item

    return replaced(value)
