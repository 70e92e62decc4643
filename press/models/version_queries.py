"""Queries of releases across their languages: a site's releases with those below its
translated home pages, and one release's visible versions.

They query PressReleasePage, so they sit above the page model (press.models.pages); the
language rules the page model itself uses are below it, in press.models.versions.
"""

from django.conf import settings
from django.db.models import Q, Subquery
from wagtail.models import Page

from .pages import PressReleasePage
from .versions import language_default


def site_releases(site):
    """The releases below the site's root page or one of its translations: the originals and
    their versions, whose trees hang below the translated home pages."""
    root = site.root_page
    paths = Page.objects.filter(translation_key=root.translation_key, depth=root.depth)
    below = Q(path__startswith=root.path)
    for path in paths.exclude(pk=root.pk).values_list("path", flat=True):
        below |= Q(path__startswith=path)
    return PressReleasePage.objects.filter(below)


def release_translations(*, release_id: int, request=None) -> tuple:
    """(the release's translation_key, its other visible versions): each version as
    {language, id, title, url}, the original first (for a version, the original is among
    them). The key is None when the release itself is not visible. One query; none on a site
    without Wagtail's internationalisation, which has no versions."""
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return None, []

    pages = (
        PressReleasePage.objects.visible()
        .filter(
            translation_key=Subquery(
                Page.objects.filter(pk=release_id).values("translation_key")[:1]
            )
        )
        .select_related("locale")
    )
    key = None
    found = []
    for page in pages:
        if page.pk == release_id:
            key = page.translation_key
            continue
        found.append(
            {
                "language": page.locale.language_code,
                "id": page.pk,
                "title": page.title,
                "url": page.get_full_url(request),
            }
        )
    default = language_default()
    return key, sorted(found, key=lambda item: (item["language"] != default, item["language"]))
