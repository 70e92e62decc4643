"""The stored public document of a release: built when it is published, read by every channel.

A document holds what a reader sees of the release's live revision, turned into data once
(press.documents builds it): the press API's release object as JSON text, the body and photos
as block data with their renditions, the head metadata, the feed item and the text version.
Every channel asks `PressReleasePage.objects.visible()`, which reads live and expiry from the
page's row and one fact from the document: whether a view restriction on the release or one of
its ancestors covers it (`restricted`), which would otherwise be a subquery over the tree for
every row. That fact is written in the transaction of every change that alters it (a document
stored, a view restriction saved or deleted, a page moved: press.publishing.visibility).
"""

import hashlib
import json
import logging

from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from wagtail.models import Locale, Page, PageViewRestriction

from ..documents import release_document_build, release_search_text
from ..http import TimestampJSONEncoder

logger = logging.getLogger(__name__)

# Bumped when the shape of a document changes: older documents are rebuilt when read.
# 3: photos carry licence, rights end and their print and web downloads; 4: topics and tags;
# 5: the search text; 6: timestamps in UTC with whole seconds and `Z` (TimestampJSONEncoder);
# 7: the release's language.
DOCUMENT_VERSION = 7


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
        restricted = releases_restricted(release_ids=[release.pk for release in releases])
        languages = releases_languages(releases=releases)
        for release in releases:
            # A version (English, Leichte Sprache) in its own language: its dates and labels.
            language, code = languages[release.locale_id]
            with translation.override(language):
                built = release_document_build(
                    release=release, office=office, base=base, language=code
                )
            built["data"]["language"] = language
            api_json = json.dumps(built["api"], cls=TimestampJSONEncoder, ensure_ascii=False)
            data_json = json.dumps(built["data"], cls=TimestampJSONEncoder)
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
                    search_text=release_search_text(release=release),
                    etag=f'"{digest[:32]}"',
                    photos_expire_at=photos_expire_at,
                    restricted=release.pk in restricted,
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
                "search_text",
                "etag",
                "photos_expire_at",
                "restricted",
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
    # No default: every document is stored with the DOCUMENT_VERSION of the code that built it
    # (a default would need a migration at each bump).
    version = models.PositiveSmallIntegerField(_("document version"))
    built_at = models.DateTimeField(_("built at"))
    api_json = models.TextField(_("press API representation"))
    data = models.JSONField(_("body, photos, head metadata and feed item"))
    text = models.TextField(_("text version"))
    # What Wagtail's search index holds for the release, searched with PostgreSQL's full-text
    # search and an index of our own (press.models.search; the index: migration 0002).
    search_text = models.TextField(_("search text"), blank=True, default="", editable=False)
    etag = models.CharField(_("entity tag"), max_length=40)
    # Stored so every reader can tell, by comparing one timestamp, that a photo in the document
    # has lost its rights since it was built: the document is then rebuilt without it before
    # anything is served (press.publishing.photos does the same in the background, with purge
    # and webhooks; it runs at most once a minute, readers must not see the photo in between).
    photos_expire_at = models.DateTimeField(
        _("a photo's rights end"), null=True, blank=True, editable=False
    )

    # A view restriction on the release or one of its ancestors covers it. Unknown counts as
    # covered: a document is hidden rather than shown until the fact is written.
    restricted = models.BooleanField(_("behind a view restriction"), default=True, editable=False)

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


def view_restrictions_over(path) -> models.QuerySet:
    """The view restrictions on the page at `path` or on one of its ancestors.

    As Wagtail's `public()`, but as a subquery in the same statement instead of a query for
    every restriction first (a page's path starts with each of its ancestors' paths)."""
    return PageViewRestriction.objects.filter(
        page__path=Substr(path, 1, Length("page__path"))
    ).values("pk")


def releases_languages(*, releases) -> dict:
    """{locale id: (language to build in, the locale's code)} of these releases' locales, in
    one query; a release in the default locale is built in LANGUAGE_CODE as before (the site's
    German), and its code is the locale's, the value of the press API's `language` filter."""
    locale_ids = {release.locale_id for release in releases}
    default = Locale.get_default()
    return {
        pk: (settings.LANGUAGE_CODE if pk == default.pk else code, code)
        for pk, code in Locale.objects.filter(pk__in=locale_ids).values_list("pk", "language_code")
    }


def releases_restricted(*, release_ids: list[int]) -> set[int]:
    """The ids among these releases that a view restriction on them or an ancestor covers."""
    if not release_ids:
        return set()
    return set(
        Page.objects.filter(pk__in=release_ids)
        .filter(Exists(view_restrictions_over(OuterRef("path"))))
        .values_list("pk", flat=True)
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

    def __init__(self, *, key: str, keys: tuple[str, ...] | None = None, **kwargs):
        self.key = key
        self.keys = keys  # of each item: the press API's shape where the document holds more
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, release):
        value = release_document_for(release).data[self.key]
        if self.keys is None:
            return value
        return [{key: item[key] for key in self.keys} for item in value]
