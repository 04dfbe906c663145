"""Corrections that never silently undo each other.

A correction page posts every value of the record, so a page opened before another save of
that record (a second tab, a colleague) still holds the values from before; saving it would
put them back, under a reason about something else. Each correction page therefore carries
the record's revision as it showed it (``record_revision``: how many times the record has
been saved), and a correction from another revision is refused, nothing saved, naming who
saved the record last and when; the page then carries the revision now, so saving again
applies the values knowingly (as a follow-up's booking made meanwhile is refused).
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from clinic import meanwhile
from clinic.history import history_reason
from treatments.selectors.history import record_revision, who


def refuse_if_saved_meanwhile(
    record: models.Model, seen_revision: int | None, *, what: str, shown: str
) -> None:
    """Refuse (``clinic.meanwhile.SavedMeanwhile``) when ``record`` (locked by the caller)
    is not at the revision its page was opened at. ``None``: the caller saw nothing to
    compare (a script, an older page), no check. ``what`` names the record ("visit"),
    ``shown`` where the page shows the change ("the change is listed below")."""

    def message() -> str:
        latest = record.history.select_related("history_user").order_by("-history_id").first()
        when = timezone.localtime(latest.history_date)
        return (
            f"Meanwhile this {what} was corrected by {who(latest)} ({when.day} {when:%b %Y} "
            f"at {when:%H:%M}); {shown}. Nothing was saved: your values are kept as you "
            "typed them. Check them against that change, then save again to apply them."
        )

    meanwhile.refuse_if_saved_meanwhile(seen_revision, lambda: record_revision(record), message)


# Where a correction page of a treatment or a rating shows what was saved meanwhile.
HISTORY_SHOWN = "the change is at the top of the history below"

Corrected = TypeVar("Corrected", bound=models.Model)


def locked_for_correction(
    record: Corrected, *, reason: str, seen_revision: int | None, what: str, no_reason: str
) -> tuple[Corrected, str]:
    """``record`` locked for a correction, and the correction's reason stripped. Refused
    (ValidationError, nothing saved) without a reason (``no_reason``, at the reason field),
    or when the record was saved after the correction's page was opened (SavedMeanwhile)."""
    if not reason.strip():
        raise ValidationError({"change_reason": [no_reason]})
    locked = type(record).objects.select_for_update().get(pk=record.pk)
    refuse_if_saved_meanwhile(locked, seen_revision, what=what, shown=HISTORY_SHOWN)
    return locked, reason.strip()


Marked = TypeVar("Marked", bound=models.Model)


def mark_entered_in_error(
    model: type[Marked], pk: int, *, user, reason: str, no_reason: str, already: str
) -> Marked:
    """Flag a record (a visit, a course) as entered in error, inside the caller's
    transaction: kept (never deleted), its ``reason`` required and kept whole (one longer
    than the field is refused by ``full_clean()``, never cut), in its history with ``user``.
    ``no_reason`` is the message for a blank reason; marking twice is refused (``already``)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [no_reason]})
    record = model.objects.select_for_update().get(pk=pk)
    if record.entered_in_error:
        raise ValidationError(already)
    record.entered_in_error = True
    record.entered_in_error_reason = reason
    record._history_user = user
    record._change_reason = history_reason(model, f"Entered in error: {reason}")
    record.full_clean()
    record.save()
    return record
