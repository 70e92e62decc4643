"""The database half of the journalist import: what the preview compares with, and the import
itself, all or nothing, matched by e-mail address (case ignored) so a file imported twice
changes nothing the second time."""

from django.db import transaction
from django.db.models.functions import Lower

from ..models import Topic
from .importing import ERROR, NEW, UNCHANGED, ImportRow, KnownJournalist, journalist_rows_check
from .models import DistributionList, Journalist


class ImportRefused(ValueError):
    """The rows no longer pass their checks (the database changed since the preview)."""

    def __init__(self, rows: list[ImportRow]):
        super().__init__("; ".join(m for row in rows for m in row.messages))
        self.rows = rows


def topics_by_key() -> dict[str, str]:
    keys: dict[str, str] = {}
    for name, slug in Topic.objects.values_list("name", "slug"):
        keys[name.lower()] = slug
        keys[slug.lower()] = slug
    return keys


def journalist_rows_preview(*, rows: list[ImportRow], distribution_list) -> list[ImportRow]:
    addresses = {row.email.lower() for row in rows}
    journalists = (
        Journalist.objects.annotate(address=Lower("email"))
        .filter(address__in=addresses)
        .prefetch_related("topics", "distribution_lists")
    )
    known = {
        journalist.address: KnownJournalist(
            name=journalist.name,
            outlet=journalist.outlet,
            topics={topic.slug for topic in journalist.topics.all()},
            on_list=any(d.pk == distribution_list.pk for d in journalist.distribution_lists.all()),
        )
        for journalist in journalists
    }
    rows = journalist_rows_check(rows=rows, topics=topics_by_key(), known=known)
    names = dict(Topic.objects.values_list("slug", "name"))
    for row in rows:
        row.topic_names = [names[slug] for slug in row.topics or () if slug in names]
    return rows


def journalists_import(*, rows: list[ImportRow], distribution_list_id: int) -> dict[str, int]:
    """Checks the rows again and saves them, or nothing (raises ImportRefused). New journalists
    are created, known ones get the file's name, outlet and (when the file has the column)
    topics; all are put on the list. Returns the count of each status."""
    with transaction.atomic():
        # The list row is locked, so two imports into one list run one after the other.
        distribution_list = DistributionList.objects.select_for_update().get(
            pk=distribution_list_id
        )
        rows = journalist_rows_preview(rows=rows, distribution_list=distribution_list)
        if any(row.status == ERROR for row in rows):
            raise ImportRefused([row for row in rows if row.status == ERROR])
        slugs = {slug for row in rows for slug in row.topics or ()}
        topics = {topic.slug: topic for topic in Topic.objects.filter(slug__in=slugs)}
        existing = {
            journalist.address: journalist
            for journalist in Journalist.objects.annotate(address=Lower("email")).filter(
                address__in={row.email.lower() for row in rows}
            )
        }
        counts = {NEW: 0, "updated": 0, UNCHANGED: 0}
        members = []
        for row in rows:
            counts[row.status] += 1
            journalist = existing.get(row.email.lower())
            if journalist is None:
                journalist = Journalist.objects.create(
                    name=row.name, outlet=row.outlet, email=row.email
                )
            elif row.status != UNCHANGED:
                journalist.name, journalist.outlet = row.name, row.outlet
                journalist.save(update_fields=["name", "outlet", "updated_at"])
            if row.topics is not None and row.status != UNCHANGED:
                journalist.topics.set([topics[slug] for slug in row.topics])
            members.append(journalist)
        distribution_list.members.add(*members)
    return counts
