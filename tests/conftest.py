import pytest
from django.dispatch import receiver
from django.test.signals import setting_changed
from django.urls import clear_url_caches

from tests.factories import site_with_newsroom


@receiver(setting_changed)
def url_caches_cleared(*, setting, **kwargs):
    """A test that overrides the default language leaves Django's URL resolver with the
    language prefixes of that override (i18n_patterns: none for the default language), which
    no running site ever changes; the next test starts with fresh ones."""
    if setting in ("LANGUAGE_CODE", "LANGUAGES"):
        clear_url_caches()


@pytest.fixture
def newsroom(db):
    _home, newsroom = site_with_newsroom()
    return newsroom


@pytest.fixture
def home(newsroom):
    return newsroom.get_parent().specific


@pytest.fixture(autouse=True)
def caches_cleared():
    """Each test starts with empty caches: a rolled-back test frees its rows' ids for the next
    one, and Wagtail's rendition cache (keyed by image id) would hand it stale renditions."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture
def wagtail_base_rows(transactional_db):
    """The rows Wagtail's data migrations create (root page, root collection). A transactional
    test's flush removes them, and serialized_rollback cannot bring them back once content
    types were recreated under new ids, so a transactional test asks for them here."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Collection, Locale, Page

    ContentType.objects.clear_cache()  # ids cached before a flush may be gone
    locale, _created = Locale.objects.get_or_create(language_code="de")
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")


@pytest.fixture(scope="session", autouse=True)
def postgres_sessions_closed(django_db_setup, django_db_blocker):
    """Live-server threads (browser, fuzz tests) can leave a PostgreSQL session open at the end,
    which stops pytest-django from dropping the test database. End them first (runs before
    django_db_setup's teardown, which it depends on), so every run leaves no database behind."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
