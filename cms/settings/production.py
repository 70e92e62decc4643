"""Production: everything from the environment; refuses to start without a secret."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set in the environment to a random value of at least 50 characters."
    )

# Webhooks are signed as Standard Webhooks are; the secret's form (whsec_<base64> or a plain
# one of at least 24 bytes) is checked by the plugin's system checks press.E008/W002, which
# `migrate` runs before a deploy goes live.
if PRESS["WEBHOOKS"] and not os.environ.get("PRESS_WEBHOOK_SECRET"):  # noqa: F405
    raise ImproperlyConfigured(
        "PRESS_WEBHOOK_URLS is set but PRESS_WEBHOOK_SECRET is not: receivers could not "
        "verify a single delivery. Set a random secret in the Standard Webhooks form, e.g. "
        'python -c "import base64, secrets; '
        "print('whsec_' + base64.b64encode(secrets.token_bytes(32)).decode())\", and give "
        "the same one to every receiver."
    )

# Webhooks go through the database queue; the `worker` process (Dockerfile / compose) sends them.
TASKS["webhooks"] = {  # noqa: F405
    "BACKEND": os.environ.get("WEBHOOK_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
}

STORAGES = {
    **STORAGES,  # noqa: F405 (private uploads, public renditions: base.media_storages)
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS everywhere; SECURE_SSL_REDIRECT can be turned off when a proxy already redirects.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True

# Nothing public is meant to be framed; Wagtail's admin preview iframe overrides this with
# SAMEORIGIN on its own views, so the editor keeps working.
X_FRAME_OPTIONS = "DENY"
