"""The stored public document of a release: built when it is published, read by every channel.

A document holds what a reader sees of the release's live revision, turned into data once
(press.documents builds it): the press API's release object as JSON text, the body and photos
as block data with their renditions, the head metadata, the feed item and the text version.
Visibility is never stored: every channel still asks `PressReleasePage.objects.visible()`.
"""

import hashlib
import json
import logging

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..documents import release_document_build

logger = logging.getLogger(__name__)

# Bumped when the shape of a document changes: older documents are rebuilt when read.
DOCUMENT_VERSION = 3  # 3: topics and tags


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
                )
            )
        # One upsert for all: a reader sees each release's old document or its new one.
        self.bulk_create(
            documents,
            update_conflicts=True,
            unique_fields=["release"],
            update_fields=["revision", "version", "built_at", "api_json", "data", "text", "etag"],
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

    objects = ReleaseDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("release document")
        verbose_name_plural = _("release documents")

    def __str__(self) -> str:
        return f"{self.release_id} @ {self.revision_id}"

    def is_current_for(self, release) -> bool:
        return self.revision_id == release.live_revision_id and self.version == DOCUMENT_VERSION


def release_document_for(release) -> ReleaseDocument:
    """The stored document of a live release, built now if it is missing or outdated (a
    release published before documents existed, or written in bulk without publishing)."""
    try:
        document = release.document
    except ReleaseDocument.DoesNotExist:
        document = None
    if document is not None and document.is_current_for(release):
        return document
    logger.warning("Release %s had no current document; building it on read.", release.pk)
    with transaction.atomic():
        document = ReleaseDocument.objects.store(release=release)
    release.document = document
    return document


def documents_window(
    releases, *, offset: int, limit: int, counted: bool = True
) -> tuple[list[ReleaseDocument], int | None]:
    """The stored documents of a window of these releases (a visible, ordered queryset), in its
    order, and how many releases the whole queryset holds (None unless `counted`). Each
    document carries its release's `last_published_at` as `release_published_at`.

    The documents' JSON and validators come as values, so no page object is made for a list.
    The count is a query of its own over the pages alone: as a window function in the same
    statement it made PostgreSQL read every matching document before the LIMIT (measured:
    2,500 times the reference view at 100,000 releases). A release whose document is missing or
    outdated gets it built here, as `release_document_for` does."""
    rows = list(
        releases.values_list(
            "pk",
            "live_revision_id",
            "document__revision_id",
            "document__version",
            "document__etag",
            "document__api_json",
            "last_published_at",
        )[offset : offset + limit]
    )
    documents = {
        pk: ReleaseDocument(
            release_id=pk, revision_id=revision, version=version, etag=etag, api_json=api_json
        )
        for pk, live_revision, revision, version, etag, api_json, _published in rows
        if revision == live_revision and version == DOCUMENT_VERSION
    }
    outdated = [row[0] for row in rows if row[0] not in documents]
    if outdated:
        for release in releases.model.objects.filter(pk__in=outdated).select_related("document"):
            documents[release.pk] = release_document_for(release)
    for row in rows:  # for Last-Modified
        documents[row[0]].release_published_at = row[-1]
    window = [documents[row[0]] for row in rows]
    if not counted:
        return window, None
    if offset == 0 and len(rows) < limit:  # the whole list is in the window: no count needed
        return window, len(rows)
    return window, releases.order_by().count()


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
