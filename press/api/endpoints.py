"""The press API (`/api/press/` in the host): typed, read-only, documented as OpenAPI 3.1,
errors as `application/problem+json`, cacheable with ETag / Last-Modified."""

import datetime
import re
import urllib.parse
from typing import Any

from django.db.models import Count, Max, Min, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Query
from ninja.errors import HttpError, ValidationError
from wagtail.models import Site

from ..documents import release_serialize, releases_prefetch_body
from ..http import (
    PROBLEM_MEDIA_TYPE,
    problem_response,
    release_etag,
    releases_etag,
    response_cache_headers,
    response_not_modified,
)
from ..models import PressReleasePage
from ..publishing.cache import (
    releases_cached,
    response_cached,
    response_from_entry,
    response_store,
    response_store_later,
    response_store_validators,
)
from .preview import preview_register
from .schemas import Problem, Release, ReleaseFilters, ReleaseList, ReleaseLookup

# --- The press API ------------------------------------------------------------------------

PROBLEM_STATUSES = ("400", "404")
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
RESPONSES_LIST = {200: ReleaseList, 304: None, 400: Problem, 404: Problem}
RESPONSES_RELEASE = {200: Release, 304: None, 400: Problem, 404: Problem}


class ProblemError(Exception):
    """An error the client caused, answered as problem details."""

    def __init__(self, *, status: int, title: str, detail: str, parameter: str | None = None):
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.parameter = parameter


class PressAPI(NinjaAPI):
    """NinjaAPI whose document says what the responses really are: problem+json errors and
    cache validators on every cacheable answer."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema["paths"].values():
            # HEAD is answered like GET (for caches and `curl -I`); documenting it twice would
            # only duplicate every operation in generated clients.
            operations.pop("head", None)
            for operation in operations.values():
                for status, response in operation["responses"].items():
                    status = str(status)
                    if status in PROBLEM_STATUSES and "content" in response:
                        response["content"] = {
                            PROBLEM_MEDIA_TYPE: next(iter(response["content"].values()))
                        }
                    if status in CACHEABLE_STATUSES:
                        response["headers"] = VALIDATOR_HEADERS
                # The validation handler answers a malformed parameter of any operation with a
                # 400, so any operation with parameters documents it.
                if operation.get("parameters") and "400" not in map(str, operation["responses"]):
                    operation["responses"]["400"] = {
                        "description": gettext_lazy("Bad Request"),
                        "content": {
                            PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}
                        },
                    }
        return schema

    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        response_store(request=request, response=response)  # if the view asked for it
        return response


press_api = PressAPI(
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
    parameter = str(location[1]) if len(location) > 1 else None
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


def search_terms(text: str) -> str:
    """The words of a search, lower-cased, without operators or punctuation.

    Backends read some characters and upper-case words as query syntax (SQLite FTS5 fails on a
    stray quote or comma, `AND`/`NEAR` are operators); a newsroom search is plain words."""
    return " ".join(word.lower() for word in re.findall(r"\w+", text))


def releases_filter(*, queryset: QuerySet, filters: ReleaseFilters) -> QuerySet:
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
    if filters.q:
        # Wagtail search finds the matching live releases; intersecting with the selector's
        # queryset keeps visibility and the other filters in SQL (the search index cannot
        # filter on every column the selector uses), and a newsroom lists by date, also when
        # searching.
        terms = search_terms(filters.q)
        found = (
            queryset.model.objects.live().search(terms, operator="and", order_by_relevance=False)
            if terms
            else []
        )
        queryset = queryset.filter(pk__in=[release.pk for release in found])
    if filters.ordering == "release_date":
        queryset = queryset.order_by("release_date", "first_published_at", "pk")
    return queryset


def page_url(*, request: HttpRequest, offset: int | None) -> str | None:
    if offset is None:
        return None
    query = request.GET.copy()
    query["offset"] = str(offset)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def path_segments(path: str) -> list[str]:
    if "://" in path:
        path = urllib.parse.urlsplit(path).path
    path = path.split("?", 1)[0].split("#", 1)[0]
    return [urllib.parse.unquote(segment) for segment in path.split("/") if segment]


def release_find_by_path(*, queryset: QuerySet, site: Site | None, path: str):
    """The release at a page path, or — for frontend routes like /presse/2023/<slug> — the
    release whose slug ends the path, preferring one below the path's leading segments."""
    segments = path_segments(path)
    if not segments:
        return None
    if site is not None:
        url_path = site.root_page.url_path + "/".join(segments) + "/"
        release = queryset.filter(url_path=url_path).first()
        if release is not None:
            return release
    candidates = list(queryset.filter(slug=segments[-1])[:50])
    root_url_path = site.root_page.url_path if site is not None else ""
    for candidate in candidates:
        parents = candidate.url_path.removeprefix(root_url_path).strip("/").split("/")[:-1]
        if segments[: len(parents)] == parents:
            return candidate
    return candidates[0] if candidates else None


def response_hit(*, request: HttpRequest) -> tuple[str, HttpResponse | None]:
    """The stored answer of this generation (or a 304 for it), without touching the database.

    Returns the generation so that a miss stores its answer under the one it started from;
    asked once per request."""
    known = getattr(request, "press_generation", None)
    if known is not None:
        return known, None
    generation, entry = response_cached(request=request)
    request.press_generation = generation
    if entry is None:
        return generation, None
    etag = entry["headers"].get("ETag", "")
    # The usual revalidation sends back exactly the tag it got: no parsing for that.
    if request.headers.get("If-None-Match") == etag or response_not_modified(
        request=request, etag=etag, last_modified=entry["last_modified"]
    ):
        not_modified = HttpResponseNotModified()
        for header, value in entry["headers"].items():  # the validators as first sent
            not_modified[header] = value
        return generation, not_modified
    if entry["content"] is None:  # only the validators of a 304 are known
        return generation, None
    return generation, response_from_entry(entry=entry)


def releases_serialize(*, releases: list, request: HttpRequest) -> list[dict]:
    """The releases' data, from the release cache where it holds them; the others are
    serialised with their photos resolved at once (one image and one rendition query)."""

    def build(missing: list) -> list[dict]:
        releases_prefetch_body(releases=missing)
        return [release_serialize(release=release, request=request) for release in missing]

    return releases_cached(
        releases=releases, kind="release", base=request.build_absolute_uri("/"), build=build
    )


def release_response(*, request: HttpRequest, response: HttpResponse, release, generation: str):
    """A release's 200 data, or a 304 if the client's copy is current (checked before
    serialising)."""
    etag = release_etag(release=release, kind="release")
    not_modified = response_not_modified(
        request=request, etag=etag, last_modified=release.last_published_at
    )
    if not_modified is not None:
        response_store_validators(
            request=request,
            generation=generation,
            response=not_modified,
            expire_at=release.expire_at,
        )
        return not_modified
    response_cache_headers(response=response, etag=etag, last_modified=release.last_published_at)
    response_store_later(request=request, generation=generation, expire_at=release.expire_at)
    return releases_serialize(releases=[release], request=request)[0]


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
    generation, hit = response_hit(request=request)
    if hit is not None:
        return hit
    site = Site.find_for_request(request)
    visible = PressReleasePage.objects.visible(site=site)
    # Cheap validators first: one aggregate over what is visible, no serialisation.
    state = visible.aggregate(
        count=Count("pk"), latest=Max("last_published_at"), expires=Min("expire_at")
    )
    query = urllib.parse.urlencode(sorted(request.GET.items()))
    etag = releases_etag(
        count=state["count"], latest=state["latest"], site_id=site and site.pk, query=query
    )
    not_modified = response_not_modified(request=request, etag=etag, last_modified=state["latest"])
    if not_modified is not None:
        response_store_validators(
            request=request,
            generation=generation,
            response=not_modified,
            expire_at=state["expires"],
        )
        return not_modified

    releases = releases_filter(queryset=visible, filters=filters)
    count = releases.count()
    window = list(
        releases.select_related("contact")[filters.offset : filters.offset + filters.limit]
    )
    following = filters.offset + filters.limit
    preceding = max(filters.offset - filters.limit, 0) if filters.offset else None
    response_cache_headers(response=response, etag=etag, last_modified=state["latest"])
    response_store_later(request=request, generation=generation, expire_at=state["expires"])
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "next": page_url(request=request, offset=following if following < count else None),
        "previous": page_url(request=request, offset=preceding),
        "results": releases_serialize(releases=window, request=request),
    }


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
    generation, hit = response_hit(request=request)
    if hit is not None:
        return hit
    site = Site.find_for_request(request)
    visible = PressReleasePage.objects.visible(site=site).select_related("contact")
    if lookup.path is not None:
        release = release_find_by_path(queryset=visible, site=site, path=lookup.path)
    else:
        release = visible.filter(slug=lookup.slug).first()
    if release is None:
        raise Http404
    return release_response(
        request=request, response=response, release=release, generation=generation
    )


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
    generation, hit = response_hit(request=request)
    if hit is not None:
        return hit
    site = Site.find_for_request(request)
    release = (
        PressReleasePage.objects.visible(site=site).select_related("contact").filter(pk=id).first()
    )
    if release is None:
        raise Http404
    return release_response(
        request=request, response=response, release=release, generation=generation
    )


preview_register(api=press_api)  # GET /preview (press/preview.py), ahead of any catch-all


def press_api_not_found(request: HttpRequest) -> HttpResponse:
    """Anything else below /api/press/ is a problem+json 404, not the site's HTML page.

    A plain Django view, routed after the API in press/urls.py by prefix alone: ninja's path
    converters do not match every path (a newline, for one)."""
    return problem_response(
        status=404, title=_("Not Found"), detail=_("This address does not exist in the API.")
    )
