"""The Wagtail site a request is for, as Wagtail's `Site.find_for_request` chooses it, with the
statement compiled once (press.statements).

Wagtail builds and compiles its ranking query on every request; on a read that hands back stored
documents that was the largest single cost of a press API list. The candidates (the sites with
the request's hostname, and the default site) are asked for on every request, so a site added,
changed or removed in another process counts at once; only the SQL is made once. The choice
among them follows `wagtail.models.sites.get_site_for_hostname` (tests compare the two).
"""

from django.db import router
from django.db.models import Q
from django.http import HttpRequest
from django.http.request import split_domain_port
from wagtail.models import Page, Site

from .statements import statement

SITE_FIELDS = tuple(field.attname for field in Site._meta.concrete_fields)
# The root page as Wagtail's own lookup has it (`select_related`): serving a page asks for its
# locale, translation key and content type.
ROOT_PAGE_FIELDS = tuple(field.attname for field in Page._meta.concrete_fields)
# Stands for the hostname in the statement: one statement serves every host.
HOSTNAME_PLACEHOLDER = "\x00hostname\x00"


def site_for_request(request: HttpRequest | None) -> Site | None:
    """The site of this request (None: no site matches), stored on the request as Wagtail's own
    `Site.find_for_request` stores it, so later calls of either answer the same."""
    if request is None:
        return None
    if not hasattr(request, "_wagtail_site"):
        hostname = split_domain_port(request._get_raw_host())[0]
        port = str(request.get_port())
        request._wagtail_site = site_for_host(
            hostname=hostname, port=int(port) if port.isdigit() else None
        )
    return request._wagtail_site


def site_for_host(*, hostname: str, port: int | None) -> Site | None:
    alias = router.db_for_read(Site)
    candidates = statement(
        key="sites",
        alias=alias,
        build=lambda: (
            Site.objects.filter(Q(hostname=HOSTNAME_PLACEHOLDER) | Q(is_default_site=True))
            .order_by("pk")
            .values_list(*SITE_FIELDS, *(f"root_page__{name}" for name in ROOT_PAGE_FIELDS))
        ),
        placeholders=(HOSTNAME_PLACEHOLDER,),
    ).rows(hostname)
    if not candidates:
        return None
    sites = []
    for row in candidates:
        site = Site.from_db(alias, SITE_FIELDS, row[: len(SITE_FIELDS)])
        site.root_page = Page.from_db(alias, ROOT_PAGE_FIELDS, row[len(SITE_FIELDS) :])
        sites.append(site)

    def rank(site: Site) -> int:  # Wagtail's order: lower is a better match
        if site.hostname == hostname:
            if site.port == port:
                return 0
            return 1 if site.is_default_site else 3
        return 2  # the default site, for another hostname

    sites.sort(key=rank)
    best = rank(sites[0])
    if len(sites) == 1 or best in (0, 1):
        return sites[0]
    if best == 2:  # the default; a single site with this hostname (another port) wins over it
        return sites[len(sites) == 2]
    return None  # only sites with this hostname on other ports, and no default
