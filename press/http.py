"""HTTP caching for public release responses: validators, conditional requests, cache headers.

Validators are computed from cheap columns before anything is serialised, so a conditional
request that matches answers 304 without touching the release's blocks.
"""

import datetime
import hashlib
import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, parse_etags, parse_http_date_safe

PROBLEM_MEDIA_TYPE = "application/problem+json"

# Short enough that a correction reaches readers within a minute; shared caches may serve a
# stale copy while they revalidate, so a burst of readers never waits on the CMS.
MAX_AGE = 60
STALE_WHILE_REVALIDATE = 300

# Bumped when the shape of a response changes, so no cache keeps an old shape.
REPRESENTATION_VERSION = "1"


def etag_from(*parts: object) -> str:
    digest = hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()
    return f'"{digest[:32]}"'


def release_etag(*, release, kind: str) -> str:
    """A release's validator: its published revision, publication time and contact data.

    The contact is a separate record whose edits do not republish the release, so its data is
    part of the validator (it is loaded with the release anyway).
    """
    contact = release.contact.as_data() if release.contact_id else None
    return etag_from(
        REPRESENTATION_VERSION,
        kind,
        release.pk,
        release.live_revision_id,
        release.last_published_at and release.last_published_at.isoformat(),
        contact,
    )


def releases_etag(*, count: int, latest: datetime.datetime | None, site_id, query: str) -> str:
    """A listing's validator: what is visible (count, latest publication) and what was asked."""
    return etag_from(
        REPRESENTATION_VERSION, "list", site_id, count, latest and latest.isoformat(), query
    )


def request_is_fresh(
    *, request: HttpRequest, etag: str, last_modified: datetime.datetime | None
) -> bool:
    """Whether the client's copy is current (RFC 9110 §13.1.2, §13.1.3).

    Only If-None-Match and If-Modified-Since are evaluated: these are read-only resources, and
    If-Match / If-Unmodified-Since would only turn a readable release into a 412.
    """
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        client_etags = parse_etags(if_none_match)
        if "*" in client_etags:
            return True
        # Weak comparison: a proxy may have weakened our strong tag.
        bare = etag.removeprefix("W/")
        return any(tag.removeprefix("W/") == bare for tag in client_etags)
    if_modified_since = request.headers.get("If-Modified-Since")
    if if_modified_since and last_modified is not None:
        since = parse_http_date_safe(if_modified_since)
        return since is not None and int(last_modified.timestamp()) <= since
    return False


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


def response_not_modified(
    *, request: HttpRequest, etag: str, last_modified: datetime.datetime | None
) -> HttpResponse | None:
    """A 304 with the validators if the client's copy is current, else None."""
    if request.method not in ("GET", "HEAD"):
        return None
    if not request_is_fresh(request=request, etag=etag, last_modified=last_modified):
        return None
    return response_cache_headers(
        response=HttpResponseNotModified(), etag=etag, last_modified=last_modified
    )


def release_cached_response(
    *, request: HttpRequest, release, kind: str, render: Callable[[], HttpResponse]
) -> HttpResponse:
    """A page-side response of a release (e.g. its text version) with validators and a 304 for
    a current copy, checked before `render` runs.

    Only a publicly visible release may sit in shared caches: one behind a password or login
    is rendered for this reader alone.
    """
    from .selectors import release_is_visible

    if not release_is_visible(release):
        response = render()
        patch_cache_control(response, private=True, no_cache=True)
        return response
    etag = release_etag(release=release, kind=kind)
    not_modified = response_not_modified(
        request=request, etag=etag, last_modified=release.last_published_at
    )
    if not_modified is not None:
        return not_modified
    return response_cache_headers(
        response=render(), etag=etag, last_modified=release.last_published_at
    )


def problem_response(
    *, status: int, title: str, detail: str, parameter: str | None = None
) -> HttpResponse:
    problem = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "parameter": parameter,
    }
    return HttpResponse(
        json.dumps(problem, ensure_ascii=False),
        status=status,
        content_type=f"{PROBLEM_MEDIA_TYPE}; charset=utf-8",
    )
