"""A form posted from a page opened before its record was saved again: the one rule.

An edit or correction page posts every value of its record, so a page opened before another
save of that record (a second tab, a colleague, the patient on Today) still holds the values
from before; saving it would silently undo that save. Each such page therefore carries the
record's *mark* as it showed it, in a hidden field: a revision (how many times the record
was saved) or a fingerprint (a digest of what the page edits). A save sent at another mark
is refused, nothing saved, the values kept as typed; the page sent again carries the mark
now, so saving again applies the values knowingly.

Used by the patient's record (its fingerprint), a diary day's correction, and a visit's, a
treatment's and a rating's correction (their revisions). Each names, in its own message,
what was saved meanwhile and where the page shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError

Mark = TypeVar("Mark", int, str)


class SavedMeanwhile(ValidationError):
    """A save refused because its record was saved after the page was opened. ``now`` is
    the record's mark now, for the page sent again (``CarriesMark.carry_mark``)."""

    def __init__(self, message: str, *, now: int | str) -> None:
        super().__init__(message)
        self.now = now


def refuse_if_saved_meanwhile(
    seen: Mark | None, current: Callable[[], Mark], message: Callable[[], str]
) -> None:
    """Refuse (``SavedMeanwhile`` with ``message()``) when ``seen``, the mark the page was
    opened at, is not ``current()``, the (caller-locked) record's mark now. ``None`` (a
    script, an older page, a new record): nothing to compare, nothing asked of the database.
    """
    if seen is None:
        return
    now = current()
    if now == seen:
        return
    raise SavedMeanwhile(message(), now=now)


def seen_revision_field() -> forms.IntegerField:
    """The record's revision as the page showed it; absent (None) on an older page."""
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class CarriesMark:
    """For a form with a hidden field holding its record's mark (``mark_field``)."""

    mark_field = "seen_revision"

    def carry_mark(self, now: int | str) -> None:
        """After a refusal for a save made meanwhile (shown on the page), the form sent
        again carries the record's mark now, so it is then saved knowingly."""
        self.data = self.data.copy()
        self.data[self.add_prefix(self.mark_field)] = str(now)
