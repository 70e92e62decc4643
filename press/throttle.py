"""Throttling of page passwords: Wagtail answers every guess at a password-protected page.

Wagtail's password form posts to its own view (`wagtailcore_authenticate_with_password`),
which no page hook sees and django-axes does not cover (axes watches Django's authentication
of users; a page password is no user). `PagePasswordThrottleMiddleware` counts the wrong
passwords per client address and restriction in Django's cache; after
PRESS["PAGE_PASSWORD_MAX_ATTEMPTS"] within PRESS["PAGE_PASSWORD_WINDOW"] seconds every further
attempt, the right password included, is answered 429 until the window has passed.

A cache that fails (Redis down, django-redis ignoring the error) counts nothing: the page
stays usable, the throttle is off until the cache is back, and the outage is logged.
"""

import hashlib
import logging

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import gettext as _

from .conf import press_setting

logger = logging.getLogger(__name__)

VIEW_NAME = "wagtailcore_authenticate_with_password"


def client_address(request) -> str:
    # The same address django-axes uses here (AXES_IPWARE_META_PRECEDENCE_ORDER: REMOTE_ADDR);
    # a proxy in front must set it, as for the admin login throttle.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(request, restriction_id) -> str:
    address = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    return f"press:page-password:{restriction_id}:{address}"


def failures_count(key: str) -> int:
    try:
        return int(cache.get(key) or 0)
    except Exception:
        logger.warning("Page password throttle: cache unavailable", exc_info=True)
        return 0


def failure_record(key: str) -> None:
    """One more wrong password; the window starts with the first one."""
    try:
        if not cache.add(key, 1, timeout=press_setting("PAGE_PASSWORD_WINDOW")):
            cache.incr(key)
    except Exception:
        logger.warning("Page password throttle: failure not counted", exc_info=True)


def throttled_response() -> HttpResponse:
    window = press_setting("PAGE_PASSWORD_WINDOW")
    minutes = max(1, -(-window // 60))
    message = _(
        "Too many wrong passwords for this page. Please wait %(minutes)s minutes and try again."
    ) % {"minutes": minutes}
    response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(window)
    response["Cache-Control"] = "private, no-store"
    return response


class PagePasswordThrottleMiddleware:
    """Add to MIDDLEWARE after CsrfViewMiddleware (a forged form is refused before it counts)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_press_page_password_key", None)
        # Wagtail shows the form again (200) for a wrong password and redirects for a right one.
        if key is not None and response.status_code == 200:
            failure_record(key)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if request.method != "POST" or match is None or match.url_name != VIEW_NAME:
            return None
        key = _key(request, view_kwargs.get("page_view_restriction_id"))
        if failures_count(key) >= press_setting("PAGE_PASSWORD_MAX_ATTEMPTS"):
            return throttled_response()
        request._press_page_password_key = key
        return None
