"""Sitemaps of the press plugin, for Wagtail's sitemap view.

Releases come only through the visibility selector, so a release that is a draft, expired or
behind a view restriction never shows up. A host site serves them together, e.g.

    path("sitemap.xml", sitemap, {"sitemaps": press_sitemaps}, name="sitemap")
"""

from wagtail.contrib.sitemaps import Sitemap

from .models import PressIndexPage, PressReleasePage, pages_visible


class ReleaseSitemap(Sitemap):
    """Every visible release of the requested site, newest first."""

    def items(self):
        return PressReleasePage.objects.visible(site=self.get_wagtail_site()).defer_streamfields()


class NewsroomSitemap(Sitemap):
    """The newsroom(s) of the requested site."""

    def items(self):
        return (
            PressIndexPage.objects.live()
            .public()
            .descendant_of(self.get_wagtail_site().root_page, inclusive=True)
            .order_by("path")
        )


class SitePagesSitemap(Sitemap):
    """The site's other visible pages (home page, …); the two sitemaps above list the press
    pages."""

    def items(self):
        return (
            pages_visible(site=self.get_wagtail_site())
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
