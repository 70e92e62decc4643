"""Benchmark settings: production-like request path (DEBUG off, same middleware) plus the
bench-only URLs (the trivial reference view and stock API v2) in `bench/urls.py`."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "bench-secret-key-not-for-production"
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "bench.urls"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or tempfile.mkdtemp(prefix="press-bench-media-"))
PRIVATE_MEDIA_ROOT = Path(
    os.environ.get("PRIVATE_MEDIA_ROOT") or tempfile.mkdtemp(prefix="press-bench-private-media-")
)
STORAGES = {
    **STORAGES,  # noqa: F405
    **media_storages(media_root=MEDIA_ROOT, private_media_root=PRIVATE_MEDIA_ROOT),  # noqa: F405
}
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "webhooks": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
WAGTAILAPI_BASE_URL = "http://testserver"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
