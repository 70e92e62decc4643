"""API v2 for the host's router: Wagtail's pages, images and documents endpoints, with
releases and their photos only as the visibility rule sees them.

A host mounts them on its own router, or uses the ready one:

    from press.api.v2 import api_router
    path("api/v2/", api_router.urls)

Every query parameter is checked before Wagtail reads it (QueryValidationMixin): whatever an
anonymous client sends, a malformed value is a 400 in Wagtail's error format
(`{"message": "…"}`), never a database error.
"""

import re

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework.fields import Field
from rest_framework.filters import BaseFilterBackend
from taggit.managers import TaggableManager
from wagtail.api.v2.filters import SearchFilter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.serializers import ImageDownloadUrlField, ImageSerializer
from wagtail.images.api.v2.views import ImagesAPIViewSet

from ..blocks import image_original_url
from ..models import PressReleasePage, images_visible
from ..models.topics import topic_slugs_resolve
from .schemas import MAX_DB_INT

MIN_DB_INT = -MAX_DB_INT - 1
# C0 and C1 control characters, DEL included: no parameter has a use for them, and PostgreSQL
# rejects NUL in any query.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Longer than any page path or search a reader types; a bound on what reaches the parsers.
MAX_VALUE_LENGTH = 2000
# Wagtail's database search builds one nested expression per word and operator, and compiling
# it recurses: on PostgreSQL 76 `OR` terms, 150 words or a phrase of 150 words exceed Python's
# recursion limit (a 500). Far more than a reader searches for, with room to spare below that.
MAX_SEARCH_WORDS = 32
# `fields` nests with parentheses (`contact(name)`); Wagtail parses them recursively.
MAX_FIELDS_DEPTH = 8
# Parameters Wagtail reads with int(); the page filters also take "root".
INTEGER_PARAMETERS = ("offset", "limit", "id")
PAGE_PARAMETERS = ("child_of", "ancestor_of", "descendant_of", "translation_of")


def integer_check(*, name: str, value: str) -> None:
    """A value Wagtail will read with int() must be one, and fit a signed 64-bit column."""
    try:
        number = int(value)
    except ValueError as error:
        raise BadRequestError(
            _("Parameter “%(parameter)s” must be a whole number.") % {"parameter": name}
        ) from error
    if not MIN_DB_INT <= number <= MAX_DB_INT:
        raise BadRequestError(_("Parameter “%(parameter)s” is out of range.") % {"parameter": name})


def fields_depth(value: str) -> int:
    depth = deepest = 0
    for character in value:
        if character == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif character == ")":
            depth -= 1
    return deepest


def field_filter_check(*, field, name: str, value: str) -> None:
    """A field filter's value must be one its column can be compared with (Wagtail converts
    integers and booleans itself but hands dates or out-of-range numbers to the database)."""
    if field is None or isinstance(field, TaggableManager | models.BooleanField):
        return  # text as it is, booleans parsed by Wagtail (a 400 for anything else)
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    try:
        target.to_python(value)
    except (ValidationError, ValueError, TypeError) as error:
        raise BadRequestError(
            _("Parameter “%(parameter)s” is not a valid value for this field.")
            % {"parameter": name}
        ) from error
    if isinstance(target, models.IntegerField | models.AutoField):
        integer_check(name=name, value=value)


class QueryValidationMixin:
    """Checks every query parameter of listing, detail and `find` before Wagtail reads it.

    Wagtail validates most parameters itself; what it lets through to the database is caught
    here: numbers beyond a 64-bit column, control characters (NUL ends a PostgreSQL query),
    searches without a word, with more than MAX_SEARCH_WORDS words or with an unclosed quotation
    mark (SQLite's full-text index cannot take them), an unknown search operator, values that are not a date for a date field, a `find` id that is not a number.
    """

    def initial(self, request, *args, **kwargs):
        # Before DRF's content negotiation, which reads `format` (a 404 for an unknown one).
        self.query_check(request.GET)
        pk = kwargs.get("pk")
        if pk is not None and not 0 <= int(pk) <= MAX_DB_INT:
            raise Http404(_("This address does not exist in the API."))
        super().initial(request, *args, **kwargs)

    def query_check(self, query) -> None:
        for name, values in query.lists():
            if CONTROL_CHARACTERS.search(name):
                raise BadRequestError(_("Parameter names must not contain control characters."))
            for value in values:
                self.value_check(name=name, value=value)

    def value_check(self, *, name: str, value: str) -> None:
        if CONTROL_CHARACTERS.search(value):
            raise BadRequestError(
                _("Parameter “%(parameter)s” contains characters that are not allowed.")
                % {"parameter": name}
            )
        if len(value) > MAX_VALUE_LENGTH:
            raise BadRequestError(
                _("Parameter “%(parameter)s” must be at most %(max_length)s characters long.")
                % {"parameter": name, "max_length": MAX_VALUE_LENGTH}
            )
        if name in INTEGER_PARAMETERS or (name in PAGE_PARAMETERS and value != "root"):
            integer_check(name=name, value=value)
        elif name == "search":
            self.search_check(value)
        elif name == "search_operator" and value not in ("and", "or"):
            raise BadRequestError(_("Parameter “search_operator” must be “and” or “or”."))
        elif name == "fields" and fields_depth(value) > MAX_FIELDS_DEPTH:
            raise BadRequestError(_("Parameter “fields” is nested too deeply."))
        elif name == "site" and ":" in value:
            integer_check(name=name, value=value.split(":", 1)[1])

    def search_check(self, value: str) -> None:
        words = re.findall(r"\w+", value)
        if not words:
            raise BadRequestError(_("Parameter “search” must contain at least one word."))
        if len(words) > MAX_SEARCH_WORDS:
            raise BadRequestError(
                _(
                    "Parameter “search” may have at most %(limit)s words (OR and the words of a "
                    "phrase count too); it has %(count)s."
                )
                % {"limit": MAX_SEARCH_WORDS, "count": len(words)}
            )
        # Wagtail reads "…" as a phrase; SQLite's full-text index fails on an unclosed one.
        if value.count('"') % 2:
            raise BadRequestError(_('Parameter “search” has an unclosed quotation mark (").'))

    def filter_queryset(self, queryset):
        """The field filters, checked against the fields of the model they filter. Wagtail's
        filter backends run for the listing and for the detail view (DRF's get_object)."""
        model = queryset.model
        filterable = set(self.get_available_fields(model, db_fields_only=True)) - {"locale"}
        for name, values in self.request.GET.lists():
            if name not in filterable:
                continue
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
            for value in values:
                field_filter_check(field=field, name=name, value=value)
        return super().filter_queryset(queryset)


class ReleaseTopicTagFilter(BaseFilterBackend):
    """`?topic=<slug>` and `?tag=<slug>` on releases, as on the press API: each repeatable,
    several values of one = releases with any of them, topic and tag together = both must
    match. An unknown topic is a 400 (a frontend's typo must not look like "no releases");
    an unknown tag matches nothing (tags are free words, a new one is no mistake)."""

    def filter_queryset(self, request, queryset, view):
        topics = request.GET.getlist("topic")
        tags = request.GET.getlist("tag")
        if not topics and not tags:
            return queryset
        if queryset.model is not PressReleasePage:
            raise BadRequestError(
                _("Parameters “topic” and “tag” filter press releases: add “%(type)s”.")
                % {"type": "type=press.PressReleasePage"}
            )
        if topics:
            topic_ids, unknown = topic_slugs_resolve(slugs=topics)
            if unknown:
                raise BadRequestError(
                    _("Parameter “topic”: there is no topic “%(slug)s”.") % {"slug": unknown[0]}
                )
            queryset = queryset.in_topics(topic_ids=topic_ids)
        if tags:
            queryset = queryset.tagged(slugs=tags)
        return queryset


def filter_backends_with_topics(backends: list) -> list:
    # Before Wagtail's search, whose results cannot be filtered further.
    position = backends.index(SearchFilter)
    return [*backends[:position], ReleaseTopicTagFilter, *backends[position:]]


class PressPagesAPIViewSet(QueryValidationMixin, PagesAPIViewSet):
    """Wagtail's pages endpoint, except that releases come only from the visibility selector.

    Listing, detail, `find` and the child_of/descendant_of filters all start from
    get_base_queryset, so this one override covers every way API v2 reaches a release.
    """

    filter_backends = filter_backends_with_topics(PagesAPIViewSet.filter_backends)
    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(["topic", "tag"])
    # Shown from the stored document, filtered by `topic` and `tag` (their slugs): Wagtail's
    # own field filters and ordering on these relations (`?topics=3`, `?tags=Name`,
    # `?order=tags`) would be a second, different way, so they are no field filters.
    NOT_FILTERABLE = frozenset(["topics", "tags"])

    @classmethod
    def get_available_fields(cls, model, db_fields_only=False):
        fields = super().get_available_fields(model, db_fields_only=db_fields_only)
        if db_fields_only:
            fields = [field for field in fields if field not in cls.NOT_FILTERABLE]
        return fields

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        release_type = ContentType.objects.get_for_model(PressReleasePage)
        visible = PressReleasePage.objects.visible().values("pk")
        return queryset.filter(~Q(content_type=release_type) | Q(pk__in=visible))

    def get_queryset(self):
        queryset = super().get_queryset()
        if queryset.model is PressReleasePage:
            # The body comes from the stored document (DocumentBodyField), in the same query.
            queryset = queryset.select_related("contact", "locale", "document").defer(
                "document__api_json", "document__text"
            )
        return queryset


class OriginalDownloadUrlField(ImageDownloadUrlField):
    """`download_url`: the plugin's original download view; the stored file is private."""

    def to_representation(self, image):
        return image_original_url(image, request=self.context.get("request"))


class PhotoCreditField(Field):
    """`credit`: the photo's © credit (its rights), which every publication must name."""

    def __init__(self, **kwargs):
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, image):
        try:
            return image.photo_rights.credit
        except ObjectDoesNotExist:
            return ""


class PressImageSerializer(ImageSerializer):
    download_url = OriginalDownloadUrlField(read_only=True)
    credit = PhotoCreditField()


class PressImagesAPIViewSet(QueryValidationMixin, ImagesAPIViewSet):
    """Only images a visible page uses: a scheduled release's photos stay unlisted until it
    goes live (listing, detail and search alike)."""

    base_serializer_class = PressImageSerializer
    body_fields = [*ImagesAPIViewSet.body_fields, "credit"]
    listing_default_fields = [*ImagesAPIViewSet.listing_default_fields, "credit"]

    def get_queryset(self):
        # The credit is read per image: fetched with the listing, not one query each.
        visible = super().get_queryset().filter(pk__in=images_visible().values("pk"))
        return visible.select_related("photo_rights")


class PressDocumentsAPIViewSet(QueryValidationMixin, DocumentsAPIViewSet):
    """Wagtail's documents endpoint with the same parameter checks as pages and images."""


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PressPagesAPIViewSet)
api_router.register_endpoint("images", PressImagesAPIViewSet)
api_router.register_endpoint("documents", PressDocumentsAPIViewSet)
