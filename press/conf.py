"""The plugin's settings: a host site sets `PRESS = {...}`; every key and its default is here.

The settings reference (docs/adopters/settings.md) lists the same keys; `press.checks` reports unknown keys and
values of the wrong kind as system checks.
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
    # Releases per newsroom page and per feed.
    "PAGE_SIZE": 10,
    "FEED_SIZE": 20,
    # Column width of the plain-text version (mail clients).
    "TEXT_WIDTH": 72,
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
    # Back-off before retry n is BACKOFF * 2**(n-1) seconds. A worker backend that can defer
    # tasks waits the long one between runs; a backend that runs tasks inline (the immediate
    # one, inside the editor's request) retries in the same run with the short one.
    "WEBHOOK_BACKOFF": 30,
    "WEBHOOK_INLINE_BACKOFF": 0.25,
    # The namespace of the host's API v2 router, for purging its release URLs; None: no purge.
    "API_V2_NAMESPACE": "wagtailapi",
    # Archive import: the time zone in which an archive's release dates are days (None: the
    # site's TIME_ZONE), the hour a release counts as published, and the newsroom it creates
    # when the site has none.
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
    # Pixels of a photo, for admin uploads and the import alike: the first renditions cost time
    # and memory in proportion to the pixels. 50 million covers today's 45-megapixel cameras.
    "IMAGE_MAX_PIXELS": 50_000_000,
    # Wrong passwords for one password-protected page from one client address within the
    # window (seconds); beyond, every attempt is answered 429 until the window has passed.
    "PAGE_PASSWORD_MAX_ATTEMPTS": 10,
    "PAGE_PASSWORD_WINDOW": 15 * 60,
    # E-mail subscriptions (double opt-in). The text a subscriber agrees to, stored with each
    # consent; seconds a confirmation link is valid; days before an unconfirmed sign-up is
    # deleted (`manage.py press_subscriptions_cleanup`); seconds within which a repeated
    # sign-up sends no second confirmation mail.
    # Public path of the sign-up form and the subscribers' links, below where the host includes
    # press.urls.
    "SUBSCRIPTION_PATH": "subscriptions/",
    "SUBSCRIPTION_CONSENT_TEXT": _(
        "I would like to receive the press releases by e-mail. I can unsubscribe at any time "
        "with the link in every mail."
    ),
    "SUBSCRIPTION_CONFIRM_MAX_AGE": 2 * 24 * 60 * 60,
    "SUBSCRIPTION_PENDING_DAYS": 7,
    "SUBSCRIPTION_RESEND_COOLDOWN": 60 * 60,
    # Sign-ups per address and per client address within the window (seconds); beyond: 429.
    "SUBSCRIPTION_MAX_PER_ADDRESS": 5,
    "SUBSCRIPTION_MAX_PER_CLIENT": 20,
    "SUBSCRIPTION_RATE_WINDOW": 60 * 60,
    # Sending releases to subscribers: the TASKS alias that sends (a worker queue in
    # production), mails per batch (one SMTP connection each), attempts per recipient for
    # temporary failures (4xx, connection lost), back-off before retry n as for webhooks
    # (BACKOFF * 2**(n-1) seconds on a worker, INLINE_BACKOFF when tasks run inline), and the
    # seconds after which a claim of a worker that died is taken over.
    "MAIL_TASK_BACKEND": "default",
    "MAIL_BATCH_SIZE": 100,
    "MAIL_ATTEMPTS": 5,
    "MAIL_BACKOFF": 60,
    "MAIL_INLINE_BACKOFF": 0.2,
    "MAIL_CLAIM_SECONDS": 10 * 60,
    # The journalist import (press.distribution): the largest file in bytes, the most rows.
    "JOURNALIST_IMPORT_MAX_BYTES": 2 * 1024 * 1024,
    "JOURNALIST_IMPORT_MAX_ROWS": 5000,
}


def press_setting(name: str) -> Any:
    if name not in DEFAULTS:
        raise KeyError(f"Unknown press setting {name!r}")
    return getattr(settings, "PRESS", {}).get(name, DEFAULTS[name])


# --- absolute addresses: one rule for every channel ---------------------------------------------
# Pages, text versions and photo downloads are addressed below the root URL of the site that
# serves them (`site_root_url`); rendition files keep the address their storage gives when it
# is absolute (MEDIA_URL or a bucket on a CDN), else they are below the same root, which
# serves MEDIA_URL too. Only what is rendered for one request and stored nowhere (a preview)
# is addressed below the root that request reached (`request_root_url`), so an editor sees
# the photos whatever address the admin is reached at.


def site_root_url(site=None) -> str:
    """The root of a site's absolute addresses, without a trailing slash: PRESS["BASE_URL"],
    else the site's root URL (hostname and port), else WAGTAILADMIN_BASE_URL."""
    configured = press_setting("BASE_URL")
    if configured:
        return configured.rstrip("/")
    if site is not None:
        return site.root_url.rstrip("/")
    return getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")


def request_root_url(request) -> str:
    """The root the request reached the CMS at (scheme, host and port), without a slash."""
    return request.build_absolute_uri("/").rstrip("/")


def base_url(request=None) -> str:
    """The root of absolute addresses for a request: the site it is for (Wagtail's
    Site.find_for_request, the default site for an unknown host), else the configured one."""
    if request is not None and not press_setting("BASE_URL"):
        from wagtail.models import Site

        site = Site.find_for_request(request)
        if site is not None:
            return site_root_url(site)
    return site_root_url(None)
