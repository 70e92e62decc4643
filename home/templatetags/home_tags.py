"""The host site's navigation: home, the newsroom and the latest releases on every page."""

from django import template
from django.utils.functional import SimpleLazyObject
from wagtail.models import Site

from press.models import PressIndexPage, PressReleasePage

register = template.Library()

LATEST_IN_FOOTER = 3


@register.simple_tag(takes_context=True)
def site_navigation(context) -> dict:
    """The request's site's root (its home page) and newsroom, and its latest visible releases.

    Every page and the error pages call this: the newsroom is the page itself where it can be,
    and the latest releases are queried only where a template shows them."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return {"home_id": None, "newsroom": None, "latest": []}
    page = context.get("page")
    if isinstance(page, PressIndexPage):
        newsroom = page
    else:
        newsroom = PressIndexPage.objects.live().public().descendant_of(site.root_page).first()
    return {
        "home_id": site.root_page_id,
        "newsroom": newsroom,
        "latest": SimpleLazyObject(
            lambda: list(PressReleasePage.objects.visible(site=site)[:LATEST_IN_FOOTER])
        ),
    }
