"""The plugin's settings: a host site sets `PRESS = {...}`; every key and its default is here.

The settings reference (docs/adopters/settings.md) lists the same keys; `press.checks` reports unknown keys and
values of the wrong kind as system checks.

The lowest layer: the optional parts' AppConfig modules import it (for their `press_settings`)
before any model is loaded, so it imports no model; the absolute addresses, which read
Wagtail's Site, are in press.addresses.
"""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

DEFAULTS: dict[str, Any] = {
    # Absolute base of the CMS, for addresses that leave the site (text version, feeds, API).
    # Empty: taken from the request, else from WAGTAILADMIN_BASE_URL.
    "BASE_URL": "",
    # Office and service name and the sentence before the press photos: the defaults of a new
    # site's press office settings (editors change them in the admin per site).
    "OFFICE_NAME": _("Press office"),
    "SERVICE_NAME": _("Press releases"),
    "DOWNLOAD_SENTENCE": _("The following material is available for editorial use:"),
    # The terms of use of the press photos, as news desks receive them (ninjs `usageTerms`).
    "PHOTO_USAGE_TERMS": _(
        "Free of charge for editorial use in reporting on this press release, with the credit."
    ),
    # Headless frontend that renders previews; empty: Wagtail's own preview.
    "FRONTEND_URL": "",
    # Widths of the image renditions offered for srcset.
    "IMAGE_WIDTHS": (400, 800, 1600),
    # The renditions a frontend may ask for (GET /api/press/photos/{id}/{filter}): Wagtail
    # filter specs; `fill` crops around the photo's focal point. A fixed set, so that no client
    # can make the server render sizes without end.
    "IMAGE_FILTERS": (
        "width-400",
        "width-800",
        "width-1200",
        "width-1600",
        "fill-400x225",
        "fill-800x450",
        "fill-1600x900",
        "fill-400x400",
        "fill-800x800",
        "fill-1200x630",
    ),
    # Releases per newsroom page and per feed.
    "PAGE_SIZE": 10,
    "FEED_SIZE": 20,
    # Seconds a headless preview link stays valid.
    "PREVIEW_TOKEN_MAX_AGE": 10 * 60,
    # Public path segment of embargo share links, below where the host includes press.urls.
    "EMBARGO_PATH": "embargo/",
    # Days an embargo share link stays valid when the release has no go-live date.
    "EMBARGO_LINK_DAYS": 7,
    # Endpoints told about published, unpublished and deleted releases: [{"url", "secret"}].
    "WEBHOOKS": [],
    # The task backends (aliases of Django's TASKS setting) that deliver webhooks and rebuild
    # release documents after a change that touches many releases (a contact, a photo, …).
    "WEBHOOK_TASK_BACKEND": "default",
    "DOCUMENT_TASK_BACKEND": "default",
    # Attempts per delivery (first try included) and seconds to wait for an endpoint.
    "WEBHOOK_ATTEMPTS": 4,
    "WEBHOOK_TIMEOUT": 5,
    # The namespace of the host's API v2 router, for purging its release URLs; None: no purge.
    "API_V2_NAMESPACE": "wagtailapi",
    # Pixels of a photo, for admin uploads and the import alike: the first renditions cost time
    # and memory in proportion to the pixels. 50 million covers today's 45-megapixel cameras.
    "IMAGE_MAX_PIXELS": 50_000_000,
    # Wrong passwords for one password-protected page from one client address within the
    # window (seconds); beyond, every attempt is answered 429 until the window has passed.
    "PAGE_PASSWORD_MAX_ATTEMPTS": 10,
    "PAGE_PASSWORD_WINDOW": 15 * 60,
    # The edge cache (press.edge): seconds a public answer may be kept, served stale while it
    # is fetched again, and served stale while the CMS is down (grace); each shortened so it
    # never reaches past the next scheduled go-live, expiry or photo rights end.
    "EDGE_MAX_AGE": 60,
    "EDGE_STALE_WHILE_REVALIDATE": 300,
    "EDGE_STALE_IF_ERROR": 24 * 60 * 60,
    # The response header carrying an answer's tags (surrogate keys): `xkey` for Varnish's
    # xkey vmod; `Surrogate-Key` (Fastly) or `Cache-Tag` (Cloudflare Enterprise) elsewhere.
    "EDGE_TAG_HEADER": "xkey",
    # Archive import (`manage.py import_press_release`): the time zone in which an archive's
    # release dates are days (None: the site's TIME_ZONE), the hour a release counts as
    # published, and the newsroom it creates when the site has none.
    "IMPORT_TIME_ZONE": None,
    "IMPORT_PUBLICATION_HOUR": 10,
    "IMPORT_NEWSROOM_TITLE": _("Press releases"),
    "IMPORT_NEWSROOM_SLUG": "press",
    # Archive import limits: bytes of one input file and characters of one release (an
    # archive release is a few thousand characters; more is a wrong file or an attack).
    "IMPORT_MAX_FILE_BYTES": 1024 * 1024,
    "IMPORT_MAX_RELEASE_CHARS": 200_000,
    # Photo downloads of the import: seconds for the whole transfer (connect, redirects and
    # body together, not per read) and bytes of one photo.
    "IMPORT_DOWNLOAD_TIMEOUT": 30,
    "IMPORT_DOWNLOAD_MAX_BYTES": 20 * 1024 * 1024,
    # Networks (CIDR) a photo may be fetched from although they are internal (an office's own
    # photo server; a test's server on 127.0.0.x). Empty: only public addresses.
    "IMPORT_ALLOWED_NETWORKS": (),
}


def press_setting(name: str, *, defaults: dict[str, Any] | None = None) -> Any:
    """The value of PRESS[name] in force. An optional part (press.subscriptions, …) passes its
    own `defaults`: its keys live in the same PRESS dict and are known only where it is
    installed (its AppConfig's `press_settings`, read by the check of unknown keys)."""
    defaults = DEFAULTS if defaults is None else defaults
    if name not in defaults:
        raise KeyError(f"Unknown press setting {name!r}")
    return getattr(settings, "PRESS", {}).get(name, defaults[name])
