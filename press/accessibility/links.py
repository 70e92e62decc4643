"""The part's links in the footer of every page (the core's PressSettings.legal_links asks
each part's `press_footer_links`)."""

from django.db.models import Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import Page

from .models import AccessibilityStatementPage


def statement_for_site(site):
    """The site's live accessibility statement page, or None."""
    if site is None:
        return None
    # One query: the site's root path through a subquery, not by loading the root page.
    root_path = Page.objects.filter(pk=site.root_page_id).values("path")
    return (
        AccessibilityStatementPage.objects.live()
        .filter(path__startswith=Subquery(root_path))
        .order_by("path")
        .first()
    )


def footer_links(*, site, links: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """`links` with the site's statement page as the accessibility link (in place of the
    office's address, when it has one) and the form to report a barrier after it."""
    statement = statement_for_site(site)
    label = _("Accessibility")
    if statement is not None:
        url = statement.get_url()
        links = [(text, href) for text, href in links if text != label]
        links.append((label, url))
    links.append((_("Report a barrier"), reverse("press_barrier_report")))
    return links
