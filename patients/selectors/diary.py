"""Reading a patient's diary: one day, the recent days, a History page, the severity series.

Every function here runs a fixed number of queries whatever the diary's length, so the
pages built on them keep the same query count at 10 entries and at 400.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch

from patients.days import days_between, diary_start, first_editable_day
from patients.models import AffectedRegion, DiaryEntry, Patient, RegionSeverity

HISTORY_DAYS_PER_PAGE = 28  # four weeks: a page shows one month-ish of days at a glance
# What a History row shows of an entry (patients/templatetags/history_rows.py): its other
# columns and who entered it are not loaded.
HISTORY_ENTRY_FIELDS = ("date", "severity", "pain", "interference", "triggers", "note")


def affected_regions(patient: Patient) -> list[AffectedRegion]:
    """The patient's affected regions in catalog order (one query)."""
    return list(patient.regions.select_related("region").order_by("region__order", "side", "pk"))


def _with_details(queryset):
    return queryset.select_related("entered_by").prefetch_related(
        Prefetch(
            "regions", queryset=RegionSeverity.objects.only("entry", "affected_region", "severity")
        )
    )


def diary_entry_for_day(patient: Patient, day: date) -> DiaryEntry | None:
    """The entry for ``day`` with its region severities, or None when the day is missing."""
    return _with_details(DiaryEntry.objects.filter(patient=patient, date=day)).first()


def unrated_regions(entry: DiaryEntry | None, regions: Sequence[AffectedRegion]) -> set[int]:
    """Ids of ``regions`` the day's saved entry has no score for (the region was added to
    the record later); none for a day not logged yet. Reads ``entry.regions`` (prefetched
    by ``diary_entry_for_day``)."""
    if entry is None:
        return set()
    scored = {rs.affected_region_id for rs in entry.regions.all()}
    return {region.pk for region in regions} - scored


def entry_revision(entry: DiaryEntry | None) -> int:
    """How many times the day's entry has been saved with a changed answer (0: no entry):
    the revision a correction page was opened at. A change of region scores alone saves
    the entry too, so it counts as well; a save that changed nothing does not."""
    if entry is None or entry.pk is None:
        return 0
    return entry.history.count()


def fill_source(patient: Patient, day: date) -> DiaryEntry | None:
    """The entry "Same as yesterday" copies into ``day``'s form.

    The latest entry before ``day``; when there is none (a patient catching up on a day
    older than any entry) the earliest entry after it. None when the diary is empty.
    """
    entries = _with_details(DiaryEntry.objects.filter(patient=patient))
    before = entries.filter(date__lt=day).order_by("-date").first()
    if before is not None:
        return before
    return entries.filter(date__gt=day).order_by("date").first()


def entry_and_fill_source(
    patient: Patient, day: date
) -> tuple[DiaryEntry | None, DiaryEntry | None]:
    """``diary_entry_for_day`` and ``fill_source`` for the Today page, in fewer queries.

    The day's entry and the latest one before it are the two newest entries up to ``day``:
    one query and one prefetch of their region severities (the two functions apart take up
    to four). Only when nothing precedes ``day`` does the fill source need its own query.
    """
    entries = _with_details(DiaryEntry.objects.filter(patient=patient))
    newest = list(entries.filter(date__lte=day).order_by("-date")[:2])
    entry = newest[0] if newest and newest[0].date == day else None
    before = newest[1:] if entry is not None else newest[:1]
    if before:
        return entry, before[0]
    return entry, entries.filter(date__gt=day).order_by("date").first()


def logged_days(patient: Patient, first: date, last: date) -> set[date]:
    """The dates from ``first`` to ``last`` (inclusive) that have an entry (one query)."""
    return set(
        DiaryEntry.objects.filter(patient=patient, date__range=(first, last)).values_list(
            "date", flat=True
        )
    )


@dataclass(frozen=True)
class DayStatus:
    """One day of the "previous days" list: whether it is logged."""

    day: date
    logged: bool


def recent_days(patient: Patient, today: date) -> list[DayStatus]:
    """The days the patient may still enter or correct, newest first, each with its status."""
    first = first_editable_day(patient, today)
    logged = logged_days(patient, first, today)
    return [DayStatus(day, day in logged) for day in days_between(first, today)]


@dataclass(frozen=True)
class HistoryDay:
    """One row of the History page; ``entry`` is None for a missing day."""

    day: date
    entry: DiaryEntry | None
    # (affected region, its score or None) in affected-region order; empty for a missing day
    region_scores: list[tuple[AffectedRegion, int | None]] = field(default_factory=list)


@dataclass(frozen=True)
class HistoryPage:
    page: Page
    rows: list[HistoryDay]
    regions: list[AffectedRegion]


def history_page(
    patient: Patient,
    today: date,
    page_number: int | str | None,
    per_page: int = HISTORY_DAYS_PER_PAGE,
) -> HistoryPage:
    """A page of days from ``today`` back to the diary's start, newest first, missing days included.

    Always three queries, whatever the diary holds (the day list itself is computed): the
    affected regions, the page's entries (the columns a row shows), and their region scores.
    A page number out of range answers with the last page.
    """
    days = days_between(diary_start(patient, today), today)
    page = Paginator(days, per_page, allow_empty_first_page=True).get_page(page_number)
    regions = affected_regions(patient)
    page_days = list(page.object_list) or [today]
    window = (page_days[-1], page_days[0])
    entries = {
        entry.date: entry
        for entry in DiaryEntry.objects.filter(patient=patient, date__range=window).only(
            *HISTORY_ENTRY_FIELDS
        )
    }
    scores: dict[tuple[date, int], int] = {
        (entry_date, region_id): severity
        for entry_date, region_id, severity in RegionSeverity.objects.filter(
            entry__patient=patient, entry__date__range=window
        ).values_list("entry__date", "affected_region_id", "severity")
    }
    rows = []
    for day in page.object_list:
        entry = entries.get(day)
        region_scores = (
            [(region, scores.get((day, region.pk))) for region in regions] if entry else []
        )
        rows.append(HistoryDay(day, entry, region_scores))
    return HistoryPage(page, rows, regions)


def severity_series(patient: Patient, first: date, last: date) -> list[tuple[date, int]]:
    """(date, overall severity 0-10) of every entry from ``first`` to ``last``, oldest first."""
    return list(
        DiaryEntry.objects.filter(patient=patient, date__range=(first, last))
        .order_by("date")
        .values_list("date", "severity")
    )


def region_ids_with_diary(patient: Patient) -> set[int]:
    """Ids of the patient's affected regions that hold at least one diary score."""
    return set(
        RegionSeverity.objects.filter(entry__patient=patient).values_list(
            "affected_region_id", flat=True
        )
    )


def first_diary_day(patient: Patient) -> date | None:
    """The oldest logged day, or None for an empty diary."""
    return (
        DiaryEntry.objects.filter(patient=patient)
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )
