"""The plugin's namespaced settings: a host site sets `PRESS = {...}`; the rest defaults here."""

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Absolute base of the CMS, for addresses that leave the site (text version, feeds, API).
    # Empty: taken from the request, else from WAGTAILADMIN_BASE_URL.
    "BASE_URL": "",
    # Headless frontend that renders previews; empty: Wagtail's own preview.
    "FRONTEND_URL": "",
    # Widths of the image renditions offered for srcset.
    "IMAGE_WIDTHS": (400, 800, 1600),
    # Releases per newsroom page and per feed.
    "PAGE_SIZE": 10,
    "FEED_SIZE": 20,
    # Column width of the plain-text version (mail clients).
    "TEXT_WIDTH": 72,
    # Seconds a headless preview link stays valid.
    "PREVIEW_TOKEN_MAX_AGE": 10 * 60,
    # Endpoints told about published, unpublished and deleted releases: [{"url", "secret"}].
    "WEBHOOKS": [],
    # Attempts per delivery (first try included) and seconds to wait for an endpoint.
    "WEBHOOK_ATTEMPTS": 4,
    "WEBHOOK_TIMEOUT": 5,
    # Back-off before retry n is BACKOFF * 2**(n-1) seconds. A worker backend that can defer
    # tasks waits the long one between runs; a backend that runs tasks inline (the immediate
    # one, inside the editor's request) retries in the same run with the short one.
    "WEBHOOK_BACKOFF": 30,
    "WEBHOOK_INLINE_BACKOFF": 0.25,
}


def press_setting(name: str) -> Any:
    if name not in DEFAULTS:
        raise KeyError(f"Unknown press setting {name!r}")
    return getattr(settings, "PRESS", {}).get(name, DEFAULTS[name])


def base_url(request=None) -> str:
    """The absolute root of the site without a trailing slash."""
    configured = press_setting("BASE_URL")
    if configured:
        return configured.rstrip("/")
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
