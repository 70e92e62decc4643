"""Statements made once per process: a queryset's SQL compiled the first time a key asks for it,
then only executed.

Building a queryset and compiling it to SQL costs Django more than running the statement does
on a read that only hands back stored documents (measured: about three quarters of a press API
list's time). A statement here is keyed by everything its SQL and parameters depend on (the
site, the filters, the window); it holds no result and no point in time — the current time is
the database's own (`Now()`) — so the database still decides on every request what is shown.
A key that differs in anything makes a statement of its own; the least recently used ones
are dropped beyond `STATEMENTS_MAX` (a statement of the press API list keeps about 30 KiB).
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

STATEMENTS_MAX = 128


class Statement:
    """One queryset compiled: its SQL and parameters, and the compiler that turns the rows the
    database returns into Python values (dates, JSON) as the queryset itself would."""

    def __init__(self, queryset: QuerySet, *, placeholders: tuple = ()):
        """`placeholders`: values the queryset was built with that each call gives anew (an id:
        one statement serves every release); each must appear exactly once in the parameters."""
        self.alias = queryset.db
        self.compiler = queryset.query.get_compiler(self.alias)
        try:
            self.sql, params = self.compiler.as_sql()
        except EmptyResultSet:  # e.g. `pk__in=[]`: nothing can match, nothing to ask
            self.sql, params = None, ()
        self.params = tuple(params)
        self.slots = []
        for placeholder in placeholders:
            slots = [i for i, param in enumerate(self.params) if param == placeholder]
            if len(slots) != 1 and self.sql is not None:
                raise ValueError(
                    f"placeholder {placeholder!r} is in the parameters {len(slots)} times"
                )
            self.slots.extend(slots)

    def params_with(self, values: tuple) -> tuple:
        if not values:
            return self.params
        params = list(self.params)
        for slot, value in zip(self.slots, values, strict=True):
            params[slot] = value
        return tuple(params)

    def rows(self, *values) -> list[tuple]:
        """The rows as the queryset would give them; `values` fill the placeholders."""
        if self.sql is None:
            return []
        with connections[self.alias].cursor() as cursor:
            cursor.execute(self.sql, self.params_with(values))
            fetched = cursor.fetchall()
        return list(self.compiler.results_iter(results=[fetched], tuple_expected=True))

    def count(self, *values) -> int:
        """How many rows the statement returns, counted by the database."""
        if self.sql is None:
            return 0
        with connections[self.alias].cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({self.sql}) counted", self.params_with(values))
            return cursor.fetchone()[0]


_statements: OrderedDict[Hashable, Statement] = OrderedDict()
_lock = threading.Lock()


def statement(
    *, key: Hashable, alias: str, build: Callable[[], QuerySet], placeholders: tuple = ()
) -> Statement:
    """The statement of `build()` for this key and database, compiled on first use."""
    full_key = (alias, key)
    with _lock:
        found = _statements.get(full_key)
        if found is not None:
            _statements.move_to_end(full_key)
            return found
    made = Statement(build().using(alias), placeholders=placeholders)
    with _lock:
        _statements[full_key] = made
        while len(_statements) > STATEMENTS_MAX:
            _statements.popitem(last=False)
    return made


def statements_clear() -> None:
    """Forget every compiled statement (tests that change the schema; not needed otherwise)."""
    with _lock:
        _statements.clear()
