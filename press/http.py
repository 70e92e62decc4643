"""HTTP pieces every public channel shares: validators, conditional GET, cache headers,
download file names and problem details. Nothing here knows a model.

Conditional requests are Django's own (`get_conditional_response`): validators are computed
from cheap columns before anything is serialised, so a current copy is answered 304 without
touching the release's blocks.
"""

import datetime
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable
from urllib.parse import quote

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

PROBLEM_MEDIA_TYPE = "application/problem+json"

# Short enough that a correction reaches readers within a minute; shared caches may serve a
# stale copy while they revalidate, so a burst of readers never waits on the CMS.
MAX_AGE = 60
STALE_WHILE_REVALIDATE = 300

# Bumped when the shape of a response changes, so no cache keeps an old shape.
REPRESENTATION_VERSION = "2"


def etag_from(*parts: object) -> str:
    digest = hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()
    return f'"{digest[:32]}"'


def response_cache_headers(
    *, response: HttpResponse, etag: str, last_modified: datetime.datetime | None
) -> HttpResponse:
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    patch_cache_control(
        response, public=True, max_age=MAX_AGE, stale_while_revalidate=STALE_WHILE_REVALIDATE
    )
    return response


def request_is_conditional(request: HttpRequest) -> bool:
    """Whether the request carries a validator that may make a 304 of it (then the validators
    are worth reading on their own first)."""
    return "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META


def response_not_modified(
    *, request: HttpRequest, etag: str, last_modified: datetime.datetime | None
) -> HttpResponse | None:
    """A 304 carrying the validators if the client's copy is current, else None.

    Only If-None-Match and If-Modified-Since count (Django's rules, RFC 9110 §13.2.2): these
    are read-only resources, and a precondition could only turn a readable answer into a 412.
    """
    if request.method not in ("GET", "HEAD"):
        return None
    if not ("If-None-Match" in request.headers or "If-Modified-Since" in request.headers):
        return None
    response = get_conditional_response(
        request,
        etag=etag,
        last_modified=int(last_modified.timestamp()) if last_modified else None,
    )
    if response is None or response.status_code != 304:
        return None
    return response_cache_headers(response=response, etag=etag, last_modified=last_modified)


def response_conditional(
    *,
    request: HttpRequest,
    etag: str | None,
    last_modified: datetime.datetime | None,
    public: bool,
    render: Callable[[], HttpResponse],
) -> HttpResponse:
    """A response with validators, or a 304 for a current copy (checked before `render`
    runs). What is not public (behind a password or login, or without a validator) is
    rendered for this reader alone and never marked cacheable for shared caches."""
    if not public or etag is None:
        response = render()
        response_private(response)
        return response
    not_modified = response_not_modified(request=request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return not_modified
    return response_cache_headers(response=render(), etag=etag, last_modified=last_modified)


def response_private(response: HttpResponse) -> HttpResponse:
    """For this reader alone: no shared cache keeps it, no browser stores it (a preview, an
    embargo reading, a page behind a password or login)."""
    response["Cache-Control"] = "private, no-store"
    return response


# --- the edge cache: what a request's answer is filed under ------------------------------------
# Views and page hooks say which tags (surrogate keys) an answer shows and whether it is for
# this reader alone; press.edge.EdgeCacheMiddleware turns that into the answer's headers in one
# place. The facts live on the request (`_press_edge`, the plugin's own attribute).


class EdgeFacts:
    __slots__ = ("page", "private", "tags")

    def __init__(self) -> None:
        self.tags: set[str] = set()
        self.private = False
        self.page = None


def edge_facts(request: HttpRequest) -> EdgeFacts:
    facts = getattr(request, "_press_edge", None)
    if facts is None:
        facts = EdgeFacts()
        request._press_edge = facts
    return facts


def edge_tag(request: HttpRequest | None, *tags: str) -> None:
    """File this request's answer under these tags as well (purging any of them drops it)."""
    if request is not None:
        edge_facts(request).tags.update(tags)


def edge_page(request: HttpRequest, *, page) -> None:
    """The request serves this Wagtail page (or one of its routes): its own tags, and the page
    decides later whether the answer is public (`edge_is_public_for`, else no restriction)."""
    facts = edge_facts(request)
    facts.page = page
    facts.tags.add(f"page-{page.pk}")
    facts.tags.update(getattr(page, "edge_tags", list)())


# Where press.edge remembers the next scheduled change (in Django's cache).
NEXT_CHANGE_KEY = "press:edge:next-change"


def edge_next_change_forget() -> None:
    """A change may have brought the next scheduled go-live, expiry or rights end forward."""
    cache.delete(NEXT_CHANGE_KEY)


def edge_private(request: HttpRequest) -> None:
    """This request's answer is for its reader alone (`private, no-store`), whatever else says."""
    edge_facts(request).private = True


# German letters spelled out in the ASCII fallback, the way the office writes them.
_FALLBACK_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)
# RFC 5987 attr-char: what may stand unencoded in `filename*`.
_ATTR_CHARS = "!#$&+-.^_`|~"


def _download_name(file_name: str) -> str:
    """The name without what no file name may hold: separators, control characters."""
    cleaned = "".join(
        "_" if char in "/\\" or not char.isprintable() else char for char in file_name
    )
    return cleaned.strip(" .") or "download"


def _ascii_fallback(file_name: str) -> str:
    """An ASCII name for clients without RFC 6266: letters spelled out or stripped of their
    accents, other characters dropped, quotes, backslashes and % replaced; keeps the
    extension, and "download" when nothing of the stem is left."""
    text = unicodedata.normalize("NFKD", file_name.translate(_FALLBACK_TRANSLITERATION))
    text = text.encode("ascii", "ignore").decode("ascii")
    text = "".join(c if c.isprintable() and c not in '"\\%/' else "_" for c in text)
    stem, dot, extension = text.rpartition(".")
    if not dot:
        stem, extension = text, ""
    stem = re.sub(r"([-_ ])[-_ ]+", r"\1", stem).strip("-_ .")
    if not any(c.isalnum() for c in stem):
        stem = "download"
    return f"{stem}.{extension}" if extension else stem


def attachment_disposition(file_name: str, *, inline: bool = False) -> str:
    """`Content-Disposition` after RFC 6266: an ASCII `filename` for every client and, when the
    name is not plain ASCII, `filename*=UTF-8''…` (RFC 5987) with the real name."""
    kind = "inline" if inline else "attachment"
    name = _download_name(file_name)
    fallback = _ascii_fallback(name)
    if fallback == name:
        return f'{kind}; filename="{fallback}"'
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe=_ATTR_CHARS)}"


def problem_response(
    *, status: int, title: str, detail: str, parameter: str | None = None
) -> HttpResponse:
    """RFC 9457 problem details."""
    problem = {
        "type": "about:blank",
        "title": str(title),
        "status": status,
        "detail": str(detail),
        "parameter": parameter,
    }
    return HttpResponse(
        json.dumps(problem, ensure_ascii=False),
        status=status,
        content_type=f"{PROBLEM_MEDIA_TYPE}; charset=utf-8",
    )


class TimestampJSONEncoder(DjangoJSONEncoder):
    """JSON with one timestamp format everywhere: UTC, whole seconds, `Z`
    (`2023-02-07T09:30:00Z`), which RFC 3339 parsers and stock validators (zod's datetime())
    all read; Django's encoder keeps the local offset and milliseconds."""

    def default(self, o):
        if isinstance(o, datetime.datetime) and o.tzinfo is not None:
            moment = o.astimezone(datetime.UTC).replace(microsecond=0, tzinfo=None)
            return moment.isoformat() + "Z"
        return super().default(o)
