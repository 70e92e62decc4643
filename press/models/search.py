"""Searching releases by their words, the one way for the newsroom and the press API."""

import re

from django.db.models import F, IntegerField, QuerySet
from django.db.models.functions import Cast


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
    entries = index_entries_matching(found=found)
    if entries is not None:
        return queryset.filter(pk__in=entries)
    if hasattr(found, "get_queryset"):
        matching = found.get_queryset().order_by().values("pk")
    else:  # a search server (Elasticsearch, OpenSearch) answers with ids
        matching = [release.pk for release in found]
    return queryset.filter(pk__in=matching)


def index_entries_matching(*, found) -> QuerySet | None:
    """On PostgreSQL's database backend: the ids of the releases whose search index entry
    matches, as a subquery on the entries alone; None for any other backend.

    The backend's own condition, `(title || body) @@ query` with its query, built by its own
    compiler, so the results are the backend's. Asked through the release rows (as the
    backend's subquery is) it made PostgreSQL walk the release date index and test one entry
    per release, and count by testing all of them (50 times the cost at 100,000 releases than
    at 1,000); on the entries alone, the GIN index on that expression
    (press/migrations/0015_search_index_title_body.py) finds the matching entries at once."""
    from wagtail.search.backends.database.postgres.postgres import PostgresSearchResults
    from wagtail.search.models import IndexEntry

    if not isinstance(found, PostgresSearchResults):
        return None
    from modelsearch.utils import get_descendants_content_types_pks

    compiler = found.query_compiler
    query = compiler.build_tsquery(compiler.query, config=compiler.get_config(found.backend))
    return (
        IndexEntry.objects.filter(
            content_type_id__in=get_descendants_content_types_pks(compiler.queryset.model)
        )
        .annotate(words=F("title")._combine(F("body"), "||", False))
        .filter(words=query)
        .values(pk=Cast("object_id", IntegerField()))
    )
