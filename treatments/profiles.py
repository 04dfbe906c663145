"""The patient's own profile (DESIGN.md §3): medians of onset, peak and wear-off over
completed cycles, the current cycle's predicted wear-off and the suggested reinjection
window. Pure, like ``treatments.cycles`` whose results it reads: no Django, no clock.

A profile belongs to one product and indication. Products differ in their expected
timelines (TIMELINE.md: Dysport peaks at 2-4 weeks, Botox at 4-6; Daxxify lasts twice as
long), so a median over a mixed history describes no product: a patient's Dysport
profile comes only from their Dysport cycles, and without a completed Dysport cycle it
has no median and no personal prediction (the expected timeline still applies).
``profiles_by_timeline`` keeps that rule for a history of several products. A cycle after
a session of two products (or two indications) on one day is the effect of both: it is
shown, but counts in no profile (``counts_alone``), unless it is the open cycle.

Day numbers count from the injection (day 0). Nothing here looks at units or doses.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from treatments.cycles import (
    REINJECTION_WINDOW_AFTER_DAYS,
    REINJECTION_WINDOW_BEFORE_DAYS,
    CycleResult,
    DayValues,
    ExpectedTimeline,
    Verdict,
    shift_days,
)

# "Usually wears off before the minimum interval" needs more than one completed cycle.
USUALLY_FROM_CYCLES = 2


@dataclass(frozen=True)
class PersonalProfile:
    """A patient's own timeline for one product and indication, from the completed
    cycles (those with a wear-off) of that product and indication only: built by
    ``treatments.profiles``, which keeps products apart.

    Medians are in days since injection (floats: the median of two days may be x.5);
    the onset median leaves out cycles whose baseline was carried over.
    predicted_wear_off_date: for the open (last) cycle: its observed wear-off if it has
    one, else injection + median wear-off, and never after the day by which it is known to
    have worn off in a diary gap (``CycleResult.wear_off_between``); None without an open
    cycle or a median.
    reinjection_window_start/end: around the predicted wear-off, never starting before
    injection + the product's minimum interval; None when no expected timeline is given.
    wears_off_before_min_interval: the median wear-off comes before the minimum interval
    (a fact for the neurologist, never a dose suggestion); None when it cannot be told.
    median_curve: (day, median improvement fraction) over the completed cycles.
    """

    completed_cycles: int
    median_onset_day: float | None
    median_peak_day: float | None
    median_wear_off_day: float | None
    median_peak_improvement: float | None
    open_cycle_injection_date: date | None
    predicted_wear_off_date: date | None
    reinjection_window_start: date | None
    reinjection_window_end: date | None
    wears_off_before_min_interval: bool | None
    median_curve: DayValues = field(default=(), repr=False)


def counts_alone(cycle: CycleResult, mixed_sessions: Collection[date]) -> bool:
    """Whether the cycle is the effect of one product and indication: not after a session
    of several (``mixed_sessions``: their dates), or the open cycle, which is the current one
    whatever it is (its prediction comes from its first visit's product)."""
    return cycle.is_open or cycle.injection_date not in mixed_sessions


def profiles_by_timeline(
    cycles: Sequence[CycleResult],
    expected_by_date: Mapping[date, ExpectedTimeline],
    mixed_sessions: Collection[date] = (),
) -> dict[ExpectedTimeline, PersonalProfile]:
    """One profile per expected timeline (product and indication), each from only the
    cycles compared with that timeline.

    cycles: a patient's analysed cycles, date order, several products possibly mixed.
    expected_by_date: the timeline each cycle (by injection date) was compared with.
    mixed_sessions: dates of sessions with several products or indications (left out).
    A timeline's profile predicts a wear-off only when the open (last) cycle is its own;
    the others' last cycles are closed, so theirs have no prediction and no window.
    Keys follow the order of first use; no cycles give {}.
    """
    groups: dict[ExpectedTimeline, list[CycleResult]] = {}
    for cycle in cycles:
        if counts_alone(cycle, mixed_sessions):
            groups.setdefault(expected_by_date[cycle.injection_date], []).append(cycle)
    return {expected: personal_profile(own, expected) for expected, own in groups.items()}


def personal_profile(
    results: Sequence[CycleResult], expected: ExpectedTimeline | None = None
) -> PersonalProfile:
    """Medians over completed cycles, the open cycle's predicted wear-off and window.

    results: cycles of ONE product and indication, date order (``profiles_by_timeline``
    splits a mixed history); the open cycle is the last one when it is open. Without
    completed cycles the medians are None and completed_cycles is 0: the open cycle is
    then predicted only from its own observed wear-off. The reinjection window and the
    min-interval flag need `expected` (that product's timeline); without it they are
    None. With a product that has no minimum interval the window is not clipped and the
    flag is None.
    """
    completed = [r for r in results if r.completed]
    # A carried-over baseline puts the onset on day 0 (the earlier benefit carrying on):
    # that is no onset of this injection, so it stays out of the onset median.
    med_onset = _median([r.onset_day for r in completed if not r.baseline_carried_over])
    med_peak = _median([r.peak_day for r in completed])
    med_wear = _median([r.wear_off_day for r in completed])
    med_size = _median([r.peak_improvement for r in completed])

    open_cycle = results[-1] if results and results[-1].is_open else None
    predicted = None
    # An injection that showed no response has no benefit to wear off: nothing predicted.
    if open_cycle is not None and open_cycle.verdict is not Verdict.NO_RESPONSE:
        if open_cycle.wear_off_day is not None:
            predicted = open_cycle.date_of(open_cycle.wear_off_day)
        elif med_wear is not None:
            predicted = shift_days(open_cycle.injection_date, round(med_wear))
        if open_cycle.wear_off_between is not None:
            # Worn off somewhere in a gap of the diary: gone by the day it was seen.
            seen = open_cycle.date_of(open_cycle.wear_off_between[1])
            predicted = seen if predicted is None else min(predicted, seen)

    start = end = None
    before_min = None
    min_days = expected.min_interval_days if expected is not None else None
    if expected is not None and predicted is not None and open_cycle is not None:
        start = shift_days(predicted, -REINJECTION_WINDOW_BEFORE_DAYS)
        if min_days is not None:
            start = max(start, shift_days(open_cycle.injection_date, min_days))
        end = shift_days(max(predicted, start), REINJECTION_WINDOW_AFTER_DAYS)
    if min_days is not None and med_wear is not None:
        before_min = med_wear < min_days and len(completed) >= USUALLY_FROM_CYCLES

    return PersonalProfile(
        completed_cycles=len(completed),
        median_onset_day=med_onset,
        median_peak_day=med_peak,
        median_wear_off_day=med_wear,
        median_peak_improvement=med_size,
        open_cycle_injection_date=open_cycle.injection_date if open_cycle else None,
        predicted_wear_off_date=predicted,
        reinjection_window_start=start,
        reinjection_window_end=end,
        wears_off_before_min_interval=before_min,
        median_curve=median_curve(completed),
    )


def median_curve(cycles: Sequence[CycleResult]) -> DayValues:
    """Per day since injection, the median improvement over the given cycles.

    Each cycle's smoothed improvement is first filled in across its unlogged days by
    linear interpolation (between its first and last logged day only), so the median
    does not jump between different subsets of cycles from one day to the next. A day
    is included only when at least half of the cycles (and at least one) cover it, so a
    single long cycle does not draw the tail alone.
    """
    if not cycles:
        return ()
    by_day: dict[int, list[float]] = {}
    for cycle in cycles:
        for day, value in _interpolated(cycle.improvement_by_day):
            by_day.setdefault(day, []).append(value)
    needed = max(1, math.ceil(len(cycles) / 2))
    return tuple(
        (day, statistics.median(values))
        for day, values in sorted(by_day.items())
        if len(values) >= needed
    )


def _interpolated(points: DayValues) -> DayValues:
    """Every day from the first to the last point, gaps filled linearly."""
    filled: list[tuple[int, float]] = []
    for (day, value), (next_day, next_value) in itertools.pairwise(points):
        step = (next_value - value) / (next_day - day)
        filled.extend((day + k, value + step * k) for k in range(next_day - day))
    if points:
        filled.append(points[-1])
    return tuple(filled)


def _median(values: Sequence[float | int | None]) -> float | None:
    present = [v for v in values if v is not None]
    return float(statistics.median(present)) if present else None
