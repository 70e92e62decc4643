"""Versions of a release: its English and Leichte-Sprache translations beside the German original.

A version is a translation in Wagtail's own sense: a page in another Locale with the German
release's `translation_key` (the admin's "Translate" action, wagtail.contrib.simple_translation,
makes it with `copy_for_translation`). The original is the page of the same key in the site's
default language (LANGUAGE_CODE).

A version never appears before its original may: the visibility rule (`visible()` in
press.models.pages) asks, in the same statement, whether the original is live, not expired and
not behind a view restriction (the original's stored `restricted` fact). A release without a
page of its translation_key in the default language is an original itself (written in one
language only).

Below the page model, which uses it (the visibility rule, the versions panel): nothing here
imports press.models.pages. The queries of releases across languages are above it, in
press.models.version_queries.
"""

import dataclasses
import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Now
from wagtail.coreutils import get_content_languages, get_supported_content_language_variant
from wagtail.models import Locale, Page

from .documents import view_restrictions_over

# The hreflang of a language code where it differs from the code (none so far: "de-x-ls" is
# a valid BCP 47 tag; search engines that know only ISO 639-1 ignore it and keep the German
# page as the release's address in German).
HREFLANG: dict[str, str] = {}


def language_default() -> str:
    """The language code of the originals: the site's LANGUAGE_CODE as a content language."""
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def language_hreflang(code: str) -> str:
    return HREFLANG.get(code, code)


def locale_default_id() -> Subquery:
    return Subquery(Locale.objects.filter(language_code=language_default()).values("pk")[:1])


def originals_of(model):
    """The pages in the default language of the same translation_key as the outer row."""
    return model.objects.filter(
        translation_key=OuterRef("translation_key"), locale_id=locale_default_id()
    )


def version_original_visible(model) -> Q:
    """The condition of the visibility rule for versions: the release is in the default
    language, or it has no original there (a release written in one language only, or
    content older than the site's LANGUAGE_CODE), or its original is visible itself."""
    originals = originals_of(model)
    originals_visible = (
        originals.filter(live=True, expired=False)
        .exclude(expire_at__lte=Now())
        .filter(
            Q(document__restricted=False)
            | (Q(document=None) & ~Exists(view_restrictions_over(OuterRef("path"))))
        )
    )
    return Q(locale_id=locale_default_id()) | ~Exists(originals) | Exists(originals_visible)


def originals_only(model) -> Q:
    """Releases that are no version of another: in the default language, or without a page of
    their translation_key there."""
    return Q(locale_id=locale_default_id()) | ~Exists(originals_of(model))


def site_roots_paths(site) -> Subquery:
    """The paths of the site's root page and of its translations (the English and
    Leichte-Sprache home pages, siblings of the German one in the tree): a site's releases are
    below any of them. One subquery, no query of its own."""
    root = site.root_page
    return Page.objects.filter(translation_key=root.translation_key, depth=root.depth).values(
        "path"
    )


@dataclasses.dataclass(frozen=True)
class VersionState:
    """One language of a release as the editor's panel shows it."""

    language_code: str
    language_name: str
    page: Page | None
    is_original: bool
    live: bool
    # The original was published again after this version was last published (or, for a
    # version never published, after it was created): the version may say something old.
    outdated: bool
    last_published_at: datetime.datetime | None


def release_versions_state(*, release) -> list[VersionState]:
    """Every content language with the release's page in it (or None), the original first.

    `outdated`: the original's last publication is newer than the version's (a version never
    published compares its latest revision's date)."""
    pages = {
        page.locale.language_code: page
        for page in Page.objects.filter(translation_key=release.translation_key)
        .select_related("locale", "latest_revision")
        .specific()
    }
    default = language_default()
    original = pages.get(default)
    original_changed = original.last_published_at if original is not None else None
    states = []
    for code, name in sorted(
        get_content_languages().items(), key=lambda item: (item[0] != default, item[0])
    ):
        page = pages.get(code)
        version_date = None
        if page is not None:
            version_date = page.last_published_at or (
                page.latest_revision.created_at if page.latest_revision else None
            )
        outdated = (
            page is not None
            and code != default
            and original_changed is not None
            and (version_date is None or version_date < original_changed)
        )
        states.append(
            VersionState(
                language_code=code,
                language_name=str(name),
                page=page,
                is_original=code == default,
                live=bool(page is not None and page.live),
                outdated=outdated,
                last_published_at=page.last_published_at if page is not None else None,
            )
        )
    return states


def release_versions_links(*, release, request=None) -> list[dict]:
    """The visible versions of a release, the original first, each with its language code,
    hreflang, name and address (`current`: the release itself). Empty for a release without a
    visible version besides itself: no page names alternates it does not have. One query."""
    pages = list(
        type(release)
        .objects.visible()
        .filter(translation_key=release.translation_key)
        .select_related("locale")
    )
    if not any(page.pk != release.pk for page in pages):
        return []
    names = get_content_languages()
    default = language_default()
    links = [
        {
            "code": page.locale.language_code,
            "hreflang": language_hreflang(page.locale.language_code),
            "name": str(names.get(page.locale.language_code, page.locale.language_code)),
            "url": page.get_full_url(request),
            "current": page.pk == release.pk,
        }
        for page in pages
    ]
    return sorted(links, key=lambda link: (link["code"] != default, link["code"]))


def releases_alternates(*, releases, request=None) -> dict:
    """{address: [{"lang_code", "location"}]} of these visible releases that have a visible
    version in another language: every version's address, its own included (the sitemap's
    xhtml:link alternates). One query for all."""
    by_key: dict = {}
    for page in releases.select_related("locale"):
        by_key.setdefault(page.translation_key, []).append(
            {
                "lang_code": language_hreflang(page.locale.language_code),
                "location": page.get_full_url(request),
            }
        )
    return {
        link["location"]: group for group in by_key.values() if len(group) > 1 for link in group
    }
