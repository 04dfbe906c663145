"""One model row by key in one prebuilt statement: the reads every signed-in request makes.

Each signed-in request reads its session row and its user row before anything else. Built
through the ORM, each read costs about four times its database round trip in Python (the
queryset, the compiler, the SQL string), on every page (issue 8). These functions run the
same single SELECT, its text built once per process and database, and build the instance
with ``Model.from_db``, as the ORM does: the same columns, the same instance, the same
query count. They are used only for the session and the user (``clinic.session_store``,
``clinic.backends``) and for a signed-in patient's own record (``patients.access``); every
other read goes through the ORM.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.core.exceptions import ValidationError
from django.db import connections, models, router


@dataclass(frozen=True)
class _Statement:
    sql: str  # without its WHERE condition's values
    names: tuple[str, ...]  # the attnames, in column order (Model.from_db)
    # Per column, as the ORM's compiler has them: (its converters, its column expression).
    converters: tuple[tuple[tuple[Callable, ...], object], ...]


@cache
def _statement(model: type[models.Model], alias: str, where: str) -> _Statement:
    """``SELECT <every concrete column> FROM <table> WHERE <where> LIMIT 2``.

    ``where`` names columns in ``{}`` (quoted here), e.g. ``"{id} = %s"``.
    """
    connection = connections[alias]
    quote = connection.ops.quote_name
    fields = model._meta.concrete_fields
    columns = ", ".join(quote(field.column) for field in fields)
    condition = where.format(**{field.column: quote(field.column) for field in fields})
    table = quote(model._meta.db_table)
    converters = []
    for field in fields:
        column = field.get_col(model._meta.db_table)
        backend = connection.ops.get_db_converters(column)
        converters.append((tuple(backend + column.get_db_converters(connection)), column))
    return _Statement(
        sql=f"SELECT {columns} FROM {table} WHERE {condition} LIMIT 2",  # noqa: S608  # nosec B608 # names from the model
        names=tuple(field.attname for field in fields),
        converters=tuple(converters),
    )


def _one(model: type[models.Model], alias: str, where: str, params: list) -> models.Model | None:
    connection = connections[alias]
    statement = _statement(model, alias, where)
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, params)
        rows = cursor.fetchmany(2)
    if len(rows) != 1:  # none, or (never for a key) several: the ORM's get() refuses both
        return None
    values = list(rows[0])
    for index, (converters, column) in enumerate(statement.converters):
        for converter in converters:
            values[index] = converter(values[index], column, connection)
    return model.from_db(alias, statement.names, values)


def by_pk(model: type[models.Model], pk: object) -> models.Model | None:
    """``model.objects.get(pk=pk)``, or None when there is no such row (or ``pk`` cannot
    be one: the ORM would raise)."""
    alias = router.db_for_read(model)
    pk_field = model._meta.pk
    try:
        value = pk_field.get_db_prep_value(pk_field.to_python(pk), connections[alias])
    except (ValidationError, TypeError, ValueError):
        return None
    return _one(model, alias, f"{{{pk_field.column}}} = %s", [value])


def unexpired(
    model: type[models.Model], key_field: str, key: str, expiry_field: str, now: datetime
) -> models.Model | None:
    """``model.objects.get(<key_field>=key, <expiry_field>__gt=now)``, or None."""
    alias = router.db_for_read(model)
    key_column = model._meta.get_field(key_field).column
    expiry_column = model._meta.get_field(expiry_field).column
    moment = connections[alias].ops.adapt_datetimefield_value(now)
    return _one(model, alias, f"{{{key_column}}} = %s AND {{{expiry_column}}} > %s", [key, moment])


def by_unique(model: type[models.Model], field_name: str, value: object) -> models.Model | None:
    """``model.objects.filter(<field_name>=value).first()`` for a unique, non-null
    ``value`` of a unique field (at most one row: its order does not matter)."""
    alias = router.db_for_read(model)
    field = model._meta.get_field(field_name)
    if not field.unique or value is None:
        raise ValueError(f"{model.__name__}.{field_name} = {value!r} is not a unique key")
    prepared = field.get_db_prep_value(value, connections[alias])
    return _one(model, alias, f"{{{field.column}}} = %s", [prepared])
