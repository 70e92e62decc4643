"""Local development: debug on, a fixed insecure key, local SQLite by default."""

import os

import django

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "django-insecure-dev-only-not-for-production"  # noqa: F405
ALLOWED_HOSTS = ["*"]
# Mail goes to the SMTP server the environment names (EMAIL_HOST / EMAIL_PORT and the other
# EMAIL_* variables, read in base.py as in every environment); only without one does the dev
# server print each mail on its console instead of trying a mail server on localhost:25.
if not (os.environ.get("EMAIL_HOST") or os.environ.get("EMAIL_PORT")):
    if django.VERSION >= (6, 1):
        MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    else:
        EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Five releases a newsroom page: the demo's six releases (the seed and the archive samples,
# `load_demo_content`) then show the newsroom's pagination as well as its years.
PRESS = {**PRESS, "PAGE_SIZE": 5}  # noqa: F405
# The demo's readers meet the site's own 404 and 500 pages, as in production, while DEBUG
# stays on for the rest (static files, template errors); SITE_ERROR_PAGES=0 brings Django's
# technical pages back for debugging a view.
if env_bool("SITE_ERROR_PAGES", True):
    MIDDLEWARE = [*MIDDLEWARE, "cms.middleware.SiteErrorPagesMiddleware"]  # noqa: F405
