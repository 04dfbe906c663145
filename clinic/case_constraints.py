"""Unique-in-any-case constraints added to a database that may already break them.

Record numbers and usernames were unique only in exact case before migrations
``patients.0004`` and ``clinic.0006``; a clinic's database may hold "ab-1001" beside
"AB-1001". Those migrations must not stop (web and worker wait for migrate), so each adds
its constraint only when no rows share the value in another case, and otherwise says so
and names the rows' ids (never the values). The app refuses new duplicates in the
meantime (``Patient.clean``, the invitation page); once the rows are resolved,
``manage.py add_case_constraints`` adds what is missing.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models
from django.db.models import Count
from django.db.models.functions import Lower


def case_duplicates(model: type[models.Model], field: str) -> list[list[int]]:
    """Groups of primary keys whose ``field`` is the same apart from letter case."""
    shared = (
        model._default_manager.annotate(folded=Lower(field))
        .values("folded")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("folded", flat=True)
    )
    groups: dict[str, list[int]] = {}
    rows = model._default_manager.annotate(folded=Lower(field)).filter(folded__in=list(shared))
    for pk, folded in rows.order_by("pk").values_list("pk", "folded"):
        groups.setdefault(folded, []).append(pk)
    return list(groups.values())


def remove_if_present(schema_editor, model: type[models.Model], constraint) -> None:
    """Undo ``add_unless_duplicated``, which may have left the constraint out."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        present = connection.introspection.get_constraints(cursor, model._meta.db_table)
    if constraint.name in present:
        schema_editor.remove_constraint(model, constraint)


def add_unless_duplicated(
    schema_editor,
    model: type[models.Model],
    constraint: models.UniqueConstraint,
    field: str,
    say: Callable[[str], None] = print,
) -> bool:
    """Add ``constraint`` unless rows break it; True when it was added."""
    groups = case_duplicates(model, field)
    if groups:
        ids = "; ".join(", ".join(str(pk) for pk in group) for group in groups)
        say(
            f"\n  {model._meta.label}: {len(groups)} value(s) of {field} shared in another "
            f"letter case (ids {ids}). Constraint {constraint.name} NOT added: resolve those "
            "rows, then run `python manage.py add_case_constraints`."
        )
        return False
    schema_editor.add_constraint(model, constraint)
    return True
