"""A window of the visible releases and its count, in hand-written SQL.

The press API's list is the busiest read of a headless site. Through the ORM, Django builds and
compiles the visibility rule, the filters, the window and the count again on every request;
on a read that hands back stored JSON that was most of its cost. These statements say the same
as `PressReleasePage.objects.visible(site=…)` refined by the list's filters (press.api's
`releases_filter`) and cut by `documents_window` (press.models.reading), and run through
Django's documented `connection.cursor()` with every value a parameter. Nothing is kept
between requests: the database decides visibility on every request, by its own clock.

SQLite and PostgreSQL only (the databases the project supports and tests); on another database
`window_in_sql` says no and the caller reads through the ORM. tests/test_listing_sql.py compares
every answer with the ORM's for many filters, windows and sites, on both databases.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import connections, router
from django.db.models import Model
from taggit.models import Tag
from wagtail.models import Locale, Page, PageViewRestriction

from . import reading
from .documents import ReleaseDocument
from .pages import PressReleasePage
from .reading import DocumentsWindow, documents_from_rows
from .sites import RequestSite
from .topics import ReleaseTag
from .versions import language_default

VENDORS = ("sqlite", "postgresql")
# What the ORM's `Now()` is on each database (Django's own choice): the statement's time.
# SQLite's is a parameter: a literal "%" in the statement would be a placeholder.
NOW = {
    "sqlite": ("STRFTIME(%s, 'NOW')", ["%Y-%m-%d %H:%M:%f"]),
    "postgresql": ("STATEMENT_TIMESTAMP()", []),
}


@dataclass(frozen=True)
class ListFilters:
    """The list's filters as values (press.api maps its query parameters onto these): a year
    or a year's month as the range [`period_start`, `period_end`), `date_from` and `date_to`
    inclusive."""

    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    contact_id: int | None = None
    topic_ids: tuple[int, ...] = ()
    tag_slugs: tuple[str, ...] = ()
    oldest_first: bool = False


def window_in_sql(*, using: str | None = None) -> bool:
    """Whether the database the releases are read from is one these statements are written
    for."""
    alias = using or router.db_for_read(PressReleasePage)
    return connections[alias].vendor in VENDORS


def column(model: type[Model], name: str) -> str:
    return '"' + model._meta.get_field(name).column + '"'


def table(model: type[Model]) -> str:
    return '"' + model._meta.db_table + '"'


def visible_where(
    *, vendor: str, site: RequestSite | None, filters: ListFilters
) -> tuple[str, list]:
    """FROM and WHERE of the visible originals matching `filters` (`r` the release, `p` its
    page, `d` its document), as `visible()`, `originals_only` and `releases_filter` make them,
    and the parameters."""
    release, page, document = PressReleasePage, Page, ReleaseDocument
    now_sql, now_params = NOW[vendor]
    restriction_page = "rp"
    sql = [
        f"FROM {table(release)} r "
        f"INNER JOIN {table(page)} p ON p.{column(page, 'id')} = r.{column(release, 'page_ptr')} "
        f"LEFT OUTER JOIN {table(document)} d "
        f"ON d.{column(document, 'release')} = r.{column(release, 'page_ptr')} "
        f"WHERE p.{column(page, 'live')} = %s AND p.{column(page, 'expired')} = %s "
        # expire_at passed: hidden at once, even before publish_scheduled unpublishes it.
        f"AND NOT (p.{column(page, 'expire_at')} <= {now_sql} "
        f"AND p.{column(page, 'expire_at')} IS NOT NULL) "
        # The stored fact; a release without a document is asked about directly.
        f"AND (d.{column(document, 'restricted')} = %s "
        f"OR (d.{column(document, 'release')} IS NULL AND NOT EXISTS ("
        f"SELECT 1 FROM {table(PageViewRestriction)} v "
        f"INNER JOIN {table(page)} {restriction_page} "
        f"ON {restriction_page}.{column(page, 'id')} = v.{column(PageViewRestriction, 'page')} "
        f"WHERE {restriction_page}.{column(page, 'path')} = SUBSTR(p.{column(page, 'path')}, 1, "
        f"LENGTH({restriction_page}.{column(page, 'path')})))))"
    ]
    params: list = [True, False, *now_params, False]
    # The originals only (press.models.versions' `originals_only`): in the default language,
    # or without a page of their translation_key there. Every other list (`language=`) is read
    # through the ORM; an original needs no look at another page to be visible.
    default_locale = (
        f"(SELECT lc.{column(Locale, 'id')} FROM {table(Locale)} lc "
        f"WHERE lc.{column(Locale, 'language_code')} = %s)"
    )
    sql.append(
        f" AND (p.{column(page, 'locale')} = {default_locale} OR NOT EXISTS ("
        f"SELECT 1 FROM {table(page)} o "
        f"WHERE o.{column(page, 'translation_key')} = p.{column(page, 'translation_key')} "
        f"AND o.{column(page, 'locale')} = {default_locale}))"
    )
    params.extend([language_default(), language_default()])
    if site is not None:
        # Below the site's root page or one of its translations (`of_site`: the English and
        # Leichte-Sprache home pages are the root's siblings, so their paths are as long).
        sql.append(
            f" AND SUBSTR(p.{column(page, 'path')}, 1, %s) IN ("
            f"SELECT sr.{column(page, 'path')} FROM {table(page)} sr "
            f"INNER JOIN {table(page)} rt "
            f"ON rt.{column(page, 'translation_key')} = sr.{column(page, 'translation_key')} "
            f"AND rt.{column(page, 'depth')} = sr.{column(page, 'depth')} "
            f"WHERE rt.{column(page, 'id')} = %s)"
        )
        params.extend([len(site.root_path), site.root_page_id])
    date = f"r.{column(release, 'release_date')}"
    for operator, value in (
        (">=", filters.period_start),
        ("<", filters.period_end),
        (">=", filters.date_from),
        ("<=", filters.date_to),
    ):
        if value is not None:
            sql.append(f" AND {date} {operator} %s")
            params.append(value)
    if filters.contact_id is not None:
        sql.append(f" AND r.{column(release, 'contact')} = %s")
        params.append(filters.contact_id)
    if filters.topic_ids:
        through = PressReleasePage.topics.through
        sql.append(
            f" AND r.{column(release, 'page_ptr')} IN ("
            f"SELECT t.{column(through, 'pressreleasepage')} FROM {table(through)} t "
            f"WHERE t.{column(through, 'topic')} IN ({', '.join(['%s'] * len(filters.topic_ids))}))"
        )
        params.extend(filters.topic_ids)
    if filters.tag_slugs:
        sql.append(
            f" AND r.{column(release, 'page_ptr')} IN ("
            f"SELECT rt.{column(ReleaseTag, 'content_object')} FROM {table(ReleaseTag)} rt "
            f"INNER JOIN {table(Tag)} tg ON tg.{column(Tag, 'id')} = rt.{column(ReleaseTag, 'tag')} "
            f"WHERE tg.{column(Tag, 'slug')} IN ({', '.join(['%s'] * len(filters.tag_slugs))}))"
        )
        params.extend(filters.tag_slugs)
    return "".join(sql), params


def window_statement(
    *, vendor: str, site: RequestSite | None, filters: ListFilters, with_json: bool
) -> tuple[str, list]:
    """The window's rows in the order of press.models.reading's WINDOW_FIELDS."""
    release, page, document = PressReleasePage, Page, ReleaseDocument
    where, params = visible_where(vendor=vendor, site=site, filters=filters)
    direction = "ASC" if filters.oldest_first else "DESC"
    api_json = f"d.{column(document, 'api_json')}" if with_json else "NULL"
    return (
        f"SELECT r.{column(release, 'page_ptr')}, p.{column(page, 'live_revision')}, "
        f"d.{column(document, 'revision')}, d.{column(document, 'version')}, "
        f"d.{column(document, 'etag')}, {api_json}, d.{column(document, 'photos_expire_at')}, "
        f"p.{column(page, 'last_published_at')} {where} "
        f"ORDER BY r.{column(release, 'release_date')} {direction}, "
        f"p.{column(page, 'first_published_at')} {direction}, "
        f"r.{column(release, 'page_ptr')} {direction} "
        "LIMIT %s OFFSET %s"
    ), params


def count_statement(
    *, vendor: str, site: RequestSite | None, filters: ListFilters
) -> tuple[str, list]:
    """How many match, up to the LIMIT given as the last parameter (the database stops there)."""
    where, params = visible_where(vendor=vendor, site=site, filters=filters)
    release = PressReleasePage
    return (
        f"SELECT COUNT(*) FROM (SELECT r.{column(release, 'page_ptr')} {where} LIMIT %s) counted",
        params,
    )


def aware(value):
    """A datetime as the ORM hands it over: SQLite gives the naive UTC value it stores."""
    if settings.USE_TZ and isinstance(value, datetime.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=datetime.UTC)
    return value


def documents_window_sql(
    *,
    site: RequestSite | None,
    filters: ListFilters,
    offset: int,
    limit: int,
    with_json: bool = True,
) -> DocumentsWindow:
    """What `documents_window(releases_filter(releases_visible(site=…), …), …)` answers, in two
    statements (the window, and the count unless the whole list fits in the window)."""
    connection = connections[router.db_for_read(PressReleasePage)]
    vendor = connection.vendor
    sql, params = window_statement(vendor=vendor, site=site, filters=filters, with_json=with_json)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        rows = [
            (pk, live, revision, version, etag, api_json, aware(expire_at), aware(published))
            for pk, live, revision, version, etag, api_json, expire_at, published in cursor
        ]
    window = DocumentsWindow(documents=documents_from_rows(rows))
    if offset == 0 and len(rows) < limit:  # the whole list is in the window: no count
        window.count = len(rows)
        return window
    ceiling = offset + reading.COUNT_EXACT_UP_TO
    sql, params = count_statement(vendor=vendor, site=site, filters=filters)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, ceiling + 1])
        (counted_up_to,) = cursor.fetchone()
    window.count = min(counted_up_to, ceiling)
    window.count_exact = counted_up_to <= ceiling
    return window
