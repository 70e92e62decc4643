"""System checks: what an adopting site forgot, said with a hint (`manage.py check`)."""

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from .conf import DEFAULTS, press_setting

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


@register(Tags.compatibility)
def check_required_apps(app_configs=None, **kwargs):
    missing = [name for name in REQUIRED_APPS if not apps.is_installed(name)]
    if not missing:
        return []
    return [
        Error(
            f"The press plugin needs these apps in INSTALLED_APPS: {', '.join(missing)}.",
            hint="Add them to INSTALLED_APPS (see the README, “Adopting the plugin”).",
            id="press.E001",
        )
    ]


@register()
def check_press_setting(app_configs=None, **kwargs):
    configured = getattr(settings, "PRESS", {})
    if not isinstance(configured, dict):
        return [
            Error(
                "PRESS must be a dict.",
                hint="Set PRESS = {...} with the keys of the README's settings reference.",
                id="press.E002",
            )
        ]
    unknown = sorted(set(configured) - set(DEFAULTS))
    if not unknown:
        return []
    return [
        Error(
            f"Unknown PRESS settings: {', '.join(unknown)}.",
            hint=f"Known keys: {', '.join(sorted(DEFAULTS))}.",
            id="press.E003",
        )
    ]


@register()
def check_webhook_backend(app_configs=None, **kwargs):
    backend = press_setting("WEBHOOK_TASK_BACKEND")
    tasks = getattr(settings, "TASKS", {"default": {}})
    if backend in tasks:
        return []
    return [
        Error(
            f"PRESS['WEBHOOK_TASK_BACKEND'] is {backend!r}, but TASKS has no backend of that name.",
            hint=f"Use one of {', '.join(sorted(tasks)) or 'the TASKS aliases'}, or add "
            f"TASKS[{backend!r}].",
            id="press.E004",
        )
    ]


@register()
def check_webhooks(app_configs=None, **kwargs):
    errors = []
    for number, endpoint in enumerate(press_setting("WEBHOOKS")):
        url = endpoint.get("url", "") if isinstance(endpoint, dict) else ""
        secret = endpoint.get("secret", "") if isinstance(endpoint, dict) else ""
        if not url.startswith(("http://", "https://")):
            errors.append(
                Error(
                    f"PRESS['WEBHOOKS'][{number}] has no http(s) address.",
                    hint='Each endpoint is {"url": "https://…", "secret": "whsec_…"}.',
                    id="press.E005",
                )
            )
        elif not secret:
            errors.append(
                Error(
                    f"PRESS['WEBHOOKS'][{number}] ({url}) has no secret: receivers could not "
                    "verify a single delivery.",
                    hint="Give each endpoint a random secret (see the README, “Webhooks”).",
                    id="press.E006",
                )
            )
    return errors


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
