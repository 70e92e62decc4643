"""The site a request is for, read with one plain SQL statement on every request.

Wagtail's `Site.find_for_request` builds and compiles a ranking query (a CASE annotation, a
join, an ordering) on every request it has not seen: about a third of a cold press API list.
This reads the same candidates — the sites with the request's hostname and the default site —
through `connection.cursor()` and chooses among them by the rule Wagtail documents for
`find_for_request`: "unique hostname first, then hostname and port; if there is no matching
hostname at all, or no matching hostname:port combination, fall back to the unique default
site". Nothing is kept between requests: a site added, changed or removed in another process
counts on the next request. tests/test_site_choice.py compares the choice with Wagtail's for
many layouts and hosts, on SQLite and PostgreSQL.
"""

import re
from dataclasses import dataclass

from django.db import connections, router
from django.http import HttpRequest
from wagtail.models import Page, Site

# A Host header as Django validates it (RFC 3986 reg-name or an IPv6 literal, optional port);
# `request.get_host()` has already refused anything else.
HOST = re.compile(r"^([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(?::([0-9]+))?$")


@dataclass(frozen=True, slots=True)
class RequestSite:
    """What the press API needs of the request's site: its id and its root page's tree path."""

    pk: int
    root_page_id: int
    root_path: str


def request_hostname(request: HttpRequest) -> str:
    """The request's host name without port, lower case and without a trailing dot, as Wagtail
    compares it with `Site.hostname`."""
    match = HOST.match(request.get_host().lower())
    return match.group(1).removesuffix(".") if match else ""


def request_port(request: HttpRequest) -> int | None:
    """The request's port (`request.get_port()`, which honours USE_X_FORWARDED_PORT); None if
    it is no number, which then matches no site's port."""
    port = str(request.get_port())
    return int(port) if port.isdigit() else None


def site_statement() -> str:
    """The candidates' SQL: every site with the hostname or the default flag, each with whether
    hostname and port match (compared by the database, as Wagtail's own query compares them)."""
    site = Site._meta
    page = Page._meta

    def column(meta, name: str) -> str:
        return f'"{meta.get_field(name).column}"'

    return (
        f"SELECT s.{column(site, 'id')}, s.{column(site, 'root_page')}, r.{column(page, 'path')}, "
        f"s.{column(site, 'is_default_site')}, "
        f"CASE WHEN s.{column(site, 'hostname')} = %s THEN 1 ELSE 0 END, "
        f"CASE WHEN s.{column(site, 'port')} = %s THEN 1 ELSE 0 END "
        f'FROM "{site.db_table}" s '
        f'INNER JOIN "{page.db_table}" r ON r.{column(page, "id")} = s.{column(site, "root_page")} '
        f"WHERE s.{column(site, 'hostname')} = %s OR s.{column(site, 'is_default_site')} = %s"
    )


def site_choose(candidates: list[tuple]) -> tuple | None:
    """The row Wagtail's documented rule picks among (…, is_default, hostname matches, port
    matches) rows: hostname and port; else the hostname's default site; else the only site with
    the hostname; else the default site; else none."""
    by_hostname = [row for row in candidates if row[-2]]
    for row in by_hostname:
        if row[-1]:
            return row
    for row in by_hostname:
        if row[-3]:
            return row
    if len(by_hostname) == 1:
        return by_hostname[0]
    # No site with this hostname, or several on other ports: the default site, if there is one.
    return next((row for row in candidates if row[-3]), None)


def site_for_request(request: HttpRequest) -> RequestSite | None:
    """The site this request is for, as `Site.find_for_request` chooses it (None: no site)."""
    hostname = request_hostname(request)
    port = request_port(request)
    connection = connections[router.db_for_read(Site)]
    with connection.cursor() as cursor:
        cursor.execute(site_statement(), [hostname, port, hostname, True])
        row = site_choose(cursor.fetchall())
    if row is None:
        return None
    return RequestSite(pk=row[0], root_page_id=row[1], root_path=row[2])
