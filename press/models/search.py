"""Searching releases by their words, the one way for the newsroom and the press API."""

import re

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from .documents import ReleaseDocument

# The search backends on which the release documents' own search text is searched (PostgreSQL's
# full-text search on the stored vector and index that migration 0002 adds): Wagtail's database backend, which on
# PostgreSQL is the very same full-text search over Wagtail's own table. A search server
# (Elasticsearch, OpenSearch) keeps answering through Wagtail search.
DATABASE_SEARCH_BACKENDS = {
    "wagtail.search.backends.database",
    "wagtail.search.backends.database.postgres.postgres",
}


def search_terms(text: str) -> str:
    """The words of a search, lower-cased, without operators or punctuation.

    Backends read some characters and upper-case words as query syntax (SQLite FTS5 fails on a
    stray quote or comma, `AND`/`NEAR` are operators); a newsroom search is plain words."""
    return " ".join(word.lower() for word in re.findall(r"\w+", text))


def search_config() -> str | None:
    """The text search configuration of PostgreSQL's full-text search of the release documents
    (Wagtail's SEARCH_CONFIG, "german" in cms.settings), or None where Wagtail search answers:
    another database, a search server, or no configuration (PostgreSQL's default then depends
    on the server, and a stored vector needs a fixed one). Migration 0002 stores the vector with
    the configuration set when it ran; a site that changes SEARCH_CONFIG later recreates the
    column (migrate press 0001, then migrate again)."""
    backend = getattr(settings, "WAGTAILSEARCH_BACKENDS", {}).get("default", {})
    if connection.vendor != "postgresql" or backend.get("BACKEND") not in DATABASE_SEARCH_BACKENDS:
        return None
    return backend.get("SEARCH_CONFIG") or None


def releases_search(*, queryset: QuerySet, text: str) -> QuerySet:
    """The releases of `queryset` that contain every word of `text` (stemmed where the search
    backend stems: German on PostgreSQL), in the queryset's own order.

    On PostgreSQL with Wagtail's database backend the words are looked up in the release
    documents' search text (what Wagtail's index holds for a release, stored when it is
    published) with Django's full-text search, on the vector PostgreSQL stores beside it and its
    GIN index: Wagtail's query over its own table can use no index and reads every entry.
    Otherwise Wagtail search (its documented `.search()` and iterating the results) finds the
    ids of the matching live releases. Either way the caller's queryset keeps visibility, the other filters, the order and the paging in
    one SQL statement. A newsroom lists by date, also when searching."""
    terms = search_terms(text)
    if not terms:
        return queryset.none()
    config = search_config()
    if config:
        from django.contrib.postgres.search import SearchQuery, SearchVectorField

        # The column is PostgreSQL's alone (migration 0002), so the model has no field for it.
        # "plain": every word must occur (AND), each stemmed by `config`, as in Wagtail's query.
        matching = (
            ReleaseDocument.objects.annotate(
                words=RawSQL("search_vector", [], output_field=SearchVectorField())
            )
            .filter(words=SearchQuery(terms, config=config, search_type="plain"))
            .values("release_id")
        )
        found = queryset.filter(pk__in=matching)
        # A live release without a stored document yet (saved live without publishing, as a
        # bulk load does; readers build its document when they first read it) has no search
        # text: Wagtail search finds it, as it finds every release on other databases.
        without_document = queryset.filter(document=None)
        if not without_document.exists():
            return found
        ids = set(without_document.values_list("pk", flat=True))
        return found | queryset.filter(pk__in=wagtail_search_ids(queryset, terms) & ids)
    return queryset.filter(pk__in=wagtail_search_ids(queryset, terms))


def wagtail_search_ids(queryset: QuerySet, terms: str) -> set[int]:
    """The ids of the live releases Wagtail search finds for these words (its documented
    `.search()`, iterated; only the ids are loaded)."""
    found = (
        queryset.model.objects.live()
        .only("pk")
        .search(terms, operator="and", order_by_relevance=False)
    )
    return {release.pk for release in found}
