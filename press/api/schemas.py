"""The press API's typed shapes: what a frontend can rely on, named one by one in OpenAPI.

The values themselves come from press.serializers (the one serialisation of a release); these
schemas only describe and validate them, so the document and the data cannot drift apart.
"""

import datetime
import re
from typing import Annotated, Literal

from django.utils.translation import gettext_lazy as _
from ninja import Schema
from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

# Query values must fit a database integer; larger ones are an error, not an overflow.
MAX_DB_INT = 2**63 - 1
# No control characters in text parameters (C0, DEL, C1): no parameter has a use for them, and
# PostgreSQL rejects NUL in any query.
TEXT_PATTERN = r"^[^\x00-\x1f\x7f-\x9f]*$"
# A topic's or tag's slug in a filter; a filter repeated more often is no menu a reader uses.
SlugValue = Annotated[str, Field(min_length=1, max_length=100, pattern=TEXT_PATTERN)]
MAX_REPEATED = 20
# A date parameter is YYYY-MM-DD and nothing else: pydantic would read `0` or `1700000000` as
# a Unix time, and a frontend's typo would filter by 1970 instead of being told.
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


class Contact(Schema):
    name: str
    email: str
    phone: str


class ParagraphValue(Schema):
    html: str = Field(
        description=_(
            "The paragraph as HTML: <p> with emphasis, absolute links, line breaks, superscript "
            "and subscript; or a list (<ul>/<ol>, nested lists inside their <li>); or a "
            "subheading (<h2>/<h3>)."
        )
    )
    text: str = Field(
        description=_(
            "The same paragraph as plain text (list items indented, a subheading underlined)."
        )
    )


class ParagraphBlock(Schema):
    type: Literal["paragraph"]
    id: str
    value: ParagraphValue


class QuoteValue(Schema):
    text: str = Field(description=_("The quote as HTML."))
    text_plain: str = Field(description=_("The quote as plain text."))
    name: str = Field(description=_("Name of the person quoted."))
    role: str = Field(description=_("Role of the person quoted; empty if none."))


class QuoteBlock(Schema):
    type: Literal["quote"]
    id: str
    value: QuoteValue


class Correction(Schema):
    date: datetime.date = Field(description=_("Day of the correction."))
    text: str = Field(description=_("What was corrected."))


class ReleaseTopic(Schema):
    slug: str = Field(description=_("The topic's slug, the value of the `topic` filter."))
    name: str


class Tag(Schema):
    slug: str = Field(description=_("The tag's slug, the value of the `tag` filter."))
    name: str = Field(description=_("The tag as the editor typed it."))


class Topic(Schema):
    slug: str = Field(description=_("The value of the releases' `topic` filter."))
    name: str
    description: str
    release_count: int = Field(description=_("Number of published releases in the topic."))


class TopicList(Schema):
    count: int
    results: list[Topic] = Field(
        description=_("Every topic, by name, also those without releases.")
    )


class Rendition(Schema):
    url: str
    width: int
    height: int


class Download(Schema):
    kind: Literal["print", "web"] = Field(
        description=_("print: up to 3000 pixels on the long side; web: up to 1200 (JPEG).")
    )
    url: str
    width: int
    height: int


class ImageFile(Schema):
    id: int
    title: str
    url: str = Field(description=_("Absolute address of the original."))
    width: int
    height: int
    file_name: str
    renditions: list[Rendition] = Field(description=_("Smaller versions for srcset, ascending."))
    downloads: list[Download] = Field(
        description=_("Sizes to download besides the original: print and web.")
    )


class ImageValue(Schema):
    caption: str
    credit: str = Field(
        description=_("Credit (©): this use's, else the photo's; required for every publication.")
    )
    alt: str
    licence: str = Field(description=_("The photo's licence or terms of use; empty if none."))
    rights_end: datetime.datetime | None = Field(
        description=_("When the photo's rights end (it is then withdrawn); null: no end.")
    )
    image: ImageFile | None = Field(description=_("null if the image was deleted."))


class ImageBlock(Schema):
    type: Literal["image"]
    id: str
    value: ImageValue


BodyBlock = Annotated[ParagraphBlock | QuoteBlock | ImageBlock, Field(discriminator="type")]


class Release(Schema):
    id: int
    title: str
    slug: str
    language: str = Field(
        description=_(
            "The release's language, the code of its locale: the site's language for an "
            "original, e.g. en or de-x-ls (Leichte Sprache) for a version. The value of the "
            "`language` filter."
        )
    )
    release_date: datetime.date
    lead: str
    body: list[BodyBlock]
    contact: Contact | None
    html_url: str | None
    text_url: str | None
    pdf_url: str | None = Field(description=_("The print version (PDF)."))
    press_kit_url: str | None = Field(
        description=_("The press kit: one ZIP with the photos' originals, text and credits.")
    )
    corrections: list[Correction] = Field(
        description=_("Correction notes added after publication, oldest first.")
    )
    topics: list[ReleaseTopic] = Field(
        description=_("The office's topics of the release, by name.")
    )
    tags: list[Tag] = Field(description=_("Free keywords of the release, by name."))
    first_published_at: datetime.datetime | None
    last_published_at: datetime.datetime | None
    photos: list[ImageValue] = Field(description=_("The press photos for download, in text order."))


class ReleaseTranslation(Schema):
    language: str = Field(description=_("The version's language, e.g. de, en or de-x-ls."))
    id: int = Field(description=_("The version's id, for `/releases/{id}`."))
    title: str
    html_url: str = Field(description=_("The version's public page."))


class ReleaseDetail(Release):
    translations: list[ReleaseTranslation] = Field(
        description=_(
            "The release's other versions that are public now, the original first: for a "
            "version, the original and the other versions. Only in the answer about one "
            "release; a list asks for one language with `language`."
        )
    )


class ReleaseList(Schema):
    count: int = Field(
        description=_(
            "Number of all results, whatever limit/offset — counted exactly up to 1,000 past the "
            "offset; beyond, this ceiling and count_exact is false."
        )
    )
    count_exact: bool = Field(
        description=_("False when more results exist than count says (count is a lower bound).")
    )
    limit: int
    offset: int
    next: str | None = Field(description=_("Address of the next page; null on the last."))
    previous: str | None = Field(description=_("Address of the previous page; null on the first."))
    results: list[Release]


class Problem(Schema):
    """An error as RFC 9457 problem details (`application/problem+json`)."""

    type: str
    title: str
    status: int
    detail: str
    parameter: str | None = Field(
        None, description=_("The request parameter that caused the error.")
    )


class ReleaseFilters(Schema):
    limit: int = Field(20, ge=1, le=100, description=_("Results per page (at most 100)."))
    offset: int = Field(0, ge=0, le=1_000_000, description=_("Results skipped."))
    year: int | None = Field(None, ge=1, le=9999, description=_("Year of publication."))
    month: int | None = Field(None, ge=1, le=12, description=_("Month of publication (1 to 12)."))
    date_from: datetime.date | None = Field(
        None, description=_("Earliest date (inclusive), YYYY-MM-DD.")
    )
    date_to: datetime.date | None = Field(
        None, description=_("Latest date (inclusive), YYYY-MM-DD.")
    )
    contact: int | None = Field(
        None, ge=1, le=MAX_DB_INT, description=_("Id of the press contact.")
    )
    q: str | None = Field(
        None, min_length=1, max_length=200, pattern=TEXT_PATTERN, description=_("Full-text search.")
    )
    topic: list[SlugValue] = Field(
        default_factory=list,
        max_length=MAX_REPEATED,
        description=_(
            "Slug of a topic (see /topics); repeated: releases in any of them. An unknown "
            "topic is a 400."
        ),
    )
    tag: list[SlugValue] = Field(
        default_factory=list,
        max_length=MAX_REPEATED,
        description=_(
            "Slug of a tag; repeated: releases with any of them. Together with `topic`, both "
            "must match. An unknown tag matches nothing."
        ),
    )
    ordering: Literal["-release_date", "release_date"] = Field(
        "-release_date", description=_("Newest first (default) or oldest first.")
    )
    language: str | None = Field(
        None,
        min_length=2,
        max_length=20,
        pattern=r"^[a-z]{2,3}(-[a-z0-9]{1,8})*$",
        description=_(
            "Language of the releases: the site's language (default: the originals) or a "
            "version's, e.g. en or de-x-ls (Leichte Sprache). An unknown language is a 400."
        ),
    )

    @field_validator("date_from", "date_to", mode="before")
    @classmethod
    def date_strict(cls, value):
        if value is None or isinstance(value, datetime.date):
            return value
        if not (isinstance(value, str) and re.fullmatch(ISO_DATE, value)):
            raise PydanticCustomError("date_parsing", "Input should be a date YYYY-MM-DD")
        return value


class ReleaseLookup(Schema):
    path: str | None = Field(
        None,
        min_length=1,
        max_length=2000,
        pattern=TEXT_PATTERN,
        description=_(
            "Path of the page, e.g. /press/masterplan-industry/, or a frontend route that ends "
            "in the slug (/press/2023/masterplan-industry). A version's path starts with its "
            "language (/en/press/masterplan-industry/)."
        ),
    )
    slug: str | None = Field(
        None,
        min_length=1,
        max_length=255,
        pattern=TEXT_PATTERN,
        description=_("Slug of the original (its versions share it)."),
    )
