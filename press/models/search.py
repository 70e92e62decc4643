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

    Wagtail search finds the matching live releases, as a subquery where the backend offers one
    (the database backends do): visibility, the other filters and the order stay in one SQL
    statement, and no id list is collected in Python. A newsroom lists by date, also when
    searching."""
    terms = search_terms(text)
    if not terms:
        return queryset.none()
    found = queryset.model.objects.live().search(terms, operator="and", order_by_relevance=False)
    if hasattr(found, "get_queryset"):
        matching = found.get_queryset().order_by().values("pk")
    else:  # a search server (Elasticsearch, OpenSearch) answers with ids
        matching = [release.pk for release in found]
    return queryset.filter(pk__in=matching)
