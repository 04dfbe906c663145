"""How a record's change history reads: one line per recorded change, its values written as
the record's page writes them, each changed field with its value before and after.

Shared by the history of injection visits (``visits.visit_history``), of other
treatments (``courses.course_history``) and of ratings (``assessments.assessment_history``);
each passes its own fields, labels and, where a value needs more than the field knows (a
dilution in its product's units, a rating's subscores by its scale's parts), its own
formatter. No query here: related objects come from the caller's ``select_related``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Field, ForeignKey, TextField
from django.utils.dateformat import format as date_format
from django.utils.text import Truncator

NO_VALUE = "—"
TEXT_SHOWN_CHARS = 80
KINDS = {"+": "created", "~": "changed", "-": "removed"}

# (field, value, the history record the value belongs to) -> the value as the page shows it.
ValueFormatter = Callable[[Field, object, object], str]


@dataclass(frozen=True)
class HistoryLine:
    """One recorded change: when, who, what kind, and which values."""

    when: object
    who: str
    what: str
    detail: str
    reason: str


def field_value(field: Field, value: object, record: object = None) -> str:
    """One value as a record's page writes it: "—" for no value, choices by their labels,
    ticks as yes/no, dates "5 Nov 2026", people by name, free text on one line shortened to
    ``TEXT_SHOWN_CHARS`` characters ("…"). ``record`` is unused here; it is there so that
    a model's own formatter can fall back to this one."""
    if value is None or value == "":
        return NO_VALUE
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return date_format(value, "j M Y")
    if isinstance(field, ForeignKey):
        return person(value)
    if isinstance(field, TextField):
        return Truncator(" ".join(str(value).split())).chars(TEXT_SHOWN_CHARS)
    return str(value)


def record_text(
    older,
    newer,
    *,
    fields: Sequence[Field],
    labels: Mapping[str, str],
    value: ValueFormatter = field_value,
) -> str:
    """What one history record shows: the values recorded at creation (or in the first
    record kept, whatever its kind), the changed values before and after on a change,
    nothing on a removal (the last values are in the line before)."""
    if newer.history_type == "+" or (older is None and newer.history_type == "~"):
        return values_text(newer, fields=fields, labels=labels, value=value)
    if newer.history_type == "~":
        return changes_text(older, newer, fields=fields, labels=labels, value=value)
    return ""


def values_text(
    record, *, fields: Sequence[Field], labels: Mapping[str, str], value: ValueFormatter
) -> str:
    """ "Date: 5 Nov 2026; Product: Botox; …": the record's values that are set (an empty
    text or collection, no date or an unticked box is left out), in the order of ``fields``."""
    shown = []
    for field in fields:
        current = getattr(record, field.name)
        if is_set(current):
            shown.append(f"{labels[field.name]}: {value(field, current, record)}")
    return "; ".join(shown)


def is_set(value: object) -> bool:
    """Whether a value is worth a created line's mention: not None, empty, or False."""
    return value is not False and value not in (None, "") and value != {} and value != []


def changes_text(
    older, newer, *, fields: Sequence[Field], labels: Mapping[str, str], value: ValueFormatter
) -> str:
    """ "Lot number: C1234AB → D9999ZZ; …": each field that differs between two records of
    one object, in the order of ``fields``, with the value before (formatted with the older
    record) and after (with the newer one)."""
    delta = newer.diff_against(
        older, included_fields=[f.name for f in fields], foreign_keys_are_objs=True
    )
    changes = {change.field: change for change in delta.changes}
    return "; ".join(
        f"{labels[field.name]}: {value(field, changes[field.name].old, older)}"
        f" → {value(field, changes[field.name].new, newer)}"
        for field in fields
        if field.name in changes
    )


def record_revision(record) -> int:
    """How many times ``record`` (a model with history) has been saved: the revision a
    correction page was opened at (``treatments.services.revisions``)."""
    return record.history.count()


def person(user) -> str:
    """A user's full name, else their username."""
    return user.get_full_name() or user.get_username()


def who(record) -> str:
    """Who wrote a history record: their name, or "system" when no user did."""
    user = record.history_user
    return person(user) if user is not None else "system"
