"""Sitemaps of the press plugin, for Wagtail's sitemap view.

Releases come only through the visibility selector, so a release that is a draft, expired or
behind a view restriction never shows up. A host site serves them together, and the Google News
sitemap of the last two days' releases beside them, e.g.

    path("sitemap.xml", sitemap, {"sitemaps": press_sitemaps}, name="sitemap"),
    path("sitemap-news.xml", news_sitemap, name="sitemap_news"),
"""

import datetime

from django.db.models import Q
from django.db.models.functions import Substr
from django.utils import timezone
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.models import Site

from .feeds import xml_text
from .models import PressIndexPage, PressReleasePage, PressSettings, pages_visible
from .models.versions import releases_alternates, site_roots_paths


def sitemap_site(request) -> Site:
    """The site the sitemap is for: the request's, else the default site (as Wagtail's sitemap
    view answers an unknown host)."""
    site = Site.find_for_request(request)
    if site is None:
        site = Site.objects.select_related("root_page").get(is_default_site=True)
    return site


class ReleaseSitemap(Sitemap):
    """Every visible release of the requested site, newest first."""

    def items(self):
        return PressReleasePage.objects.visible(
            site=sitemap_site(self.request)
        ).defer_streamfields()

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        # Each release names its versions in the other languages (xhtml:link alternates),
        # read for all of the site's releases in one query (press.models.versions).
        alternates = releases_alternates(releases=self.items(), request=self.request)
        for url in urls:
            url["alternates"] = alternates.get(url["location"], [])
        return urls


class NewsroomSitemap(Sitemap):
    """The newsroom(s) of the requested site."""

    def items(self):
        site = sitemap_site(self.request)
        return (
            PressIndexPage.objects.live()
            .public()
            # The newsrooms of every language: below the root page or one of its translations.
            .alias(site_root_path=Substr("path", 1, len(site.root_page.path)))
            .filter(site_root_path__in=site_roots_paths(site))
            .order_by("path")
        )


class SitePagesSitemap(Sitemap):
    """The site's other visible pages (home page, …); the two sitemaps above list the press
    pages."""

    def items(self):
        return (
            pages_visible(site=sitemap_site(self.request))
            .not_type(PressReleasePage, PressIndexPage)
            .order_by("path")
            .defer_streamfields()
            .specific()
        )


press_sitemaps = {
    "pages": SitePagesSitemap,
    "newsrooms": NewsroomSitemap,
    "releases": ReleaseSitemap,
}


class NewsSitemap(Sitemap):
    """Google News: the releases first published in the last two days (at most 1,000, as
    Google reads them), each with its publication's name, language, date and title."""

    limit = 1000

    def items(self):
        since = timezone.now() - datetime.timedelta(days=2)
        return (
            PressReleasePage.objects.visible(site=sitemap_site(self.request))
            # A release never published through the admin (imported, scripted): its date counts.
            .filter(
                Q(first_published_at__gte=since)
                | Q(first_published_at__isnull=True, release_date__gte=since.date())
            )
            .defer_streamfields()[: self.limit]
        )

    def get_urls(self, page=1, site=None, protocol=None):
        office = PressSettings.for_site(sitemap_site(self.request))
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:  # titles as XML can hold them (no control characters)
            url["news_publication"] = xml_text(office.service_name)
            url["news_title"] = xml_text(url["news_title"])
        return urls


def news_sitemap(request):
    """The Google News sitemap view, for the host's URLconf (a view of its own, so that the
    purge after a publication finds its address beside Wagtail's sitemap)."""
    return sitemap(request, {"news": NewsSitemap}, template_name="press/sitemap_news.xml")
