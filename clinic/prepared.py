"""A query's SQL built once per process, its per-request values put in their places.

The unread count on every signed-in page (clinic.inbox) is one small query whose ORM work
(filters, the patient scope's subqueries, the compiler) cost more than the database did
(issue 8). ``prepare_count`` builds the query twice through the ORM, with two different
sets of stand-in values, and compares the two: the SQL text must be the same, and each
parameter must either be the same in both (a constant of the query) or be the first, then
the second build's stand-in for one of the values (a slot, filled per request). Anything
else (say a scope that reads the clock itself instead of the ``now`` it is given) refuses
to prepare, so a statement can never carry a value of the moment it was built.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import QuerySet

Adapt = Callable[[object], object]  # a value as the ORM passes it to the database


@dataclass(frozen=True)
class PreparedCount:
    """``SELECT COUNT(*)`` over a query's rows, with the query's SQL built once."""

    alias: str
    sql: str
    slots: tuple[int | None, ...]  # per parameter: the index of its value, or None
    constants: tuple[object, ...]  # per parameter: its value where the slot is None
    adapters: tuple[Adapt, ...]

    def count(self, values: Sequence[object]) -> int:
        adapted = [adapt(value) for adapt, value in zip(self.adapters, values, strict=True)]
        params = [
            constant if slot is None else adapted[slot]
            for slot, constant in zip(self.slots, self.constants, strict=True)
        ]
        with connections[self.alias].cursor() as cursor:
            cursor.execute(self.sql, params)
            return cursor.fetchone()[0]


def _sql(queryset: QuerySet, alias: str) -> tuple[str, tuple]:
    sql, params = queryset.query.get_compiler(using=alias).as_sql()
    return sql, tuple(params)


def _slot(first: object, second: object, stand_ins: tuple[Sequence, Sequence]) -> int | None:
    """Which value parameter (first, second) stands for; None for a constant."""
    for index, (one, other) in enumerate(zip(*stand_ins, strict=True)):
        if first == one and second == other:
            return index
    if first == second:
        return None
    raise ImproperlyConfigured(
        f"a parameter of the prepared query changed between two builds ({first!r}, "
        f"{second!r}) without being one of its values"
    )


def prepare_count(
    build: Callable[..., QuerySet],
    stand_ins: tuple[Sequence[object], Sequence[object]],
    adapters: Sequence[Adapt],
    alias: str,
) -> PreparedCount:
    """Prepare ``SELECT COUNT(*)`` over ``build(*values)``'s rows.

    ``stand_ins`` are two sets of values, different in every place and unlike any real
    one (say a negative key); ``adapters`` turn each value into the parameter the ORM
    passes for it (``int`` for a key, ``connection.ops.adapt_datetimefield_value``...).
    """
    first, second = (_sql(build(*values), alias) for values in stand_ins)
    if first[0] != second[0] or len(first[1]) != len(second[1]):
        raise ImproperlyConfigured("the prepared query's SQL depends on its values")
    adapted = tuple(
        tuple(adapt(value) for adapt, value in zip(adapters, values, strict=True))
        for values in stand_ins
    )
    slots = tuple(_slot(a, b, adapted) for a, b in zip(first[1], second[1], strict=True))
    return PreparedCount(
        alias=alias,
        sql=f"SELECT COUNT(*) FROM ({first[0]}) AS counted",  # noqa: S608  # nosec B608 # the ORM's own SQL
        slots=slots,
        constants=tuple(
            None if slot is not None else p for slot, p in zip(slots, first[1], strict=True)
        ),
        adapters=tuple(adapters),
    )
