"""The stored public document of a release: built when it is published, read by every channel.

A document holds what a reader sees of the release's live revision, turned into data once
(press.documents builds it): the press API's release object as JSON text, the body and photos
as block data with their renditions, the head metadata, the feed item and the text version.
Visibility is never stored: every channel still asks `PressReleasePage.objects.visible()`.
"""

import hashlib
import json
import logging
from collections.abc import Hashable
from dataclasses import dataclass

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, router, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..documents import release_document_build
from ..statements import Statement, statement

logger = logging.getLogger(__name__)

# Bumped when the shape of a document changes: older documents are rebuilt when read.
# 3: photos carry licence, rights end and their print and web downloads; 4: topics and tags.
DOCUMENT_VERSION = 4


def document_photos_expire_at(data: dict):
    """The earliest rights end among the photos a document shows (None: none ends)."""
    ends = [photo.get("rights_end") for photo in data.get("photos", [])]
    ends = [end for end in ends if end]
    return min(ends) if ends else None


class ReleaseDocumentQuerySet(models.QuerySet):
    def store(self, *, release) -> "ReleaseDocument":
        """Build the document of the release's live revision and store it (one row per release)."""
        return self.store_many(releases=[release])[0]

    def store_many(self, *, releases, office=None, base: str | None = None) -> list:
        """Build the documents of these live releases and store them in one statement.

        Built in the site's language (LANGUAGE_CODE), whoever publishes: an editor whose admin
        speaks English must not turn the public text version English. `office` and `base`:
        the settings and root of the releases' one site, when the caller knows them."""
        documents = []
        now = timezone.now()
        for release in releases:
            with translation.override(settings.LANGUAGE_CODE):
                built = release_document_build(release=release, office=office, base=base)
            built["data"]["language"] = settings.LANGUAGE_CODE
            api_json = json.dumps(built["api"], cls=DjangoJSONEncoder, ensure_ascii=False)
            data_json = json.dumps(built["data"], cls=DjangoJSONEncoder)
            photos_expire_at = document_photos_expire_at(built["data"])
            digest = hashlib.sha256(
                "\x00".join((api_json, built["text"], data_json)).encode()
            ).hexdigest()
            documents.append(
                ReleaseDocument(
                    release_id=release.pk,
                    revision_id=release.live_revision_id,
                    version=DOCUMENT_VERSION,
                    built_at=now,
                    api_json=api_json,
                    data=json.loads(data_json),
                    text=built["text"],
                    etag=f'"{digest[:32]}"',
                    photos_expire_at=photos_expire_at,
                )
            )
        # One upsert for all: a reader sees each release's old document or its new one.
        self.bulk_create(
            documents,
            update_conflicts=True,
            unique_fields=["release"],
            update_fields=[
                "revision",
                "version",
                "built_at",
                "api_json",
                "data",
                "text",
                "etag",
                "photos_expire_at",
            ],
        )
        return documents


class ReleaseDocument(models.Model):
    release = models.OneToOneField(
        "press.PressReleasePage",
        verbose_name=_("press release"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="document",
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("revision"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The live revision the document was built from."),
    )
    version = models.PositiveSmallIntegerField(_("document version"), default=DOCUMENT_VERSION)
    built_at = models.DateTimeField(_("built at"))
    api_json = models.TextField(_("press API representation"))
    data = models.JSONField(_("body, photos, head metadata and feed item"))
    text = models.TextField(_("text version"))
    etag = models.CharField(_("entity tag"), max_length=40)
    # Stored so every reader can tell, by comparing one timestamp, that a photo in the document
    # has lost its rights since it was built: the document is then rebuilt without it before
    # anything is served (press.publishing.photos does the same in the background, with purge
    # and webhooks; it runs at most once a minute, readers must not see the photo in between).
    photos_expire_at = models.DateTimeField(
        _("a photo's rights end"), null=True, blank=True, editable=False
    )

    objects = ReleaseDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("release document")
        verbose_name_plural = _("release documents")

    def __str__(self) -> str:
        return f"{self.release_id} @ {self.revision_id}"

    def is_current_for(self, release) -> bool:
        return document_is_current(
            revision_id=self.revision_id,
            live_revision_id=release.live_revision_id,
            version=self.version,
            photos_expire_at=self.photos_expire_at,
        )


def document_is_current(
    *, revision_id, live_revision_id, version, photos_expire_at, now=None
) -> bool:
    """A stored document may be served: built from the live revision, in the current shape,
    and no photo in it has lost its rights since."""
    if photos_expire_at is not None and photos_expire_at <= (now or timezone.now()):
        return False
    return revision_id == live_revision_id and version == DOCUMENT_VERSION


def release_document_for(release) -> ReleaseDocument:
    """The stored document of a live release, built now if it is missing or outdated (a
    release published before documents existed, or written in bulk without publishing)."""
    try:
        document = release.document
    except ReleaseDocument.DoesNotExist:
        document = None
    if document is not None and document.is_current_for(release):
        return document
    logger.warning(
        "Release %s had no current document (or a photo's rights ended); building it on read.",
        release.pk,
    )
    with transaction.atomic():
        document = ReleaseDocument.objects.store(release=release)
    release.document = document
    return document


# A list counts its results exactly up to this many past its offset; beyond, it says "more than"
# (`count_exact` false) instead of visiting every visible release of the archive.
COUNT_EXACT_UP_TO = 1_000


@dataclass
class DocumentsWindow:
    documents: list["DocumentRead"]
    count: int | None = None
    count_exact: bool = True


# What a list or a lookup reads of each release: its document's JSON and validators as values,
# so no page object is made.
WINDOW_FIELDS = (
    "pk",
    "live_revision_id",
    "document__revision_id",
    "document__version",
    "document__etag",
    "document__api_json",
    "document__photos_expire_at",
    "last_published_at",
)
# The same without the JSON, for a conditional request: its validators decide first.
VALIDATOR_FIELDS = tuple(name for name in WINDOW_FIELDS if name != "document__api_json")
JSON_INDEX = WINDOW_FIELDS.index("document__api_json")
# Stands for the release id in a lookup's statement, which is compiled once for every id.
RELEASE_ID_PLACEHOLDER = -7_349_118_503


@dataclass(slots=True)
class DocumentRead:
    """What a list or lookup reads of a stored document (no model instance: making 20 of
    those was a tenth of a cold list)."""

    release_id: int
    etag: str
    api_json: str | None
    release_published_at: object = None


def documents_from_rows(rows: list[tuple]) -> list[DocumentRead]:
    """The documents of these rows (WINDOW_FIELDS) in their order. A release whose document is
    missing or outdated gets it built here, as `release_document_for` does. Each document
    carries its release's `last_published_at` as `release_published_at`."""
    from .pages import PressReleasePage

    now = timezone.now()
    documents = {
        pk: DocumentRead(release_id=pk, etag=etag, api_json=api_json)
        for pk, live_revision, revision, version, etag, api_json, expire_at, _published in rows
        if document_is_current(
            revision_id=revision,
            live_revision_id=live_revision,
            version=version,
            photos_expire_at=expire_at,
            now=now,
        )
    }
    outdated = [row[0] for row in rows if row[0] not in documents]
    if outdated:
        releases = PressReleasePage.objects.filter(pk__in=outdated).select_related("document")
        for release in releases:
            built = release_document_for(release)
            documents[release.pk] = DocumentRead(
                release_id=release.pk, etag=built.etag, api_json=built.api_json
            )
    for row in rows:  # for Last-Modified
        documents[row[0]].release_published_at = row[-1]
    return [documents[row[0]] for row in rows]


def releases_statement(releases, *, key, shape, placeholders: tuple = ()) -> Statement:
    """The statement of `shape(releases)`: compiled once per process for `key` when there is
    one (`releases` is then a function that makes the queryset), else compiled now."""
    if key is None:
        return Statement(shape(releases), placeholders=placeholders)
    from .pages import PressReleasePage

    return statement(
        key=key,
        alias=router.db_for_read(PressReleasePage),
        build=lambda: shape(releases()),
        placeholders=placeholders,
    )


def window_rows(statement: Statement, *values, with_json: bool) -> list[tuple]:
    """The rows of a statement of WINDOW_FIELDS (or, without the JSON, VALIDATOR_FIELDS, with
    None in its place)."""
    rows = statement.rows(*values)
    if with_json:
        return rows
    return [(*row[:JSON_INDEX], None, *row[JSON_INDEX:]) for row in rows]


def documents_window(
    releases,
    *,
    offset: int,
    limit: int,
    counted: bool = True,
    key: Hashable | None = None,
    with_json: bool = True,
) -> DocumentsWindow:
    """The stored documents of a window of these releases (a visible, ordered queryset), in its
    order, and how many releases the whole queryset holds (None unless `counted`).

    With `key` (everything the queryset depends on: the site, the filters), `releases` is a
    function that makes the queryset, and its statements are compiled once per process and
    key (press.statements): building and compiling the queryset cost more than running it.

    The count is a query of its own over the pages alone: as a window function in the same
    statement it made PostgreSQL read every matching document before the LIMIT (measured:
    2,500 times the reference view at 100,000 releases). It stops after `offset` +
    COUNT_EXACT_UP_TO releases: PostgreSQL cannot count the visible releases from an index
    (visibility is live, expiry and view restrictions of the ancestors), so an exact count of
    everything costs in proportion to the archive; past the ceiling the count is the ceiling
    and `count_exact` is false ("more than").

    `with_json=False` reads the validators alone (the documents' `api_json` is then None; one
    that had to be built has it): enough to answer a conditional request with a 304."""
    fields = WINDOW_FIELDS if with_json else VALIDATOR_FIELDS
    rows = window_rows(
        releases_statement(
            releases,
            key=key and ("window", key, offset, limit, with_json),
            shape=lambda queryset: queryset.values_list(*fields)[offset : offset + limit],
        ),
        with_json=with_json,
    )
    window = DocumentsWindow(documents=documents_from_rows(rows))
    if not counted:
        return window
    if offset == 0 and len(rows) < limit:  # the whole list is in the window: no count needed
        window.count = len(rows)
        return window
    ceiling = offset + COUNT_EXACT_UP_TO
    # COUNT over a LIMITed subquery: PostgreSQL stops reading at the ceiling.
    counted_up_to = releases_statement(
        releases,
        key=key and ("count", key, ceiling),
        shape=lambda queryset: queryset.order_by().values("pk")[: ceiling + 1],
    ).count()
    window.count = min(counted_up_to, ceiling)
    window.count_exact = counted_up_to <= ceiling
    return window


def document_visible(
    releases, *, release_id: int, key: Hashable, with_json: bool = True
) -> ReleaseDocument | None:
    """The stored document of the release with this id among `releases` (a function making a
    visible queryset; `key`: everything it depends on), None if it is not among them. One
    statement per key serves every id. `with_json` as for `documents_window`."""
    fields = WINDOW_FIELDS if with_json else VALIDATOR_FIELDS
    rows = window_rows(
        releases_statement(
            releases,
            key=("document", key, with_json),
            shape=lambda queryset: queryset.filter(pk=RELEASE_ID_PLACEHOLDER).values_list(*fields)[
                :1
            ],
            placeholders=(RELEASE_ID_PLACEHOLDER,),
        ),
        release_id,
        with_json=with_json,
    )
    documents = documents_from_rows(rows)
    return documents[0] if documents else None


class DocumentBodyField(serializers.Field):
    """API v2: a release's body as its stored document has it (block data, renditions)."""

    def __init__(self, **kwargs):
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, release):
        return release_document_for(release).data["body"]


class DocumentDataField(serializers.Field):
    """API v2: one part of a release's stored document as it is (`topics`, `tags`), so API v2
    shows what the press API shows and a listing reads no relation per release."""

    def __init__(self, *, key: str, **kwargs):
        self.key = key
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, release):
        return release_document_for(release).data[self.key]
