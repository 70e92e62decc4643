"""Test settings: fast hashing, isolated media, inline tasks."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="press-test-media-"))
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="press-test-private-media-"))
AWS_STORAGE_BUCKET_NAME = ""  # tests/test_s3_media.py runs its own bucket
STORAGES = {
    **media_storages(media_root=MEDIA_ROOT, private_media_root=PRIVATE_MEDIA_ROOT),  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "webhooks": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
WAGTAILAPI_BASE_URL = "http://testserver"
# django-axes needs a request in authenticate(), which the test client's login() never passes;
# the throttling tests (tests/test_security.py) switch it on with override_settings.
AXES_ENABLED = False
