"""The press API (`/api/press/` in the host): typed, read-only, documented as OpenAPI 3.1,
errors as `application/problem+json`, cacheable with ETag / Last-Modified."""

import datetime
import functools
import json
import re
import urllib.parse
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Query
from ninja.errors import HttpError, ValidationError
from ninja.renderers import JSONRenderer
from wagtail.coreutils import get_content_languages
from wagtail.models import Site

from ..addresses import base_url
from ..http import (
    PROBLEM_MEDIA_TYPE,
    REPRESENTATION_VERSION,
    TimestampJSONEncoder,
    edge_tag,
    etag_from,
    problem_response,
    request_is_conditional,
    response_cache_headers,
    response_not_modified,
)
from ..models import documents_window, release_document_for
from ..models.listing import documents_window_sql
from ..models.pages import PressReleasePage, releases_visible
from ..models.reading import document_visible
from ..models.search import releases_search
from ..models.sites import site_for_request
from ..models.topics import topic_slugs_resolve, topics_counted
from ..models.version_queries import release_translations
from ..models.versions import language_default, originals_only
from ..ninjs import NINJS_MEDIA_TYPE, NINJS_SCHEMA, ninjs_response, release_ninjs
from .listing import list_filters, list_in_sql
from .photos import photos_register
from .preview import preview_register
from .schemas import (
    Problem,
    ReleaseDetail,
    ReleaseFilters,
    ReleaseList,
    ReleaseLookup,
    TopicList,
)

# --- The press API ------------------------------------------------------------------------

PROBLEM_STATUSES = ("400", "404", "413", "415", "429")
# Operations that answer another media type than JSON: their documented 200 says which.
OPERATION_MEDIA_TYPES = {"releases_ninjs": NINJS_MEDIA_TYPE.split(";")[0]}
TAG_RELEASES = gettext_lazy("Press releases")
CACHEABLE_STATUSES = ("200", "304")

VALIDATOR_HEADERS = {
    "ETag": {
        "description": gettext_lazy("Version of the response, for If-None-Match."),
        "schema": {"type": "string"},
    },
    "Last-Modified": {
        "description": gettext_lazy("Time of the last publication, for If-Modified-Since."),
        "schema": {"type": "string"},
    },
    "Cache-Control": {
        "description": gettext_lazy("How long caches may use the response."),
        "schema": {"type": "string"},
    },
}
CONDITIONAL_PARAMETERS = {
    "parameters": [
        {
            "in": "header",
            "name": "If-None-Match",
            "required": False,
            "schema": {"type": "string"},
            "description": gettext_lazy("ETag of an earlier response; unchanged → 304."),
        },
        {
            "in": "header",
            "name": "If-Modified-Since",
            "required": False,
            "schema": {"type": "string"},
            "description": gettext_lazy("Last-Modified of an earlier response; unchanged → 304."),
        },
    ]
}
# The headers each cacheable operation really sends on 200 and 304 (the list and the topics
# have no single publication time, so no Last-Modified; the preview is never cached).
OPERATION_HEADERS = {
    "releases_list": ("ETag", "Cache-Control"),
    "topics_list": ("ETag", "Cache-Control"),
    "releases_detail": ("ETag", "Last-Modified", "Cache-Control"),
    "releases_by_path": ("ETag", "Last-Modified", "Cache-Control"),
    "releases_ninjs": ("ETag", "Last-Modified", "Cache-Control"),
    "preview_release": ("Cache-Control",),
}
NINJS_COMPONENT = "Ninjs"


def ninjs_components() -> dict[str, Any]:
    """IPTC's ninjs 3.1 JSON Schema as OpenAPI components: the root as `Ninjs`, each of its
    `$defs` as `Ninjs_<name>` (generated clients type the ninjs answer instead of `unknown`).
    Its one external reference (GeoJSON, for places) is left an object."""
    path = Path(__file__).resolve().parent.parent / "schemas" / "ninjs-schema_3.1.json"
    text = path.read_text(encoding="utf-8")
    text = text.replace('"#/$defs/', f'"#/components/schemas/{NINJS_COMPONENT}_')
    schema = json.loads(text)
    definitions = schema.pop("$defs", {})
    for name in ("$schema", "$id"):
        schema.pop(name, None)

    def external_refs_dropped(node):
        if isinstance(node, dict):
            if str(node.get("$ref", "")).startswith("http"):
                return {"type": "object", "description": node["$ref"]}
            return {key: external_refs_dropped(value) for key, value in node.items()}
        if isinstance(node, list):
            return [external_refs_dropped(value) for value in node]
        return node

    components = {f"{NINJS_COMPONENT}_{name}": value for name, value in definitions.items()}
    components[NINJS_COMPONENT] = schema
    return external_refs_dropped(components)


RESPONSES_LIST = {200: ReleaseList, 304: None, 400: Problem, 404: Problem}
RESPONSES_RELEASE = {200: ReleaseDetail, 304: None, 400: Problem, 404: Problem}


class ProblemError(Exception):
    """An error the client caused, answered as problem details."""

    def __init__(self, *, status: int, title: str, detail: str, parameter: str | None = None):
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.parameter = parameter


READ_METHODS = ("GET", "HEAD")


def method_not_allowed(allowed: list[str] | tuple[str, ...]) -> HttpResponse:
    response = problem_response(
        status=405,
        title=_("Method Not Allowed"),
        detail=_("This address answers only %(methods)s.") % {"methods": ", ".join(allowed)},
    )
    response["Allow"] = ", ".join(allowed)
    return response


def problems_only(view, *, methods: tuple[str, ...] | None = None):
    """The view, with its 405 answers as problem details (ninja answers them as text/html),
    and — given `methods` — a 405 for any other method (ninja's document views take any)."""

    @functools.wraps(view)
    def view_with_problems(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if methods is not None and request.method not in methods:
            return method_not_allowed(methods)
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            PROBLEM_MEDIA_TYPE
        ):
            allowed = sorted(method.strip() for method in response.get("Allow", "").split(","))
            return method_not_allowed([method for method in allowed if method])
        return response

    return view_with_problems


def press_api_index(request: HttpRequest, **kwargs) -> HttpResponse:
    """`/api/press/` itself is no resource: a problem+json 404 that names the API's document."""
    return problem_response(
        status=404,
        title=_("Not Found"),
        detail=_(
            "The press API has no resource at this address; its operations are described "
            "at %(openapi)s (readable at %(docs)s)."
        )
        % {
            "openapi": request.build_absolute_uri("openapi.json"),
            "docs": request.build_absolute_uri("docs"),
        },
    )


class PressAPI(NinjaAPI):
    """NinjaAPI whose document says what the responses really are: problem+json errors and
    cache validators on every cacheable answer. That every address answers in problem details
    (the API's root, an unknown path, a method an operation does not take) is the front door's
    work (press/api/urls.py)."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema["paths"].values():
            # HEAD is answered like GET (for caches and `curl -I`); documenting it twice would
            # only duplicate every operation in generated clients.
            operations.pop("head", None)
            for operation in operations.values():
                media_type = OPERATION_MEDIA_TYPES.get(operation.get("operationId"))
                for status, response in operation["responses"].items():
                    status = str(status)
                    if status == "200" and media_type and "content" in response:
                        response["content"] = {
                            media_type: {
                                "schema": {
                                    "$ref": f"#/components/schemas/{NINJS_COMPONENT}",
                                    "externalDocs": {"url": NINJS_SCHEMA},
                                }
                            }
                        }
                    if status in PROBLEM_STATUSES and "content" in response:
                        response["content"] = {
                            PROBLEM_MEDIA_TYPE: next(iter(response["content"].values()))
                        }
                    sent = OPERATION_HEADERS.get(operation.get("operationId"), ())
                    if status in CACHEABLE_STATUSES and sent:
                        response["headers"] = {name: VALIDATOR_HEADERS[name] for name in sent}
                # The validation handler answers a malformed parameter of any operation with a
                # 400, so any operation with parameters documents it.
                if operation.get("parameters") and "400" not in map(str, operation["responses"]):
                    operation["responses"]["400"] = {
                        "description": gettext_lazy("Bad Request"),
                        "content": {
                            PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}
                        },
                    }
        schema.setdefault("components", {}).setdefault("schemas", {}).update(ninjs_components())
        # The paths are absolute (/api/press/…): the server is the CMS's root.
        root = base_url()
        if root:
            schema["servers"] = [{"url": root}]
        return schema


class PressJSONRenderer(JSONRenderer):
    # Answers ninja renders itself (the preview) carry timestamps as the stored documents do.
    encoder_class = TimestampJSONEncoder


press_api = PressAPI(
    renderer=PressJSONRenderer(),
    urls_namespace="press_api",
    title=gettext_lazy("Press service API"),
    version="1.0.0",
    description=gettext_lazy(
        "The press service's releases, typed: every content block has its own schema. Errors "
        "come as application/problem+json; responses carry ETag and Last-Modified for "
        "conditional requests (304)."
    ),
    docs_url="/docs",
    openapi_url="/openapi.json",
    # ninja's document views take any method: these answer only GET and HEAD.
    docs_decorator=functools.partial(problems_only, methods=READ_METHODS),
)


WHOLE_NUMBER = gettext_lazy("Parameter “%(parameter)s” must be a whole number.")
DATE = gettext_lazy("Parameter “%(parameter)s” must be a date of the form YYYY-MM-DD.")
REASONS = {
    "int_parsing": WHOLE_NUMBER,
    "int_from_float": WHOLE_NUMBER,
    "date_parsing": DATE,
    "date_from_datetime_parsing": DATE,
    "date_from_datetime_inexact": DATE,
    "date_type": DATE,
    "string_pattern_mismatch": gettext_lazy(
        "Parameter “%(parameter)s” contains characters that are not allowed."
    ),
    "missing": gettext_lazy("Parameter “%(parameter)s” is missing."),
    "less_than_equal": gettext_lazy("Parameter “%(parameter)s” must be at most %(le)s."),
    "greater_than_equal": gettext_lazy("Parameter “%(parameter)s” must be at least %(ge)s."),
    "literal_error": gettext_lazy("Parameter “%(parameter)s”: allowed are %(expected)s."),
    "string_too_long": gettext_lazy(
        "Parameter “%(parameter)s” must be at most %(max_length)s characters long."
    ),
    "string_too_short": gettext_lazy("Parameter “%(parameter)s” must not be empty."),
    "bool_type": gettext_lazy("Parameter “%(parameter)s” must be the JSON value true or false."),
    "string_type": gettext_lazy("Parameter “%(parameter)s” must be a string."),
    "too_long": gettext_lazy(
        "Parameter “%(parameter)s” may be given at most %(max_length)s times."
    ),
}


def validation_detail(error: dict[str, Any], *, parameter: str) -> str:
    """What is wrong with a parameter, as one sentence in the active language."""
    ctx = error.get("ctx") or {}
    message = REASONS.get(
        error.get("type", ""), gettext_lazy("Parameter “%(parameter)s” is invalid.")
    )
    values = {"le": "", "ge": "", "expected": "", "max_length": "", **ctx, "parameter": parameter}
    return str(message) % values


@press_api.exception_handler(ValidationError)
def validation_error_problem(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    error = exc.errors[0] if exc.errors else {}
    location = error.get("loc") or ()
    # A query parameter is ("query", name), one of a repeated one ("query", name, index); a
    # field of the JSON body ("body", "payload", name).
    names = [part for part in location[1:] if isinstance(part, str)]
    parameter = names[-1] if names else None
    return problem_response(
        status=400,
        title=_("Bad Request"),
        detail=validation_detail(error, parameter=parameter) if parameter else _("Bad request."),
        parameter=parameter,
    )


@press_api.exception_handler(ProblemError)
def problem_error_problem(request: HttpRequest, exc: ProblemError) -> HttpResponse:
    return problem_response(
        status=exc.status, title=exc.title, detail=exc.detail, parameter=exc.parameter
    )


@press_api.exception_handler(RequestDataTooBig)
def body_too_large_problem(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    # Django's DATA_UPLOAD_MAX_MEMORY_SIZE, met while a body is read: like every other error
    # of the API a problem, not the site's HTML 400.
    return problem_response(
        status=413,
        title=_("Content Too Large"),
        detail=_("The request body must be at most %(limit)s bytes.")
        % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
    )


@press_api.exception_handler(Http404)
def not_found_problem(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(
        status=404,
        title=_("Not Found"),
        detail=_("This press release does not exist or is not published."),
    )


@press_api.exception_handler(HttpError)
def http_error_problem(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem_response(status=exc.status_code, title=str(exc), detail=str(exc))


def params_check_known(*, request: HttpRequest, allowed: set[str]) -> None:
    """A misspelt filter must not silently return everything."""
    for name in request.GET:
        if name not in allowed:
            raise ProblemError(
                status=400,
                title=_("Bad Request"),
                detail=_("Unknown parameter “%(name)s”; allowed are: %(allowed)s.")
                % {"name": name, "allowed": ", ".join(sorted(allowed))},
                parameter=name,
            )


def topics_resolve(*, request: HttpRequest, filters: ReleaseFilters) -> list[int]:
    """The ids of the topics asked for (`topic=`); an unknown slug is a 400."""
    if not filters.topic:
        return []
    topic_ids, unknown = topic_slugs_resolve(slugs=filters.topic)
    if unknown:
        raise ProblemError(
            status=400,
            title=_("Bad Request"),
            detail=_(
                "Parameter “topic”: there is no topic “%(slug)s” (the topics are listed at "
                "%(url)s)."
            )
            % {
                "slug": unknown[0],
                "url": request.build_absolute_uri(reverse("press_api:topics_list")),
            },
            parameter="topic",
        )
    return topic_ids


def language_resolve(*, filters: ReleaseFilters) -> str | None:
    """The language asked for (`language=`), else None (the originals); an unknown one is a
    400."""
    if filters.language is None:
        return None
    if filters.language not in get_content_languages():
        raise ProblemError(
            status=400,
            title=_("Bad Request"),
            detail=_("Parameter “language”: releases exist in %(languages)s.")
            % {"languages": ", ".join(get_content_languages())},
            parameter="language",
        )
    return filters.language


def releases_filter(
    *, queryset: QuerySet, filters: ReleaseFilters, topic_ids: list[int]
) -> QuerySet:
    """The releases of `queryset` that match every filter (`topic_ids`: the topics asked for,
    resolved). Several topics: releases in any of them, likewise several `tag` values; topic
    and tag: both must match."""
    # Year and month as date ranges, so the release_date index serves them (an extracted
    # year or month is computed for every row).
    if filters.year is not None:
        month = filters.month or 1
        queryset = queryset.filter(release_date__gte=datetime.date(filters.year, month, 1))
        if filters.month is None:
            following = (filters.year + 1, 1)
        else:
            following = (filters.year + month // 12, month % 12 + 1)
        if following[0] <= datetime.MAXYEAR:  # nothing follows December 9999
            queryset = queryset.filter(release_date__lt=datetime.date(*following, 1))
    elif filters.month is not None:  # a month in every year: no range to give
        queryset = queryset.filter(release_date__month=filters.month)
    if filters.date_from is not None:
        queryset = queryset.filter(release_date__gte=filters.date_from)
    if filters.date_to is not None:
        queryset = queryset.filter(release_date__lte=filters.date_to)
    if filters.contact is not None:
        queryset = queryset.filter(contact_id=filters.contact)
    if topic_ids:
        queryset = queryset.in_topics(topic_ids=topic_ids)
    if filters.tag:  # free words: an unknown one is no mistake, it matches nothing
        queryset = queryset.tagged(slugs=filters.tag)
    if filters.q:
        queryset = releases_search(queryset=queryset, text=filters.q)
    if filters.ordering == "release_date":
        queryset = queryset.order_by("release_date", "first_published_at", "pk")
    return queryset


def page_url(*, request: HttpRequest, offset: int | None) -> str | None:
    if offset is None:
        return None
    query = request.GET.copy()
    query["offset"] = str(offset)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def path_segments(path: str) -> list[str]:
    """The decoded segments of a page path or address. ValueError for an address urllib cannot
    split (`http://[::1`) or a segment that decodes to control characters (`%00`)."""
    if "://" in path:
        path = urllib.parse.urlsplit(path).path
    path = path.split("?", 1)[0].split("#", 1)[0]
    segments = [urllib.parse.unquote(segment) for segment in path.split("/") if segment]
    if any(CONTROL_CHARACTERS.search(segment) for segment in segments):
        raise ValueError("control characters in a path segment")
    return segments


def release_find_by_path(*, releases, site: Site | None, segments: list[str]):
    """The id of the release at a page path, or — for frontend routes like
    /presse/2023/<slug> — of the release whose slug ends the path, preferring one below the
    path's leading segments. None if there is none. `releases`: the visible queryset."""
    if not segments:
        return None
    if site is not None:
        url_path = site.root_page.url_path + "/".join(segments) + "/"
        found = releases.filter(url_path=url_path).values_list("pk", flat=True).first()
        if found is not None:
            return found
    candidates = list(releases.only("url_path").filter(slug=segments[-1])[:50])
    root_url_path = site.root_page.url_path if site is not None else ""
    for candidate in candidates:
        parents = candidate.url_path.removeprefix(root_url_path).strip("/").split("/")[:-1]
        if segments[: len(parents)] == parents:
            return candidate.pk
    return candidates[0].pk if candidates else None


JSON_MEDIA_TYPE = "application/json; charset=utf-8"


def release_versions(*, request: HttpRequest, release_id: int) -> tuple[list[dict], str]:
    """The release's other visible versions (press.models.version_queries) and what they add to a
    validator: a version that appears or goes changes the answer. The answer is filed under
    the versions' tag, which a change of any of them purges (press.publishing.edge)."""
    key, translations = release_translations(release_id=release_id, request=request)
    if key is not None:
        edge_tag(request, f"versions-{key}")
    return translations, "|".join(f"{t['language']}:{t['id']}:{t['title']}" for t in translations)


def release_answer(*, request: HttpRequest, site: Site | None, release_id: int) -> HttpResponse:
    """The stored document of the visible release with this id on the site with its visible
    versions, or a 304 for a current copy (validators read first, without the document), or
    a 404."""
    translations, versions_validator = release_versions(request=request, release_id=release_id)

    def document_read(*, with_json: bool):
        document = document_visible(
            releases_visible(site=site),
            release_id=release_id,
            with_json=with_json,
        )
        if document is None:
            raise Http404
        published = document.release_published_at
        etag = etag_from(document.etag, versions_validator) if translations else document.etag
        return (
            document,
            etag,
            published,
            response_not_modified(request=request, etag=etag, last_modified=published),
        )

    document, etag, published, not_modified = document_read(
        with_json=not request_is_conditional(request)
    )
    if not_modified is not None:
        return not_modified
    if document.api_json is None:  # the copy is outdated: now the document itself
        document, etag, published, not_modified = document_read(with_json=True)
        if not_modified is not None:  # the release changed back in between
            return not_modified
    # The stored JSON goes out as it is, the versions added at its end.
    versions = [
        {"language": t["language"], "id": t["id"], "title": t["title"], "html_url": t["url"]}
        for t in translations
    ]
    content = (
        document.api_json[:-1]
        + ', "translations": '
        + json.dumps(versions, ensure_ascii=False)
        + "}"
    )
    return response_cache_headers(
        response=HttpResponse(content, content_type=JSON_MEDIA_TYPE),
        etag=etag,
        last_modified=published,
    )


@press_api.api_operation(
    ["GET", "HEAD"],
    "/releases",
    response=RESPONSES_LIST,
    operation_id="releases_list",
    summary=gettext_lazy("List press releases"),
    description=gettext_lazy("Newest first; filters can be combined."),
    tags=[TAG_RELEASES],
    openapi_extra=CONDITIONAL_PARAMETERS,
)
def releases_list(request: HttpRequest, response: HttpResponse, filters: Query[ReleaseFilters]):
    params_check_known(request=request, allowed=set(ReleaseFilters.model_fields))
    # Most lists are read in hand-written SQL (press.models.listing: Django would build and
    # compile the queries on every request); the others through the ORM, with the same answer.
    in_sql = list_in_sql(filters)
    site = site_for_request(request) if in_sql else Site.find_for_request(request)
    if site is not None:
        edge_tag(request, f"site-{site.pk}")  # no second look-up for the edge cache's tag
    topic_ids = topics_resolve(request=request, filters=filters)
    if in_sql:
        window_of = functools.partial(
            documents_window_sql,
            site=site,
            filters=list_filters(filters=filters, topic_ids=topic_ids),
        )
    else:
        # The originals, or the versions in one language (press.models.versions).
        language = language_resolve(filters=filters)
        releases = releases_filter(
            queryset=releases_visible(site=site).filter(
                originals_only(PressReleasePage)
                if language is None
                else Q(locale__language_code=language)
            ),
            filters=filters,
            topic_ids=topic_ids,
        )
        window_of = functools.partial(documents_window, releases)
    # Every value of a repeated parameter (`topic=a&topic=b`), not only the last.
    query = urllib.parse.urlencode(sorted(request.GET.lists()), doseq=True)

    def window_read(*, with_json: bool):
        window = window_of(offset=filters.offset, limit=filters.limit, with_json=with_json)
        # The validator covers what was asked and every document on the page: a release that
        # appears, disappears or changes on this page changes it. (No Last-Modified: a
        # release leaving the page would not make the page newer.)
        etag = etag_from(
            REPRESENTATION_VERSION,
            "list",
            site and site.pk,
            query,
            window.count,
            window.count_exact,
            *(document.etag for document in window.documents),
        )
        return window, etag, response_not_modified(request=request, etag=etag, last_modified=None)

    # A conditional request reads the validators first, and the documents only if they changed.
    window, etag, not_modified = window_read(with_json=not request_is_conditional(request))
    if not_modified is not None:
        return not_modified
    if any(document.api_json is None for document in window.documents):
        window, etag, not_modified = window_read(with_json=True)
        if not_modified is not None:
            return not_modified
    documents, count = window.documents, window.count
    following = filters.offset + filters.limit
    preceding = max(filters.offset - filters.limit, 0) if filters.offset else None
    head = json.dumps(
        {
            "count": count,
            "count_exact": window.count_exact,
            "limit": filters.limit,
            "offset": filters.offset,
            "next": page_url(
                request=request,
                offset=following if following < count or not window.count_exact else None,
            ),
            "previous": page_url(request=request, offset=preceding),
        },
        ensure_ascii=False,
    )
    # The stored JSON of each release goes out as it is: nothing is serialised per request.
    content = head[:-1] + ', "results": [' + ", ".join(d.api_json for d in documents) + "]}"
    return response_cache_headers(
        response=HttpResponse(content, content_type=JSON_MEDIA_TYPE), etag=etag, last_modified=None
    )


@press_api.api_operation(
    ["GET", "HEAD"],
    "/releases/by-path",
    response=RESPONSES_RELEASE,
    operation_id="releases_by_path",
    summary=gettext_lazy("Press release by path or slug"),
    description=gettext_lazy(
        "Exactly one of `path` or `slug`. `path` may be the page's address "
        "(/press/masterplan-industry/) or a frontend route that ends in the slug."
    ),
    tags=[TAG_RELEASES],
    openapi_extra=CONDITIONAL_PARAMETERS,
)
def releases_by_path(request: HttpRequest, response: HttpResponse, lookup: Query[ReleaseLookup]):
    params_check_known(request=request, allowed=set(ReleaseLookup.model_fields))
    if (lookup.path is None) == (lookup.slug is None):
        raise ProblemError(
            status=400,
            title=_("Bad Request"),
            detail=_("Exactly one of the parameters “path” or “slug” is needed."),
            parameter="path" if lookup.slug is None else "slug",
        )
    site = Site.find_for_request(request)
    visible = releases_visible(site=site)

    if lookup.path is not None:
        try:
            segments = path_segments(lookup.path)
        except ValueError as error:
            raise ProblemError(
                status=400,
                title=_("Bad Request"),
                detail=_("Parameter “path” is not a page path or address."),
                parameter="path",
            ) from error
        # A version's address starts with its language (i18n_patterns' prefix: /en/presse/…);
        # any other path is an original's, whose versions share its slug.
        language = segments[0] if len(segments) > 1 else None
        if language in get_content_languages() and language != language_default():
            segments = segments[1:]
            visible = visible.filter(locale__language_code=language)
        else:
            visible = visible.filter(originals_only(PressReleasePage))
        release_id = release_find_by_path(releases=visible, site=site, segments=segments)
    else:
        release_id = (
            visible.filter(originals_only(PressReleasePage), slug=lookup.slug)
            .values_list("pk", flat=True)
            .first()
        )
    if release_id is None:
        raise Http404
    return release_answer(request=request, site=site, release_id=release_id)


@press_api.api_operation(
    ["GET", "HEAD"],
    "/releases/{int:id}",
    response=RESPONSES_RELEASE,
    operation_id="releases_detail",
    summary=gettext_lazy("One press release"),
    tags=[TAG_RELEASES],
    openapi_extra=CONDITIONAL_PARAMETERS,
)
def releases_detail(request: HttpRequest, response: HttpResponse, id: int):
    params_check_known(request=request, allowed=set())
    if not 1 <= id <= 2**63 - 1:
        raise Http404
    site = Site.find_for_request(request)
    return release_answer(request=request, site=site, release_id=id)


def release_by_id(*, request: HttpRequest, id: int) -> QuerySet:
    """The visible release with this id on the request's site (an empty queryset if none);
    an id beyond 64 bits is a 404. No other query parameter is allowed."""
    params_check_known(request=request, allowed=set())
    if not 1 <= id <= 2**63 - 1:
        raise Http404
    site = Site.find_for_request(request)
    return releases_visible(site=site).filter(pk=id)


@press_api.api_operation(
    ["GET", "HEAD"],
    "/releases/{int:id}/ninjs",
    response={200: dict[str, Any], 304: None, 400: Problem, 404: Problem},
    operation_id="releases_ninjs",
    summary=gettext_lazy("One press release as IPTC ninjs 3.1"),
    description=gettext_lazy(
        "The release in the IPTC's News in JSON 3.1 (media type application/ninjs+json): "
        "headline, lead, body as HTML and plain text, the people quoted and the contact, "
        "the photos with renditions, credit and terms of use. "
        "Schema: http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json"
    ),
    tags=[TAG_RELEASES],
    openapi_extra=CONDITIONAL_PARAMETERS,
)
def releases_ninjs(request: HttpRequest, response: HttpResponse, id: int):
    release = release_by_id(request=request, id=id).select_related("document").first()
    if release is None:
        raise Http404
    document = release_document_for(release)
    translations, versions_validator = release_versions(request=request, release_id=release.pk)
    etag = etag_from(document.etag, "ninjs", versions_validator)
    published = release.last_published_at
    not_modified = response_not_modified(request=request, etag=etag, last_modified=published)
    if not_modified is not None:
        return not_modified
    item = release_ninjs(
        json.loads(document.api_json),
        text=document.text,
        language=document.data.get("language") or settings.LANGUAGE_CODE,
        office_name=release.office_settings(request).office_name,
        version=str(document.revision_id or ""),
        translations=translations,
    )
    return response_cache_headers(response=ninjs_response(item), etag=etag, last_modified=published)


@press_api.api_operation(
    ["GET", "HEAD"],
    "/topics",
    response={200: TopicList, 304: None, 400: Problem},
    operation_id="topics_list",
    summary=gettext_lazy("List the topics"),
    description=gettext_lazy(
        "Every topic of the press office, by name, with the number of its published releases: "
        "for a frontend's filter menu. A topic's `slug` is the value of the releases' `topic` "
        "filter."
    ),
    tags=[TAG_RELEASES],
    openapi_extra=CONDITIONAL_PARAMETERS,
)
def topics_list(request: HttpRequest, response: HttpResponse):
    params_check_known(request=request, allowed=set())
    site = Site.find_for_request(request)
    topics = topics_counted(releases=releases_visible(site=site))
    results = [
        {
            "slug": topic.slug,
            "name": topic.name,
            "description": topic.description,
            "release_count": topic.release_count,
        }
        for topic in topics
    ]
    content = json.dumps({"count": len(results), "results": results}, ensure_ascii=False)
    # Small and made in one query: the validator is the answer itself.
    etag = etag_from(REPRESENTATION_VERSION, "topics", content)
    not_modified = response_not_modified(request=request, etag=etag, last_modified=None)
    if not_modified is not None:
        return not_modified
    return response_cache_headers(
        response=HttpResponse(content, content_type=JSON_MEDIA_TYPE), etag=etag, last_modified=None
    )


# The operations of the installed optional parts (an AppConfig's `press_api_register`, the
# dotted path of a function that adds them to the API), ahead of any catch-all.
for _config in apps.get_app_configs():
    if getattr(_config, "press_api_register", None):
        import_string(_config.press_api_register)(api=press_api)

preview_register(api=press_api)  # GET /preview (press/preview.py), ahead of any catch-all
photos_register(api=press_api)  # GET /photos/{id}/{filter} (press/api/photos.py)


def press_api_not_found(request: HttpRequest) -> HttpResponse:
    """Anything else below /api/press/ is a problem+json 404, not the site's HTML page.

    A plain Django view, routed after the API in press/urls.py by prefix alone: ninja's path
    converters do not match every path (a newline, for one)."""
    return problem_response(
        status=404, title=_("Not Found"), detail=_("This address does not exist in the API.")
    )
