"""What the press API reads of the releases' stored documents: a window of a list with its
count, one release by id. Values, not page objects, from plain ORM querysets of the visibility
rule. Above the page model and the stored documents, which it reads."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from .documents import document_is_current, release_document_for
from .pages import PressReleasePage

# A list counts its results exactly up to this many past its offset; beyond, it says "more than"
# (`count_exact` false) instead of visiting every visible release of the archive.
COUNT_EXACT_UP_TO = 1_000


@dataclass
class DocumentsWindow:
    documents: list["DocumentRead"]
    count: int | None = None
    count_exact: bool = True


# What a list or a lookup reads of each release: its document's JSON and validators as values,
# so no page object is made.
WINDOW_FIELDS = (
    "pk",
    "live_revision_id",
    "document__revision_id",
    "document__version",
    "document__etag",
    "document__api_json",
    "document__photos_expire_at",
    "last_published_at",
)
# The same without the JSON, for a conditional request: its validators decide first.
VALIDATOR_FIELDS = tuple(name for name in WINDOW_FIELDS if name != "document__api_json")
JSON_INDEX = WINDOW_FIELDS.index("document__api_json")


@dataclass(slots=True)
class DocumentRead:
    """What a list or lookup reads of a stored document (no model instance per release)."""

    release_id: int
    etag: str
    api_json: str | None
    release_published_at: object = None


def documents_from_rows(rows: list[tuple]) -> list[DocumentRead]:
    """The documents of these rows (WINDOW_FIELDS) in their order. A release whose document is
    missing or outdated gets it built here, as `release_document_for` does. Each document
    carries its release's `last_published_at` as `release_published_at`."""
    now = timezone.now()
    documents = {
        pk: DocumentRead(release_id=pk, etag=etag, api_json=api_json)
        for pk, live_revision, revision, version, etag, api_json, expire_at, _published in rows
        if document_is_current(
            revision_id=revision,
            live_revision_id=live_revision,
            version=version,
            photos_expire_at=expire_at,
            now=now,
        )
    }
    outdated = [row[0] for row in rows if row[0] not in documents]
    if outdated:
        releases = PressReleasePage.objects.filter(pk__in=outdated).select_related("document")
        for release in releases:
            built = release_document_for(release)
            documents[release.pk] = DocumentRead(
                release_id=release.pk, etag=built.etag, api_json=built.api_json
            )
    for row in rows:  # for Last-Modified
        documents[row[0]].release_published_at = row[-1]
    return [documents[row[0]] for row in rows]


def window_rows(releases: QuerySet, *, with_json: bool) -> list[tuple]:
    """The rows of WINDOW_FIELDS of these releases (without the JSON: VALIDATOR_FIELDS, with
    None in its place)."""
    if with_json:
        return list(releases.values_list(*WINDOW_FIELDS))
    rows = releases.values_list(*VALIDATOR_FIELDS)
    return [(*row[:JSON_INDEX], None, *row[JSON_INDEX:]) for row in rows]


def documents_window(
    releases: QuerySet,
    *,
    offset: int,
    limit: int,
    counted: bool = True,
    with_json: bool = True,
) -> DocumentsWindow:
    """The stored documents of a window of these releases (a visible, ordered queryset), in its
    order, and how many releases the whole queryset holds (None unless `counted`).

    The count is a query of its own over the pages alone: as a window function in the same
    statement it made PostgreSQL read every matching document before the LIMIT. It stops after
    `offset` + COUNT_EXACT_UP_TO releases: an exact count of everything costs in proportion to
    the archive; past the ceiling the count is the ceiling and `count_exact` is false ("more
    than").

    `with_json=False` reads the validators alone (the documents' `api_json` is then None; one
    that had to be built has it): enough to answer a conditional request with a 304."""
    rows = window_rows(releases[offset : offset + limit], with_json=with_json)
    window = DocumentsWindow(documents=documents_from_rows(rows))
    if not counted:
        return window
    if offset == 0 and len(rows) < limit:  # the whole list is in the window: no count needed
        window.count = len(rows)
        return window
    ceiling = offset + COUNT_EXACT_UP_TO
    # A sliced queryset is counted over its LIMITed subquery: the database stops at the ceiling.
    counted_up_to = releases.order_by().values("pk")[: ceiling + 1].count()
    window.count = min(counted_up_to, ceiling)
    window.count_exact = counted_up_to <= ceiling
    return window


def document_visible(
    releases: QuerySet, *, release_id: int, with_json: bool = True
) -> DocumentRead | None:
    """The stored document of the release with this id among `releases` (a visible queryset),
    None if it is not among them. `with_json` as for `documents_window`."""
    rows = window_rows(releases.filter(pk=release_id)[:1], with_json=with_json)
    documents = documents_from_rows(rows)
    return documents[0] if documents else None
