"""Caching of public release data in Django's cache (Redis in production, local memory in dev).

Two layers, both safe to serve without asking the database whether they are still current:

- A *publication generation*: a token in the cache that every change a reader could notice
  replaces (publish, unpublish, delete, move, view restriction, contact, office settings,
  site, image). Whole API responses are stored with the generation they were built under and
  served — or answered with a 304 — only while it is unchanged: one cache round trip, no SQL.
  A lost or evicted token simply starts a new generation, so an entry is never trusted
  without it.
- Per release, its serialised data and its text version, keyed by what they are made of (live
  revision, publication time, contact data, base URL), so a new generation rebuilds a listing
  from cached releases instead of serialising every release again.

An entry also never outlives the earliest expiry (`expire_at`) of what it shows: the visibility
selector hides an expired release before `publish_scheduled` unpublishes it.
"""

import datetime
import hashlib
import uuid
from collections.abc import Callable, Iterable

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import parse_http_date_safe
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from ..models import PressContact, PressSettings

GENERATION_KEY = "press:generation"
ASSETS_KEY = "press:assets"
# A generation change makes entries unreachable; the timeout only frees the memory.
RESPONSE_TIMEOUT = 60 * 60
RELEASE_TIMEOUT = 24 * 60 * 60

# Fields Wagtail writes on a live page's row when an editor saves a draft: the row's published
# content is untouched, so that save changes nothing a reader sees.
DRAFT_ONLY_FIELDS = frozenset(
    {
        "has_unpublished_changes",
        "latest_revision_created_at",
        "draft_title",
        "latest_revision",
        "latest_revision_id",
        "locked",
        "locked_at",
        "locked_by",
        "locked_by_id",
    }
)


def _token() -> str:
    return uuid.uuid4().hex


def _bump(*keys: str) -> None:
    def bump():
        cache.set_many({key: _token() for key in keys}, None)

    bump()
    # Again once the change is committed: a reader between the first bump and the commit may
    # have stored what it still saw under the new generation.
    transaction.on_commit(bump, robust=True)


def generation_bump(**kwargs) -> None:
    _bump(GENERATION_KEY)


def assets_bump(**kwargs) -> None:
    _bump(ASSETS_KEY, GENERATION_KEY)


def _current(key: str, found: dict) -> str:
    value = found.get(key)
    if value is None:
        # Nothing to trust yet: start a generation (add: a concurrent starter wins, not both).
        cache.add(key, _token(), None)
        value = cache.get(key) or _token()
    return value


# --- whole responses ------------------------------------------------------------------------


def response_cache_key(*, request: HttpRequest) -> str:
    """What was asked: host (the site), path and parameters."""
    # The raw query string: no parsing on a hit; the same parameters in another order are
    # merely another entry.
    raw = f"{request.get_host()}|{request.path}|{request.META.get('QUERY_STRING', '')}"
    return "press:response:" + hashlib.sha256(raw.encode()).hexdigest()[:40]


def response_cached(*, request: HttpRequest) -> tuple[str, dict | None]:
    """(generation, stored entry if built under it) in one cache round trip."""
    key = response_cache_key(request=request)
    found = cache.get_many([GENERATION_KEY, key])
    generation = _current(GENERATION_KEY, found)
    entry = found.get(key)
    if entry is None or entry["generation"] != generation:
        return generation, None
    return generation, entry


def response_from_entry(*, entry: dict) -> HttpResponse:
    response = HttpResponse(entry["content"], content_type=entry["content_type"])
    for header, value in entry["headers"].items():
        response[header] = value
    return response


def response_store_later(
    *, request: HttpRequest, generation: str, expire_at: datetime.datetime | None
) -> None:
    """Mark this request's answer for storing once the API has rendered it (PressAPI)."""
    timeout = RESPONSE_TIMEOUT
    if expire_at is not None:
        timeout = min(timeout, int((expire_at - timezone.now()).total_seconds()))
    if timeout >= 1:
        request.press_cache_store = (response_cache_key(request=request), generation, timeout)


def response_store_validators(
    *,
    request: HttpRequest,
    generation: str,
    response: HttpResponse,
    expire_at: datetime.datetime | None,
) -> None:
    """After a 304 worked out from the database: keep its validators, so the next conditional
    request of this generation is answered from the cache (a full request still builds)."""
    response_store_later(request=request, generation=generation, expire_at=expire_at)
    store = getattr(request, "press_cache_store", None)
    if store is None:
        return
    key, generation, timeout = store
    existing = cache.get(key)
    if existing is not None and existing["generation"] == generation:
        return  # the full answer (or these validators) of this generation is there already
    cache.set(key, _entry(generation=generation, response=response, content=None), timeout)


def _entry(*, generation: str, response: HttpResponse, content: bytes | None) -> dict:
    headers = {
        header: response[header]
        for header in ("ETag", "Last-Modified", "Cache-Control")
        if response.has_header(header)
    }
    since = parse_http_date_safe(response["Last-Modified"]) if "Last-Modified" in headers else None
    return {
        "generation": generation,
        "last_modified": since and datetime.datetime.fromtimestamp(since, tz=datetime.UTC),
        "content": content,
        "content_type": response.get("Content-Type"),
        "headers": headers,
    }


def response_store(*, request: HttpRequest, response: HttpResponse) -> None:
    store = getattr(request, "press_cache_store", None)
    if store is None or response.status_code != 200:
        return
    key, generation, timeout = store
    cache.set(
        key, _entry(generation=generation, response=response, content=response.content), timeout
    )


# --- per release ----------------------------------------------------------------------------


def release_cache_key(*, release, kind: str, base: str, assets: str) -> str:
    contact = release.contact.as_data() if release.contact_id else None
    raw = "|".join(
        str(part)
        for part in (
            kind,
            release.pk,
            release.live_revision_id,
            release.last_published_at and release.last_published_at.isoformat(),
            base,
            contact,
            assets,
        )
    )
    return f"press:{kind}:{release.pk}:" + hashlib.sha256(raw.encode()).hexdigest()[:32]


def releases_cached(
    *,
    releases: Iterable,
    kind: str,
    base: str,
    build: Callable[[list], list],
) -> list:
    """Each release's cached value (one round trip for all); the missing ones are built in
    one call of `build(missing_releases)` and stored in one round trip."""
    releases = list(releases)
    found = cache.get_many([ASSETS_KEY])
    assets = _current(ASSETS_KEY, found)
    keys = [release_cache_key(release=r, kind=kind, base=base, assets=assets) for r in releases]
    found = cache.get_many(keys)
    missing = [(key, r) for key, r in zip(keys, releases, strict=True) if key not in found]
    if missing:
        built = build([release for _, release in missing])
        fresh = {key: value for (key, _), value in zip(missing, built, strict=True)}
        cache.set_many(fresh, RELEASE_TIMEOUT)
        found.update(fresh)
    return [found[key] for key in keys]


# --- what changes a reader's view -------------------------------------------------------------


def _page_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= DRAFT_ONLY_FIELDS:
        return
    generation_bump()


def cache_signals_connect() -> None:
    page_published.connect(generation_bump, dispatch_uid="press.cache.published")
    page_unpublished.connect(generation_bump, dispatch_uid="press.cache.unpublished")
    post_page_move.connect(generation_bump, dispatch_uid="press.cache.moved")

    for model in apps.get_models():
        if issubclass(model, Page):
            post_save.connect(_page_saved, sender=model, dispatch_uid=f"press.cache.save.{model}")
            post_delete.connect(
                generation_bump, sender=model, dispatch_uid=f"press.cache.delete.{model}"
            )
    for model, handler in (
        (PageViewRestriction, generation_bump),
        (PressSettings, generation_bump),
        (PressContact, assets_bump),
        (Site, assets_bump),
        (get_image_model(), assets_bump),
    ):
        post_save.connect(handler, sender=model, dispatch_uid=f"press.cache.save.{model}")
        post_delete.connect(handler, sender=model, dispatch_uid=f"press.cache.delete.{model}")
