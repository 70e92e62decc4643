"""Settings shared by every environment; safe for production by default.

DEBUG is off, secrets and hosts come from the environment, and `dev.py` / `test.py`
relax what they need. `production.py` refuses to start without a real SECRET_KEY.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
import django
from corsheaders.defaults import default_headers as CORS_DEFAULT_HEADERS

from cms.cache import redis_cache_options

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "home",
    "press",
    # The plugin's optional parts, all of them in this site: e-mail subscriptions and
    # journalists' distribution lists (both send with press.mailings). The legacy-archive
    # importer is part of "press" itself.
    "press.subscriptions",
    "press.distribution",
    "press.mailings",
    # The form "Barriere melden" and the accessibility statement page (BITV 2.0).
    "press.accessibility",
    "wagtail_modeladmin",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.redirects",
    "wagtail.contrib.frontend_cache",
    # The admin's "Translate" action: an editor makes the English or Leichte-Sprache version.
    "wagtail.contrib.simple_translation",
    "wagtail.api.v2",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    # Serves the press API docs' Swagger UI from our own static files (CSP: 'self' only).
    "ninja",
    "corsheaders",
    "csp",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cache headers, edge tags and 304s of every public answer (press.edge); outside the
    # session and CSRF middleware, so that it sees the cookies they set.
    "press.edge.EdgeCacheMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "csp.middleware.CSPMiddleware",
    # Wrong page passwords per client and page: 429 after PRESS["PAGE_PASSWORD_MAX_ATTEMPTS"].
    "press.throttle.PagePasswordThrottleMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its refusal response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# On PostgreSQL, Wagtail's search table and the release documents' search use PostgreSQL's
# full-text search fields and indexes, which Django 6.1 checks (postgres.E005) to come with
# django.contrib.postgres installed.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    INSTALLED_APPS.append("django.contrib.postgres")
# SQLite (make run, a trial) serves an editor publishing while readers' requests store the
# documents they found outdated. In SQLite's default (deferred) mode a transaction that has read
# and then writes while another one writes fails at once with "database is locked" (waiting
# could deadlock); transactions that take the write lock when they begin wait their turn
# instead, and the write-ahead log lets readers go on while one writes.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# German is the press office's language: admin, dates and page chrome. Releases also have
# versions in English and in Leichte Sprache (easy-to-read German), each a translation of the
# German release in Wagtail's own sense (a Locale, the same translation_key); German pages keep
# their addresses, the versions live below /en/ and /de-x-ls/ (i18n_patterns in cms/urls.py).
# "de-x-ls" is German with a BCP 47 private-use subtag: a valid `lang`/`hreflang` value that
# screen readers and hyphenation read as German; "de-ls" would say German as spoken in Lesotho.
LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch"), ("en", "English"), ("de-x-ls", "Leichte Sprache")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = [("de", "Deutsch"), ("en", "English")]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
# The host's German fixes to Wagtail's catalogue (cms/locale/de) win over Wagtail's own:
# Django reads LOCALE_PATHS before the apps' locale folders.
LOCALE_PATHS = [PROJECT_DIR / "locale"]
# Dates as Germans type them: the admin's date pickers show and parse 03.12.2026 and
# 03.12.2026 10:00. Django's German input formats read them; cms/formats/en adds them to the
# English ones, for an editor who chose English as admin language.
FORMAT_MODULE_PATH = ["cms.formats"]
WAGTAIL_DATE_FORMAT = "%d.%m.%Y"
WAGTAIL_DATETIME_FORMAT = "%d.%m.%Y %H:%M"

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Media is private until its release is public (docs/operators/storage.md).
# The default storage holds the uploads, photo originals and documents; it is never served as
# it is: originals go through the plugin's download view (press_photo_original), documents
# through Wagtail's serve view. Only the renditions storage is public: MEDIA_ROOT, which the
# web server in front serves at MEDIA_URL, or the bucket's public prefix.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None
# AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY: read by boto3 from the environment.


def media_storages(
    *,
    media_root: Path,
    private_media_root: Path,
    bucket: str = AWS_STORAGE_BUCKET_NAME,
    custom_domain: str | None = AWS_S3_CUSTOM_DOMAIN,
) -> dict:
    """The `default` (private) and `renditions` (public) storages, on S3 when a bucket is set.

    In the bucket the private part lives under `private/` (no ACL, presigned URLs only), the
    public renditions under `public/` (plain URLs, on AWS_S3_CUSTOM_DOMAIN when set); the
    bucket policy grants anonymous reads on `public/*` and nothing else. Renditions get a
    random directory each (cms/storage.py), so no one finds one by guessing its name.
    """
    if bucket:
        s3 = "storages.backends.s3.S3Storage"
        return {
            "default": {
                "BACKEND": s3,
                "OPTIONS": {
                    "bucket_name": bucket,
                    "location": "private",
                    "default_acl": None,
                    "querystring_auth": True,
                    "querystring_expire": 300,
                    "file_overwrite": False,
                    "custom_domain": None,
                },
            },
            "renditions": {
                "BACKEND": "cms.storage.PublicS3Storage",
                "OPTIONS": {
                    "bucket_name": bucket,
                    "location": "public",
                    "default_acl": None,
                    "querystring_auth": False,
                    "file_overwrite": False,
                    "custom_domain": custom_domain,
                    "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
                },
            },
        }
    # Locations as strings: Wagtail hands a storage's deconstructed options to a task when it
    # deletes a file (an image or rendition deleted), and a task's arguments must be JSON.
    return {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(private_media_root)},
        },
        "renditions": {
            "BACKEND": "cms.storage.PublicFileSystemStorage",
            "OPTIONS": {"location": str(media_root), "base_url": MEDIA_URL},
        },
    }


STORAGES = {
    **media_storages(media_root=MEDIA_ROOT, private_media_root=PRIVATE_MEDIA_ROOT),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILIMAGES_RENDITION_STORAGE = "renditions"
# Documents are streamed by Wagtail's serve view, which checks the collection's privacy
# (password or login) on every download; never a redirect to the storage's own URL.
WAGTAILDOCS_SERVE_METHOD = "serve_view"

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Django's task framework as shipped with Wagtail 8. Wagtail's own small tasks (reference
# index, file deletion) run inline. Webhook deliveries use their own backend alias so that
# production can hand them to a worker (django-tasks-db queue + `manage.py db_worker
# --backend webhooks`) and never make an editor wait for a slow endpoint; a queued delivery
# survives restarts until a worker sends it.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    },
    "webhooks": {
        "BACKEND": os.environ.get(
            "WEBHOOK_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    },
}

# The cache only saves work (Wagtail's site paths and renditions): what readers see is decided
# by the database. An unreachable Redis is therefore a cache miss, never an error page
# (django-redis IGNORE_EXCEPTIONS), and costs a request at most one short timeout: a circuit
# breaker (cms/cache.py) then skips Redis until it answers again, and logs the outage once
# when it starts and once when it ends.
CACHES = {
    "default": (
        {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "OPTIONS": redis_cache_options(
                connect_timeout=float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.05")),
                timeout=float(os.environ.get("REDIS_TIMEOUT", "0.05")),
            ),
        }
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
# The breaker logs the outage; django-redis would log every ignored call.
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False
DJANGO_REDIS_LOGGER = "cms.cache"

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("WAGTAIL_SITE_NAME", "Pressedienst")
# Slugs in ASCII: an address with "ü" travels as "%C3%BC" in every link, mail and PDF. The
# release and topic slug fields spell German letters out (press.slugs: "ue", "ss").
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# The admin calls no third party: no Gravatar (it would send a hash of every editor's e-mail
# address to a US service with each page view; the admin shows initials instead) and no
# check for new Wagtail versions (releases.wagtail.org).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# The Help menu and the dashboard point at the German edition of Wagtail's editor guide
# (home/wagtail_hooks.py).
EDITOR_GUIDE_URL = "https://guide.wagtail.org/de-latest/"
# PostgreSQL stems German words ("Rathäuser" finds "Rathaus"); SQLite's FTS ignores the setting.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "german"}
}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILAPI_RICH_TEXT_FORMAT = "html"
WAGTAILAPI_BASE_URL = os.environ.get("WAGTAILAPI_BASE_URL", WAGTAILADMIN_BASE_URL)
WAGTAILAPI_LIMIT_MAX = 100
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 128_000_000
WAGTAILIMAGES_IMAGE_FORM_BASE = "press.images.PressImageForm"

# CORS: only the configured frontend origins may read the API from a browser.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
# A browser's conditional request (If-None-Match, If-Modified-Since) is preflighted: without
# these it fails and the frontend refetches every answer in full.
CORS_ALLOW_HEADERS = (*CORS_DEFAULT_HEADERS, "if-none-match", "if-modified-since")
# Headers a frontend's script must read: the validators for its next conditional request,
# how long to wait after a 429/503, and the links between pages of a list.
CORS_EXPOSE_HEADERS = ("ETag", "Last-Modified", "Retry-After", "Link", "Content-Disposition")

# The press plugin's namespaced settings (see press/conf.py for every key and its default).
PRESS = {
    # The Düsseldorf press office: its names, its archive's wording and its addresses.
    "OFFICE_NAME": "Landeshauptstadt Düsseldorf",
    "SERVICE_NAME": "Pressedienst",
    "DOWNLOAD_SENTENCE": (
        "Zu Ihrer redaktionellen Verwendung stellen wir Ihnen folgendes Material "
        "zum Download zur Verfügung:"
    ),
    "EMBARGO_PATH": "presse-vorab/",
    "DOCUMENT_TASK_BACKEND": "webhooks",
    "IMPORT_TIME_ZONE": "Europe/Berlin",
    "IMPORT_NEWSROOM_TITLE": "Presse",
    "IMPORT_NEWSROOM_SLUG": "presse",
    "WEBHOOK_TASK_BACKEND": "webhooks",
    # Releases mailed to subscribers go through the same queue and worker as the webhooks.
    "MAIL_TASK_BACKEND": "webhooks",
    "SUBSCRIPTION_PATH": "presse-abo/",
    # The form "Barriere melden"; who at the office is told of each report (else MANAGERS).
    "BARRIER_REPORT_PATH": "barriere-melden/",
    "BARRIER_REPORT_RECIPIENTS": env_list("PRESS_BARRIER_REPORT_RECIPIENTS"),
    "FRONTEND_URL": os.environ.get("PRESS_FRONTEND_URL", ""),
    "PREVIEW_TOKEN_MAX_AGE": int(os.environ.get("PRESS_PREVIEW_TOKEN_MAX_AGE", "600")),
    # Every endpoint gets the same shared secret; without one nothing is sent (logged).
    "WEBHOOKS": [
        {"url": url, "secret": os.environ.get("PRESS_WEBHOOK_SECRET", "")}
        for url in env_list("PRESS_WEBHOOK_URLS")
    ],
}

# Outgoing mail (confirmation mails, releases to subscribers) over SMTP, from the environment.
# Django 6.1 configures mail as MAILERS (its EMAIL_* settings are deprecated); older Django
# versions know only the EMAIL_* settings.
SMTP_OPTIONS = {
    "host": os.environ.get("EMAIL_HOST", "localhost"),
    "port": int(os.environ.get("EMAIL_PORT", "25")),
    "username": os.environ.get("EMAIL_HOST_USER", ""),
    "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
    "use_tls": env_bool("EMAIL_USE_TLS", False),
    "use_ssl": env_bool("EMAIL_USE_SSL", False),
    "timeout": int(os.environ.get("EMAIL_TIMEOUT", "30")),
}
if django.VERSION >= (6, 1):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": SMTP_OPTIONS,
        }
    }
else:
    EMAIL_HOST = SMTP_OPTIONS["host"]
    EMAIL_PORT = SMTP_OPTIONS["port"]
    EMAIL_HOST_USER = SMTP_OPTIONS["username"]
    EMAIL_HOST_PASSWORD = SMTP_OPTIONS["password"]
    EMAIL_USE_TLS = SMTP_OPTIONS["use_tls"]
    EMAIL_USE_SSL = SMTP_OPTIONS["use_ssl"]
    EMAIL_TIMEOUT = SMTP_OPTIONS["timeout"]
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "presse@localhost")

# Frontend cache / CDN purged when releases change (Wagtail's frontend cache invalidation).
# Varnish or another cache that accepts PURGE requests, and/or Cloudflare; none: no purging.
WAGTAILFRONTENDCACHE = {}
if os.environ.get("FRONTEND_CACHE_VARNISH_URL"):
    WAGTAILFRONTENDCACHE["varnish"] = {
        # Wagtail's HTTP backend that purges tags too (deploy/varnish/default.vcl, xkey).
        "BACKEND": "press.publishing.edge.VarnishXkeyBackend",
        "LOCATION": os.environ["FRONTEND_CACHE_VARNISH_URL"],
        "HOSTNAMES": env_list("FRONTEND_CACHE_HOSTNAMES", "*"),
    }
if os.environ.get("FRONTEND_CACHE_CLOUDFLARE_ZONEID"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "BEARER_TOKEN": os.environ.get("FRONTEND_CACHE_CLOUDFLARE_BEARER_TOKEN", ""),
        "ZONEID": os.environ["FRONTEND_CACHE_CLOUDFLARE_ZONEID"],
        "HOSTNAMES": env_list("FRONTEND_CACHE_HOSTNAMES", "*"),
    }

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"

# Content-Security-Policy for the public site (django-csp): every asset from our own origin,
# no inline script or style. The Wagtail admin needs inline scripts and is left out.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    },
}

# Admin login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for one
# username from one address, that pair is refused, even with the right password, for the
# cool-off. Keying on the pair keeps strangers from locking an editor out from elsewhere.
# AxesBackend (not the standalone one) also answers get_user(), so a session logged in
# through the first backend (force_login in tests, WagtailPageTestCase) stays valid.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
# The client address is REMOTE_ADDR unless a trusted proxy count is configured.
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
# No "AXES: BEGIN version …" banner at the start of every process and management command
# (noise in an operator's import or cron output). Lockouts are still logged, naming the
# username and address they are keyed on rather than every attribute of the client.
AXES_VERBOSE = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"german_redirect_summary": {"()": "cms.logs.GermanRedirectSummary"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "wagtail.contrib.redirects.signal_handlers": {"filters": ["german_redirect_summary"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
