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
# The mail bench (bench/mail.py) queues on the database and runs real `db_worker` processes,
# as production does; the other benches run tasks inline.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "webhooks": {
        "BACKEND": os.environ.get(
            "WEBHOOK_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    },
}
# A dead worker's claims are taken over after this many seconds (production: ten minutes);
# the kill-and-resume run shortens it so that it does not wait that long.
PRESS = {
    **PRESS,  # noqa: F405
    "MAIL_CLAIM_SECONDS": int(os.environ.get("PRESS_MAIL_CLAIM_SECONDS", "600")),
}
WAGTAILADMIN_BASE_URL = "http://testserver"
WAGTAILAPI_BASE_URL = "http://testserver"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
