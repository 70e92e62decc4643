"""Which press API lists are read in hand-written SQL (press.models.listing), and their filters
as the statements take them.

A list is read in SQL when the database is one the statements are written for and every filter
it uses is one they know; anything else (the word search, a month in every year, a filter added
later) is read through the ORM as before, with the same answer.
"""

import datetime

from ..models.listing import ListFilters, window_in_sql
from .schemas import ReleaseFilters

# The filters the statements know; any other one given sends the list through the ORM.
IN_SQL = {
    "limit",
    "offset",
    "year",
    "month",
    "date_from",
    "date_to",
    "contact",
    "topic",
    "tag",
    "ordering",
}


def list_in_sql(filters: ReleaseFilters) -> bool:
    """Whether this list is read in SQL (`list_filters` then says how)."""
    for name, info in type(filters).model_fields.items():
        if name not in IN_SQL and getattr(filters, name) != info.get_default(
            call_default_factory=True
        ):
            return False
    if filters.month is not None and filters.year is None:  # a month in every year
        return False
    return window_in_sql()


def release_period(*, year: int, month: int | None) -> tuple[datetime.date, datetime.date | None]:
    """A year, or a month of it, as [start, end): date ranges let the release_date index serve
    them. No end after December 9999."""
    start = datetime.date(year, month or 1, 1)
    following = (year + 1, 1) if month is None else (year + month // 12, month % 12 + 1)
    end = datetime.date(*following, 1) if following[0] <= datetime.MAXYEAR else None
    return start, end


def list_filters(*, filters: ReleaseFilters, topic_ids: list[int]) -> ListFilters:
    """The filters of a list read in SQL (`topic_ids`: the topics asked for, resolved)."""
    period_start = period_end = None
    if filters.year is not None:
        period_start, period_end = release_period(year=filters.year, month=filters.month)
    return ListFilters(
        period_start=period_start,
        period_end=period_end,
        date_from=filters.date_from,
        date_to=filters.date_to,
        contact_id=filters.contact,
        topic_ids=tuple(topic_ids),
        tag_slugs=tuple(filters.tag),
        oldest_first=filters.ordering == "release_date",
    )
