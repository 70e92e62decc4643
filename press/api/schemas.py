"""The press API's typed shapes: what a frontend can rely on, named one by one in OpenAPI.

The values themselves come from press.serializers (the one serialisation of a release); these
schemas only describe and validate them, so the document and the data cannot drift apart.
"""

import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

# Query values must fit a database integer; larger ones are an error, not an overflow.
MAX_DB_INT = 2**63 - 1
# No NUL bytes in text parameters: PostgreSQL rejects them in queries.
TEXT_PATTERN = r"^[^\x00]*$"


class Contact(Schema):
    name: str
    email: str
    phone: str


class ParagraphValue(Schema):
    html: str = Field(description="Der Absatz als HTML (Links absolut, Hoch-/Tiefstellung).")
    text: str = Field(description="Derselbe Absatz als reiner Text.")


class ParagraphBlock(Schema):
    type: Literal["paragraph"]
    id: str
    value: ParagraphValue


class QuoteValue(Schema):
    text: str = Field(description="Das Zitat als HTML.")
    text_plain: str = Field(description="Das Zitat als reiner Text.")
    name: str = Field(description="Name der zitierten Person.")
    role: str = Field(description="Funktion der zitierten Person; leer, wenn keine.")


class QuoteBlock(Schema):
    type: Literal["quote"]
    id: str
    value: QuoteValue


class Rendition(Schema):
    url: str
    width: int
    height: int


class ImageFile(Schema):
    id: int
    title: str
    url: str = Field(description="Absolute Adresse des Originals.")
    width: int
    height: int
    file_name: str
    renditions: list[Rendition] = Field(description="Verkleinerungen für srcset, aufsteigend.")


class ImageValue(Schema):
    caption: str
    credit: str = Field(description="Bildnachweis (©), Pflicht bei jeder Veröffentlichung.")
    alt: str
    image: ImageFile | None = Field(description="null, wenn das Bild gelöscht wurde.")


class ImageBlock(Schema):
    type: Literal["image"]
    id: str
    value: ImageValue


BodyBlock = Annotated[ParagraphBlock | QuoteBlock | ImageBlock, Field(discriminator="type")]


class Release(Schema):
    id: int
    title: str
    slug: str
    release_date: datetime.date
    lead: str
    body: list[BodyBlock]
    contact: Contact | None
    html_url: str | None
    text_url: str | None
    first_published_at: datetime.datetime | None
    last_published_at: datetime.datetime | None
    photos: list[ImageValue] = Field(
        description="Die Pressefotos zum Download, in Textreihenfolge."
    )


class ReleaseList(Schema):
    count: int = Field(description="Anzahl aller Treffer, unabhängig von limit/offset.")
    limit: int
    offset: int
    next: str | None = Field(description="Adresse der nächsten Seite; null auf der letzten.")
    previous: str | None = Field(description="Adresse der vorigen Seite; null auf der ersten.")
    results: list[Release]


class Problem(Schema):
    """An error as RFC 9457 problem details (`application/problem+json`)."""

    type: str
    title: str
    status: int
    detail: str
    parameter: str | None = Field(
        None, description="Der Anfrageparameter, der den Fehler verursacht hat."
    )


class ReleaseFilters(Schema):
    limit: int = Field(20, ge=1, le=100, description="Treffer je Seite (höchstens 100).")
    offset: int = Field(0, ge=0, le=1_000_000, description="Übersprungene Treffer.")
    year: int | None = Field(None, ge=1, le=9999, description="Erscheinungsjahr.")
    month: int | None = Field(None, ge=1, le=12, description="Erscheinungsmonat (1 bis 12).")
    date_from: datetime.date | None = Field(None, description="Frühestes Datum (einschließlich).")
    date_to: datetime.date | None = Field(None, description="Spätestes Datum (einschließlich).")
    contact: int | None = Field(None, ge=1, le=MAX_DB_INT, description="Id des Pressekontakts.")
    q: str | None = Field(
        None, min_length=1, max_length=200, pattern=TEXT_PATTERN, description="Volltextsuche."
    )
    ordering: Literal["-release_date", "release_date"] = Field(
        "-release_date", description="Neueste zuerst (Standard) oder älteste zuerst."
    )


class ReleaseLookup(Schema):
    path: str | None = Field(
        None,
        min_length=1,
        max_length=2000,
        pattern=TEXT_PATTERN,
        description="Pfad der Seite, z. B. /presse/masterplan-industrie/ oder eine Frontend-"
        "Route, die auf den Slug endet (/presse/2023/masterplan-industrie).",
    )
    slug: str | None = Field(
        None, min_length=1, max_length=255, pattern=TEXT_PATTERN, description="Slug der Seite."
    )
