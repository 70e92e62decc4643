"""The host site's navigation: home, the newsroom and the latest releases on every page."""

from django import template
from wagtail.models import Site

from home.models import HomePage
from press.models import PressIndexPage, PressReleasePage

register = template.Library()

LATEST_IN_FOOTER = 3


@register.simple_tag(takes_context=True)
def site_navigation(context) -> dict:
    """The request's site's home page and newsroom, and its latest visible releases (lazily:
    the error pages call this too, and only what a template shows is queried)."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return {"home": None, "newsroom": None, "latest": []}
    home = HomePage.objects.live().filter(pk=site.root_page_id).first()
    newsroom = PressIndexPage.objects.live().public().descendant_of(site.root_page).first()
    return {
        "home": home,
        "newsroom": newsroom,
        "latest": PressReleasePage.objects.visible(site=site)[:LATEST_IN_FOOTER],
    }
