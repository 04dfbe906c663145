"""Saving a diary day: one entry per patient and day, however often or fast it is posted."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from clinic import meanwhile
from clinic.history import history_reason
from clinic.notify import DIARY_REMINDER, mark_read_by_key
from patients.models import DiaryEntry, Patient, RegionSeverity
from patients.reminders import diary_reminder_key
from patients.selectors.diary import entry_revision
from patients.signals import diary_changed

logger = logging.getLogger(__name__)

KNOWN_TRIGGERS = frozenset(DiaryEntry.Trigger.values)


@dataclass(frozen=True)
class DiaryValues:
    """What a patient answers for one day. Scores are whole numbers 0 (none) to 10 (worst).

    ``region_scores`` maps each of the patient's affected-region ids to its score; it must
    name every affected region of the patient and no other, except a region a day already
    logged has no score for (added to the record later), which may stay unrated.
    """

    severity: int
    pain: int
    interference: int
    region_scores: Mapping[int, int] = field(default_factory=dict)
    triggers: Sequence[str] = ()
    note: str = ""


@dataclass(frozen=True)
class DiarySaveResult:
    entry: DiaryEntry
    created: bool
    changed: bool


def _check_values(patient: Patient, values: DiaryValues) -> set[int]:
    """Refuse unknown triggers and scores of regions the patient does not have; return
    the ids of the patient's affected regions (``_check_every_region`` takes them)."""
    unknown = [code for code in values.triggers if code not in KNOWN_TRIGGERS]
    if unknown:
        raise ValidationError({"triggers": f"Unknown trigger: {', '.join(unknown)}."})
    own = set(patient.regions.values_list("pk", flat=True))
    given = set(values.region_scores)
    if given - own:
        raise ValidationError(
            {"regions": "A score names a body region this patient does not have."}
        )
    return own


def _check_every_region(
    own: set[int], values: DiaryValues, existing: dict[int, RegionSeverity], created: bool
) -> None:
    """Every affected region needs a score, except on a day already logged without one:
    a region added to the record after that day was not rated then (``unrated_regions``),
    and a correction of the day keeps it unrated rather than make someone invent a score.
    A score the day has is never dropped."""
    missing = own - set(values.region_scores)
    if missing and (created or missing & set(existing)):
        raise ValidationError({"regions": "Every affected body region needs a score."})


def _answers(values: DiaryValues) -> dict:
    """The entry's fields that hold the patient's answers (region scores are rows of their own)."""
    return {
        "severity": values.severity,
        "pain": values.pain,
        "interference": values.interference,
        "triggers": sorted(set(values.triggers)),
        "note": values.note.strip(),
    }


def _apply(
    entry: DiaryEntry,
    values: DiaryValues,
    entered_by,
    correction_reason: str,
    *,
    regions_differ: bool,
) -> bool:
    """Copy ``values`` onto ``entry``; True when an answer changed.

    Only the answers count. The one who saved a changed answer becomes ``entered_by`` and
    their ``correction_reason`` replaces the earlier one (a patient's own change gives none:
    the care team's reason no longer explains the values). An unchanged re-save keeps the
    earlier author and reason, whoever saves it and whatever reason it gives, so history and
    the page show who really entered each value and why the care team corrected it.
    """
    new = _answers(values)
    if not regions_differ and all(getattr(entry, name) == value for name, value in new.items()):
        return False
    for name, value in new.items():
        setattr(entry, name, value)
    entry.entered_by = entered_by
    entry.correction_reason = correction_reason
    if correction_reason:
        # Kept by django-simple-history (shortened to its column); the entry keeps it whole.
        entry._change_reason = history_reason(DiaryEntry, correction_reason)
    return True


def _existing_scores(entry: DiaryEntry) -> dict[int, RegionSeverity]:
    if entry.pk is None:
        return {}
    return {rs.affected_region_id: rs for rs in entry.regions.select_for_update()}


def _regions_differ(existing: dict[int, RegionSeverity], values: DiaryValues) -> bool:
    return any(
        existing.get(region_id) is None or existing[region_id].severity != score
        for region_id, score in values.region_scores.items()
    )


def _save_regions(entry: DiaryEntry, existing: dict[int, RegionSeverity], values: DiaryValues):
    for region_id, score in values.region_scores.items():
        row = existing.get(region_id) or RegionSeverity(entry=entry, affected_region_id=region_id)
        if row.pk is not None and row.severity == score:
            continue
        row.severity = score
        row.full_clean(exclude=["entry", "affected_region"], validate_constraints=False)
        row.save()


def _refuse_if_changed_meanwhile(entry: DiaryEntry, seen_revision: int | None) -> None:
    """Refuse (``clinic.meanwhile.SavedMeanwhile``) when the (locked) entry's revision is
    not the one its page was opened at (the patient on Today, or a colleague, saved the
    day again: its answers would silently replace that save); ``None`` (Today, a script):
    nothing to compare, no check. The message names who saved the day last, and when, in
    the clinic's time zone."""

    def message() -> str:
        latest = entry.history.select_related("history_user").order_by("-history_id").first()
        by = f" by {latest.history_user}" if latest and latest.history_user else ""
        when = timezone.localtime(latest.history_date) if latest else timezone.localtime()
        return (
            f"The correction was not saved. Meanwhile this day was saved{by} ({when.day} "
            f'{when:%b %Y} at {when:%H:%M}): its answers as saved now are shown under "As '
            'saved". Your answers and reason are kept as you typed them; check them against '
            "it, then save again to apply them."
        )

    meanwhile.refuse_if_saved_meanwhile(seen_revision, lambda: entry_revision(entry), message)


def _locked_entry(patient: Patient, day: date) -> DiaryEntry | None:
    return DiaryEntry.objects.select_for_update().filter(patient=patient, date=day).first()


def _insert(entry: DiaryEntry) -> bool:
    """Insert a new entry in a savepoint; False when a concurrent request inserted the day."""
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        return False
    return True


@transaction.atomic
def diary_entry_save(
    *,
    patient: Patient,
    day: date,
    values: DiaryValues,
    entered_by,
    correction_reason: str = "",
    seen_revision: int | None = None,
) -> DiarySaveResult:
    """Create or update ``patient``'s entry for ``day``; never a second row for one day.

    Two requests racing for the same new day both end on the one row: the loser of the
    insert meets the unique constraint, takes the row under lock and updates it. Raises
    ``ValidationError`` for scores outside 0-10, an unknown trigger, or region scores that
    do not match the patient's affected regions. Callers check the date (future, before
    registration, outside the patient's window) first. When anything changed,
    ``diary_changed`` is sent with ``patient`` and ``day`` inside this transaction. The
    patient's diary reminder for ``day``, if one was sent, is marked read.

    ``seen_revision`` (a care team correction: ``entry_revision`` as its page showed it)
    refuses a save from a page opened before the day was saved again (SavedMeanwhile):
    its answers would silently replace the patient's, or a colleague's, newer ones.
    """
    own = _check_values(patient, values)
    entry = _locked_entry(patient, day) or DiaryEntry(patient=patient, date=day)
    _refuse_if_changed_meanwhile(entry, seen_revision)
    created = entry.pk is None
    existing = _existing_scores(entry)
    _check_every_region(own, values, existing, created)
    changed = _apply(
        entry,
        values,
        entered_by,
        correction_reason,
        regions_differ=_regions_differ(existing, values),
    )
    # No unique checks here: the uuid is generated, and one row per (patient, day) is the
    # database's constraint, which the insert below meets (validate_unique would only ask
    # the database again whether the uuid is taken).
    entry.full_clean(
        exclude=["patient", "entered_by"], validate_unique=False, validate_constraints=False
    )
    if created and not _insert(entry):
        entry = _locked_entry(patient, day)
        if entry is None:  # the insert failed for another reason; let the caller see it
            raise IntegrityError(f"Could not save the diary day {day.isoformat()}")
        _refuse_if_changed_meanwhile(entry, seen_revision)
        created = False
        existing = _existing_scores(entry)
        _check_every_region(own, values, existing, created)
        changed = _apply(
            entry,
            values,
            entered_by,
            correction_reason,
            regions_differ=_regions_differ(existing, values),
        )
        if changed:
            entry.save()
    elif not created and changed:
        entry.save()
    _save_regions(entry, existing, values)
    if changed:
        diary_changed.send(sender=DiaryEntry, patient=patient, day=day)
    _read_diary_reminder(patient, day)
    return DiarySaveResult(entry=entry, created=created, changed=changed)


def _read_diary_reminder(patient: Patient, day: date) -> None:
    """The diary reminder for ``day`` has done its work once the day has an entry, whoever
    saved it (as at sending time: ``diary_reminder_still_due``): it stops counting as unread.
    One UPDATE; none for a patient without an account (no reminder was ever sent)."""
    if patient.user_id is not None:
        mark_read_by_key(
            recipient_id=patient.user_id, kind=DIARY_REMINDER, key=diary_reminder_key(day)
        )
