"""Gaps in a patient's diary, as the cycle analysis (``treatments.cycles``) judges them.

Pure (no Django). Day numbers count from the injection (day 0); ``DayValues`` are
(day, value) pairs for the logged days of one cycle, in day order. A change first seen
after a gap may have happened on any day of it: it is judged only when every such day
gives the same verdict.
"""

from __future__ import annotations

DayValues = tuple[tuple[int, float], ...]

# Centred window of ±3 calendar days (one week) averages out day-to-day noise while
# keeping the rise and the decline, which take weeks, sharp.
SMOOTHING_HALF_WINDOW = 3
# A week or more without entries (the whole smoothing window empty) is a gap: a change
# first seen after it (an onset, a wear-off) may have happened on any day of it, so it is
# judged only when every day of the gap gives the same verdict.
DIARY_GAP_DAYS = 2 * SMOOTHING_HALF_WINDOW + 1


def seen_until(logged: DayValues, last_day: int) -> int:
    """``last_day``, or the last logged day when a gap (``gap_before``) follows it to the
    end of the cycle (as if the day after the cycle were the next one seen)."""
    between = gap_before(logged, last_day + 1)
    return last_day if between is None else between[0] - 1


def gap_before(logged: DayValues, seen: int) -> tuple[int, int] | None:
    """(first day of the gap, ``seen``) when DIARY_GAP_DAYS or more days without an entry
    come between the logged day before ``seen`` and ``seen``: a change first seen on
    ``seen`` may have happened on any of those days. None without such a gap (or without a
    logged day before)."""
    before = [day for day, _ in logged if day < seen]
    if not before or seen - before[-1] - 1 < DIARY_GAP_DAYS:
        return None
    return (before[-1] + 1, seen)


def onset_window_coverage(logged: DayValues, deadline: int) -> float:
    """The fraction of days 0..``deadline`` (where an onset counts) with a diary entry."""
    return sum(1 for day, _ in logged if 0 <= day <= deadline) / (deadline + 1)


def onset_hidden_by_gap(
    improvement: DayValues, late: int | None, deadline: int
) -> tuple[int, int] | None:
    """(first, last) day an improvement first seen on day ``late`` (after ``deadline``) may
    have begun on, when it follows a gap that began on or before ``deadline`` (so it may
    have begun while an onset still counted); None otherwise."""
    if late is None or late <= deadline:
        return None
    between = gap_before(improvement, late)
    return between if between is not None and between[0] <= deadline else None


def peak_hidden_by_gap(logged: DayValues, horizon: int, end: int) -> tuple[int, int] | None:
    """(first, last) day of the first run of DIARY_GAP_DAYS or more days without an entry
    that begins by day ``horizon`` (the later of the observed and the expected peak) and
    ends before day ``end`` (the wear-off, or the day after the cycle): the benefit may
    have begun or peaked on one of its days, unseen. Days from day 0 on count. None
    without one."""
    seen = {day for day, _ in logged}
    first = None
    for day in range(0, end + 1):
        if day < end and day not in seen:
            first = day if first is None else first
            continue
        if first is not None and day - first >= DIARY_GAP_DAYS and first <= horizon:
            return (first, day - 1)
        first = None
    return None
