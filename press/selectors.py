"""The one queryset of publicly visible releases. Every public channel reads through it."""

from django.db.models import QuerySet
from wagtail.models import Page


def releases_visible(*, site=None) -> QuerySet:
    """Releases anyone may read: live, not expired, no view restriction on them or an ancestor.

    A live page's row holds its published revision (drafts of live pages stay in revisions), so
    reading these rows never shows a newer draft.
    """
    from .models import PressReleasePage

    queryset = PressReleasePage.objects.live().public().filter(expired=False)
    if site is not None:
        queryset = queryset.descendant_of(site.root_page, inclusive=True)
    return queryset.order_by("-release_date", "-first_published_at", "-pk")


def release_is_visible(page: Page) -> bool:
    return releases_visible().filter(pk=page.pk).exists()
