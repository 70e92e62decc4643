"""The edge cache in front of the site (Varnish, a CDN): every public answer says how long it may
be kept, carries validators and the tags it is filed under; purges
(press.publishing.edge) drop exactly those tags when something changes.

One middleware decides for every answer, like wagtail.org decorates its URL patterns in one
place: pages (press.wagtail_hooks notes the page being served), the press API (its front door
notes the operation), API v2 and the sitemaps (recognised here by their URL names). Views only
add what they alone know (the releases a page lists).

No public answer is kept past the next moment it may change on its own: `max-age`,
`stale-while-revalidate` and `stale-if-error` never reach past the next scheduled go-live,
expiry or photo rights end, so even a lost purge cannot serve a withdrawn release beyond its
time. Previews, embargo readings and pages behind a password or login are `private, no-store`.
"""

import datetime
import hashlib
from email.utils import parsedate_to_datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Subquery
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.models import Page, Revision, Site

from .conf import press_setting
from .http import NEXT_CHANGE_KEY, edge_facts, response_private
from .models import ReleaseDocument
from .sitemaps import news_sitemap

# Cache-Control words with which a view already kept its answer from shared caches.
NOT_SHARED = ("private", "no-store", "no-cache")


def edge_next_change(*, now: datetime.datetime) -> datetime.datetime | None:
    """The next scheduled moment a public answer may change on its own: a go-live, an expiry or
    a photo's rights end, whichever comes first (None: nothing is scheduled). One statement."""

    def first(queryset, field):
        return Subquery(queryset.order_by(field).values(field)[:1])

    row = (
        Page.objects.filter(depth=1)
        .annotate(
            go_live=first(
                Revision.objects.filter(approved_go_live_at__gt=now), "approved_go_live_at"
            ),
            expiry=first(Page.objects.filter(live=True, expire_at__gt=now), "expire_at"),
            photos=first(
                ReleaseDocument.objects.filter(photos_expire_at__gt=now), "photos_expire_at"
            ),
        )
        .values_list("go_live", "expiry", "photos")
        .first()
    )
    moments = [moment for moment in (row or ()) if moment is not None]
    return min(moments) if moments else None


# Seconds the next scheduled change is remembered in Django's cache: it only shortens
# lifetimes, and every change that could bring it forward forgets it (press.publishing.edge).
NEXT_CHANGE_REMEMBERED = 60


def edge_next_change_remembered(*, now: datetime.datetime) -> datetime.datetime | None:
    """`edge_next_change`, remembered in Django's cache until it has passed, for at most
    NEXT_CHANGE_REMEMBERED seconds, or until a change forgets it (`edge_next_change_forget`):
    saves the query on every public answer; without a cache it is asked every time."""
    remembered = cache.get(NEXT_CHANGE_KEY)
    if remembered is not None:
        (moment,) = remembered
        if moment is None or moment > now:
            return moment
    moment = edge_next_change(now=now)
    cache.set(NEXT_CHANGE_KEY, (moment,), NEXT_CHANGE_REMEMBERED)
    return moment


def edge_lifetimes(
    *, now: datetime.datetime, next_change: datetime.datetime | None
) -> tuple[int, int, int]:
    """(max-age, stale-while-revalidate, stale-if-error) in seconds: the configured ones,
    shortened so that together they never reach past `next_change`."""
    max_age = press_setting("EDGE_MAX_AGE")
    revalidate = press_setting("EDGE_STALE_WHILE_REVALIDATE")
    if_error = press_setting("EDGE_STALE_IF_ERROR")
    if next_change is not None:
        left = max(0, int((next_change - now).total_seconds()))
        max_age = min(max_age, left)
        revalidate = min(revalidate, left - max_age)
        if_error = min(if_error, left - max_age)
    return max_age, revalidate, if_error


def view_tags(request: HttpRequest) -> list[str]:
    """Tags of the answers recognised by their view: API v2's pages and the sitemaps."""
    match = request.resolver_match
    if match is None:
        return []
    if match.func in (sitemap, news_sitemap):
        return ["releases"]
    namespace = press_setting("API_V2_NAMESPACE")
    if namespace and match.view_name == f"{namespace}:pages:listing":
        return ["releases", "topics"]
    if namespace and match.view_name == f"{namespace}:pages:detail":
        pk = match.kwargs.get("pk")
        return [f"page-{pk}", f"release-{pk}"]
    return []


def answer_is_public(request: HttpRequest, facts) -> bool:
    page = facts.page
    if page is None:
        return True
    decide = getattr(page, "edge_is_public_for", None)
    if decide is not None:
        return decide(request)
    return not page.get_view_restrictions().exists()


def response_validators_ensure(response: HttpResponse) -> None:
    """An ETag from the content when the view set no validator (pages, feeds, sitemaps)."""
    if response.has_header("ETag") or response.streaming:
        return
    digest = hashlib.sha256(response.content).hexdigest()
    response["ETag"] = f'"{digest[:32]}"'


def response_not_modified(request: HttpRequest, response: HttpResponse) -> HttpResponse | None:
    if not ("If-None-Match" in request.headers or "If-Modified-Since" in request.headers):
        return None
    last_modified = None
    if response.has_header("Last-Modified"):
        try:
            last_modified = int(parsedate_to_datetime(response["Last-Modified"]).timestamp())
        except (TypeError, ValueError):
            last_modified = None
    answer = get_conditional_response(
        request, etag=response.get("ETag"), last_modified=last_modified, response=response
    )
    if answer is None or answer.status_code != 304:
        return None
    return answer


class EdgeCacheMiddleware:
    """Cache headers, tags and 304s of every public answer (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return response
        if getattr(request, "is_preview", False):
            return response_private(response)
        # A signed-in editor's answer carries their userbar and is theirs alone (the shipped
        # VCL passes such requests too). The cookie, not request.user: reading the user would
        # touch the session and make every reader's answer vary on Cookie.
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return response_private(response)
        facts = edge_facts(request)
        facts.tags.update(view_tags(request))
        if facts.private:
            return response_private(response)
        if not facts.tags or response.status_code not in (200, 304):
            return response
        if not answer_is_public(request, facts):
            return response_private(response)
        control = response.get("Cache-Control", "")
        if any(word in control for word in NOT_SHARED) or response.cookies:
            return response  # the view kept it for its reader (a cookie is never shared)
        # The view may have named its site already (the press API's list finds it in SQL).
        if not any(tag.startswith("site-") for tag in facts.tags):
            site = Site.find_for_request(request)
            if site is not None:
                facts.tags.add(f"site-{site.pk}")
        now = timezone.now()
        max_age, revalidate, if_error = edge_lifetimes(
            now=now, next_change=edge_next_change_remembered(now=now)
        )
        if response.has_header("Cache-Control"):
            del response["Cache-Control"]
        patch_cache_control(
            response,
            public=True,
            max_age=max_age,
            stale_while_revalidate=revalidate,
            stale_if_error=if_error,
        )
        response[press_setting("EDGE_TAG_HEADER")] = " ".join(sorted(facts.tags))
        if response.status_code == 304:
            return response
        response_validators_ensure(response)
        return response_not_modified(request, response) or response
