"""Searching releases by their words, the one way for the newsroom and the press API."""

import re

from django.db.models import QuerySet


def search_terms(text: str) -> str:
    """The words of a search, lower-cased, without operators or punctuation.

    Backends read some characters and upper-case words as query syntax (SQLite FTS5 fails on a
    stray quote or comma, `AND`/`NEAR` are operators); a newsroom search is plain words."""
    return " ".join(word.lower() for word in re.findall(r"\w+", text))


def releases_search(*, queryset: QuerySet, text: str) -> QuerySet:
    """The releases of `queryset` that contain every word of `text` (stemmed where the search
    backend stems: German on PostgreSQL), in the queryset's own order.

    Wagtail search (its documented `.search()` and iterating the results) finds the ids of the
    matching live releases, whatever the backend (the database's or a search server); the
    caller's queryset keeps visibility, the other filters, the order and the paging in one SQL
    statement. Only the ids are loaded (`only("pk")`), so a common word costs one integer per
    matching release, not a page object's fields. A newsroom lists by date, also when
    searching."""
    terms = search_terms(text)
    if not terms:
        return queryset.none()
    found = (
        queryset.model.objects.live()
        .only("pk")
        .search(terms, operator="and", order_by_relevance=False)
    )
    return queryset.filter(pk__in=[release.pk for release in found])
