"""System checks: what an adopting site forgot, said with a hint (`manage.py check`).

The ids are stable; a host may silence one with SILENCED_SYSTEM_CHECKS.

========== ==================================================================================
press.E001 An app the plugin needs is missing from INSTALLED_APPS.
press.E002 PRESS is not a dict.
press.E003 PRESS has a key the plugin does not know (a typo, or a setting of another version).
press.E004 PRESS["WEBHOOK_TASK_BACKEND"], ["DOCUMENT_TASK_BACKEND"] or ["MAIL_TASK_BACKEND"] names
           no backend of TASKS.
press.E005 PRESS["WEBHOOKS"] is not a list of {"url": "http(s)://…", "secret": …} endpoints.
press.E006 A webhook endpoint has no secret (nothing would be sent to it).
press.E007 WAGTAILFRONTENDCACHE is set, but wagtail.contrib.frontend_cache is not installed.
press.E008 A webhook secret starts with `whsec_` but the rest is not base64.
press.E009 A PRESS count (PAGE_SIZE, FEED_SIZE, …, WEBHOOK_ATTEMPTS) is not a positive integer.
press.E010 PRESS["IMAGE_WIDTHS"] is not a non-empty sequence of positive integers.
press.E011 PRESS["EMBARGO_PATH"] or ["SUBSCRIPTION_PATH"] is not a path (empty, or not plain).
press.E012 PRESS["IMPORT_TIME_ZONE"] is neither None nor a time zone name.
press.E013 PRESS["WEBHOOK_TIMEOUT"] is not a positive number of seconds.
press.E014 PRESS["FRONTEND_URL"] or PRESS["BASE_URL"] is neither empty nor an http(s) address.
press.E015 PRESS["IMPORT_PUBLICATION_HOUR"] is not an hour from 0 to 23.
press.W001 Photo uploads do not use the plugin's image form.
press.W002 A webhook secret is shorter than 24 bytes (Standard Webhooks asks for 24 to 64).
press.W003 The page-password throttle is not in MIDDLEWARE: password guesses are unlimited.
press.W004 The admin shows Gravatar images: each page view sends editors' e-mail hashes abroad.
press.W005 The admin asks releases.wagtail.org for new Wagtail versions on the dashboard.
press.E016 press.subscriptions or press.distribution is installed without press.mailings.
press.W006 "press" comes after "wagtail.images" in INSTALLED_APPS: the image listing shows no credits.
press.I001 WeasyPrint (the `pdf` extra) is not installed: releases offer no print version (PDF).
press.W007 "press.importer" is in INSTALLED_APPS: the importer is part of "press" now.
========== ==================================================================================
"""

import re
import zoneinfo
from collections.abc import Sequence
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Info, Tags, Warning, register

from .conf import DEFAULTS
from .printing import PDF_EXTRA, pdf_available
from .publishing.webhooks import SECRET_PREFIX, webhook_key

REQUIRED_APPS = (
    "wagtail",
    "wagtail.admin",
    "wagtail.images",
    "wagtail.documents",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail_modeladmin",
    "modelcluster",
    "taggit",
)

COUNTS = (
    "PAGE_SIZE",
    "FEED_SIZE",
    "PREVIEW_TOKEN_MAX_AGE",
    "EMBARGO_LINK_DAYS",
    "WEBHOOK_ATTEMPTS",
    "SUBSCRIPTION_CONFIRM_MAX_AGE",
    "SUBSCRIPTION_PENDING_DAYS",
    "SUBSCRIPTION_MAX_PER_ADDRESS",
    "SUBSCRIPTION_MAX_PER_CLIENT",
    "SUBSCRIPTION_RATE_WINDOW",
    "MAIL_BATCH_SIZE",
    "MAIL_ATTEMPTS",
    "MAIL_CLAIM_SECONDS",
)

SECRET_MIN_BYTES = 24
SECRET_HOW = (
    'Generate one with python -c "import base64, secrets; '
    "print('whsec_' + base64.b64encode(secrets.token_bytes(32)).decode())\" "
    "(see the documentation, Frontend developers → Webhooks)."
)


def known_defaults() -> dict:
    """The defaults of the core's PRESS keys and of the optional parts installed (an
    AppConfig's `press_settings`: press.subscriptions, press.distribution, …)."""
    known = dict(DEFAULTS)
    for config in apps.get_app_configs():
        known.update(getattr(config, "press_settings", None) or {})
    return known


def _setting(name: str):
    """The value in force, also when PRESS itself is broken (press.E002 reports that)."""
    default = known_defaults()[name]
    configured = getattr(settings, "PRESS", {})
    if not isinstance(configured, dict):
        return default
    return configured.get(name, default)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@register(Tags.compatibility)
def check_required_apps(app_configs=None, **kwargs):
    missing = [name for name in REQUIRED_APPS if not apps.is_installed(name)]
    if not missing:
        return []
    return [
        Error(
            f"The press plugin needs these apps in INSTALLED_APPS: {', '.join(missing)}.",
            hint="Add them to INSTALLED_APPS (see the documentation, Adopters → Install).",
            id="press.E001",
        )
    ]


@register()
def check_press_setting(app_configs=None, **kwargs):
    configured = getattr(settings, "PRESS", {})
    if not isinstance(configured, dict):
        return [
            Error(
                f"PRESS must be a dict, not {type(configured).__name__}.",
                hint="Set PRESS = {...} with the keys of the settings reference (docs/adopters/settings.md).",
                id="press.E002",
            )
        ]
    known = set(known_defaults())
    unknown = sorted(set(configured) - known)
    if not unknown:
        return []
    return [
        Error(
            f"Unknown PRESS settings: {', '.join(unknown)}.",
            hint=f"Known keys: {', '.join(sorted(known))}. A key of an optional part "
            "(press.subscriptions, …) is known only where that part is in INSTALLED_APPS.",
            id="press.E003",
        )
    ]


@register()
def check_webhook_backend(app_configs=None, **kwargs):
    # Without TASKS, django_tasks runs one "default" backend.
    tasks = getattr(settings, "TASKS", None) or {"default": {}}
    errors = []
    keys = ("WEBHOOK_TASK_BACKEND", "DOCUMENT_TASK_BACKEND", "MAIL_TASK_BACKEND")
    for key in (key for key in keys if key in known_defaults()):
        backend = _setting(key)
        if backend in tasks:
            continue
        errors.append(
            Error(
                f"PRESS['{key}'] is {backend!r}, but TASKS has no backend of that name.",
                hint=f"Set PRESS['{key}'] to one of {', '.join(sorted(tasks))}, or "
                f"add TASKS[{backend!r}].",
                id="press.E004",
            )
        )
    return errors


@register()
def check_webhooks(app_configs=None, **kwargs):
    endpoints = _setting("WEBHOOKS")
    shape = 'Each endpoint is {"url": "https://…", "secret": "whsec_…"}.'
    if isinstance(endpoints, str | bytes | dict) or not isinstance(endpoints, Sequence):
        return [
            Error(
                f"PRESS['WEBHOOKS'] must be a list of endpoints, not {type(endpoints).__name__}.",
                hint=shape,
                id="press.E005",
            )
        ]
    errors = []
    for number, endpoint in enumerate(endpoints):
        url = endpoint.get("url", "") if isinstance(endpoint, dict) else ""
        secret = endpoint.get("secret", "") if isinstance(endpoint, dict) else ""
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            errors.append(
                Error(
                    f"PRESS['WEBHOOKS'][{number}] has no http(s) address.",
                    hint=shape,
                    id="press.E005",
                )
            )
        elif not secret or not isinstance(secret, str):
            errors.append(
                Error(
                    f"PRESS['WEBHOOKS'][{number}] ({url}) has no secret: nothing is sent to it, "
                    "as a receiver could not verify a single delivery.",
                    hint="Give each endpoint a random secret. " + SECRET_HOW,
                    id="press.E006",
                )
            )
        else:
            errors += _secret_errors(number=number, url=url, secret=secret)
    return errors


def _secret_errors(*, number: int, url: str, secret: str) -> list:
    try:
        key = webhook_key(secret)
    except ValueError:
        return [
            Error(
                f"PRESS['WEBHOOKS'][{number}] ({url}): the secret starts with "
                f"{SECRET_PREFIX!r} but the rest is not base64, so nothing is sent to it.",
                hint=f"Use {SECRET_PREFIX} followed by standard base64 (A–Z, a–z, 0–9, +, /), or "
                f"a plain secret without the prefix. {SECRET_HOW}",
                id="press.E008",
            )
        ]
    if len(key) < SECRET_MIN_BYTES:
        return [
            Warning(
                f"PRESS['WEBHOOKS'][{number}] ({url}): the secret is {len(key)} bytes; "
                f"Standard Webhooks asks for {SECRET_MIN_BYTES} to 64 random bytes.",
                hint=SECRET_HOW,
                id="press.W002",
            )
        ]
    return []


@register()
def check_frontend_cache(app_configs=None, **kwargs):
    if getattr(settings, "WAGTAILFRONTENDCACHE", None) and not apps.is_installed(
        "wagtail.contrib.frontend_cache"
    ):
        return [
            Error(
                "WAGTAILFRONTENDCACHE is set, but wagtail.contrib.frontend_cache is not installed:"
                " nothing would be purged when a release changes.",
                hint="Add 'wagtail.contrib.frontend_cache' to INSTALLED_APPS.",
                id="press.E007",
            )
        ]
    return []


@register()
def check_press_values(app_configs=None, **kwargs):
    """The kinds of value each PRESS key takes, where a wrong one would fail only later
    (a page, a feed, an import or a delivery), away from the setting that caused it."""
    errors = []
    known = known_defaults()
    for name in (name for name in COUNTS if name in known):
        value = _setting(name)
        if not _is_int(value) or value < 1:
            errors.append(
                Error(
                    f"PRESS[{name!r}] is {value!r}; it must be a positive whole number.",
                    hint=f"Set PRESS[{name!r}] to an int of at least 1, or leave it out for "
                    f"the default ({known[name]!r}).",
                    id="press.E009",
                )
            )

    widths = _setting("IMAGE_WIDTHS")
    if (
        isinstance(widths, str | bytes)
        or not isinstance(widths, Sequence)
        or not widths
        or not all(_is_int(width) and width > 0 for width in widths)
    ):
        errors.append(
            Error(
                f"PRESS['IMAGE_WIDTHS'] is {widths!r}; it must be a non-empty sequence of "
                "positive pixel widths.",
                hint=f"For example PRESS['IMAGE_WIDTHS'] = {DEFAULTS['IMAGE_WIDTHS']!r}.",
                id="press.E010",
            )
        )

    for key in (key for key in ("EMBARGO_PATH", "SUBSCRIPTION_PATH") if key in known):
        value = _setting(key)
        if not isinstance(value, str) or not re.fullmatch(r"/*[\w.~-]+(/[\w.~-]+)*/*", value):
            errors.append(
                Error(
                    f"PRESS['{key}'] is {value!r}; it must be a path of letters, digits, "
                    "'-', '_', '.' or '~' (empty, its links would take every address "
                    "of one segment, the newsroom's too).",
                    hint=f"For example PRESS['{key}'] = {known[key]!r}.",
                    id="press.E011",
                )
            )

    timeout = _setting("WEBHOOK_TIMEOUT")
    if not _is_number(timeout) or timeout <= 0:
        errors.append(
            Error(
                f"PRESS['WEBHOOK_TIMEOUT'] is {timeout!r}; it must be a positive number of "
                "seconds.",
                hint=f"Leave it out for the default ({DEFAULTS['WEBHOOK_TIMEOUT']} s).",
                id="press.E013",
            )
        )
    for name in ("FRONTEND_URL", "BASE_URL"):
        value = _setting(name)
        if not isinstance(value, str) or (
            value and not re.fullmatch(r"https?://[^/\s?#]+(/\S*)?", value)
        ):
            errors.append(
                Error(
                    f"PRESS[{name!r}] is {value!r}; it must be empty or an absolute http(s) "
                    "address.",
                    hint=f"For example PRESS[{name!r}] = 'https://www.example.org'.",
                    id="press.E014",
                )
            )

    return errors


def _zone_exists(name) -> bool:
    if not isinstance(name, str) or not name:
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


@register()
def check_import_values(app_configs=None, **kwargs):
    """The archive import's time settings, which `import_press_release` would otherwise trip
    over only at the first release of an archive."""
    errors = []
    zone = _setting("IMPORT_TIME_ZONE")
    hour = _setting("IMPORT_PUBLICATION_HOUR")
    if zone is not None and not _zone_exists(zone):
        errors.append(
            Error(
                f"PRESS['IMPORT_TIME_ZONE'] is {zone!r}, which is not a time zone name.",
                hint="Use an IANA name such as 'Europe/Berlin', or None for TIME_ZONE.",
                id="press.E012",
            )
        )
    if not _is_int(hour) or not 0 <= hour <= 23:
        errors.append(
            Error(
                f"PRESS['IMPORT_PUBLICATION_HOUR'] is {hour!r}; it must be an hour from 0 to 23.",
                hint=f"Leave it out for the default ({DEFAULTS['IMPORT_PUBLICATION_HOUR']}).",
                id="press.E015",
            )
        )
    return errors


# Until 1.0 the importer was an app of its own; its entry in INSTALLED_APPS now does nothing.
FORMER_IMPORTER_APP = "press.importer"


@register(Tags.compatibility)
def check_former_importer_app(app_configs=None, **kwargs):
    if not apps.is_installed(FORMER_IMPORTER_APP):
        return []
    return [
        Warning(
            f'"{FORMER_IMPORTER_APP}" is in INSTALLED_APPS, but the archive importer is part '
            'of "press" now: the entry does nothing.',
            hint=f'Remove "{FORMER_IMPORTER_APP}" from INSTALLED_APPS; "press" brings '
            "`manage.py import_press_release` and the PRESS['IMPORT_…'] settings.",
            id="press.W007",
        )
    ]


@register()
def check_image_form(app_configs=None, **kwargs):
    if getattr(settings, "WAGTAILIMAGES_IMAGE_FORM_BASE", "") == "press.images.PressImageForm":
        return []
    return [
        Warning(
            "Photo uploads do not use the press plugin's form: a damaged file that only "
            "half decodes is accepted and breaks its renditions later.",
            hint="Set WAGTAILIMAGES_IMAGE_FORM_BASE = 'press.images.PressImageForm'.",
            id="press.W001",
        )
    ]


THROTTLE_MIDDLEWARE = "press.throttle.PagePasswordThrottleMiddleware"


@register()
def check_page_password_throttle(app_configs=None, **kwargs):
    if THROTTLE_MIDDLEWARE in getattr(settings, "MIDDLEWARE", []):
        return []
    return [
        Warning(
            "Password-protected pages answer every guess: the press plugin's throttle is not "
            "in MIDDLEWARE.",
            hint=f"Add '{THROTTLE_MIDDLEWARE}' to MIDDLEWARE (after the session middleware).",
            id="press.W003",
        )
    ]


# Wagtail's default when WAGTAIL_GRAVATAR_PROVIDER_URL is not set.
GRAVATAR_DEFAULT = "//www.gravatar.com/avatar"


@register()
def check_admin_third_party_calls(app_configs=None, **kwargs):
    """The admin of a press office calls no one else: a Gravatar image on every admin page
    sends a hash of the editor's e-mail address (which identifies them) to gravatar.com, and
    the dashboard's update check asks releases.wagtail.org. Both are Wagtail's defaults."""
    messages = []
    provider = getattr(settings, "WAGTAIL_GRAVATAR_PROVIDER_URL", GRAVATAR_DEFAULT)
    host = (urlsplit(provider).hostname or "") if isinstance(provider, str) else ""
    if host == "gravatar.com" or host.endswith(".gravatar.com"):
        messages.append(
            Warning(
                "The Wagtail admin loads editors' avatars from Gravatar: every admin page "
                "sends a hash of the editor's e-mail address to gravatar.com.",
                hint="Set WAGTAIL_GRAVATAR_PROVIDER_URL = None (the admin shows initials).",
                id="press.W004",
            )
        )
    if getattr(settings, "WAGTAIL_ENABLE_UPDATE_CHECK", True):
        messages.append(
            Warning(
                "The Wagtail dashboard asks releases.wagtail.org for new versions from the "
                "editor's browser.",
                hint="Set WAGTAIL_ENABLE_UPDATE_CHECK = False and follow Wagtail's releases "
                "where the site is maintained.",
                id="press.W005",
            )
        )
    return messages


@register()
def check_app_order(app_configs=None, **kwargs):
    """The plugin's templates override two of Wagtail's image listing (credit and rights end
    under each photo); Django's app template loader takes the first app that has a template,
    in INSTALLED_APPS order."""
    names = [config.name for config in apps.get_app_configs()]
    if "press" not in names or "wagtail.images" not in names:
        return []
    if names.index("press") < names.index("wagtail.images"):
        return []
    return [
        Warning(
            '"press" comes after "wagtail.images" in INSTALLED_APPS, so the image listing '
            "shows Wagtail's own cells without each photo's credit and rights end.",
            hint='Move "press" (and its parts) above the wagtail apps in INSTALLED_APPS.',
            id="press.W006",
        )
    ]


@register(Tags.compatibility)
def check_mail_engine(app_configs=None, **kwargs):
    needing = [
        name for name in ("press.subscriptions", "press.distribution") if apps.is_installed(name)
    ]
    if not needing or apps.is_installed("press.mailings"):
        return []
    return [
        Error(
            f"{' and '.join(needing)} sends with press.mailings, which is not in INSTALLED_APPS.",
            hint='Add "press.mailings" to INSTALLED_APPS beside them.',
            id="press.E016",
        )
    ]


@register()
def check_print_version(app_configs=None, **kwargs):
    """The print version (PDF) is an extra: without WeasyPrint the site works and its releases
    offer no PDF, which an adopter may not have meant."""
    if pdf_available():
        return []
    return [
        Info(
            "WeasyPrint is not installed: releases offer no print version (PDF).",
            hint=f'To offer it, pip install "{PDF_EXTRA}" (WeasyPrint needs Pango, e.g. the '
            "Debian package libpango-1.0-0) and restart.",
            id="press.I001",
        )
    ]
