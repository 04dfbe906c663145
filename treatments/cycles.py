"""Pure analysis of botulinum toxin injection cycles from a patient's symptom diary.

Conventions used throughout this module:

* Severity is the diary's overall severity on the 0-10 scale; a day without an entry
  is simply absent from the mapping (it is never treated as 0).
* Days are counted from the injection: the injection day is day 0, the next day day 1.
* Improvement is a fraction (0.25 = 25 % better than baseline); it is negative when
  the patient is worse than at baseline.
* A cycle runs from an injection to the day before the next injection, or to `today`
  for the last injection. The caller passes `today`; nothing here reads the clock.

What "duration" is compared with: the catalog's "benefit lasts N weeks" is counted from
the injection (that is how the trials and labels report it: "lasts 12 weeks" means the
patient is back near baseline about 12 weeks after the injection). So a verdict compares
the wear-off day (days since injection) with `ExpectedTimeline.duration_days_range`.
`duration_days` (wear-off - onset, DESIGN.md §3) is reported beside it as a fact.

This module never looks at units or products: it records and describes, it never
recommends a dose. The patient's own profile (PersonalProfile) is built from these
results, one product and indication at a time, by ``treatments.profiles``.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from treatments.cycle_gaps import (
    SMOOTHING_HALF_WINDOW,
    DayValues,
    gap_before,
    onset_hidden_by_gap,
    onset_window_coverage,
    peak_hidden_by_gap,
    seen_until,
)

# --- Thresholds (DESIGN.md §3). Each one is the single place its value lives. ---

# Two weeks before an injection is the period clinicians compare against.
BASELINE_DAYS = 14
# Fewer entries than this make the baseline mean too noisy (SD 1 point -> ±0.5 at 4).
MIN_BASELINE_ENTRIES = 4
# Below one point on the 0-10 scale there is nothing to improve: a one-point diary
# wobble would read as a 100 % change.
MIN_BASELINE_SEVERITY = 1.0
# A 20 % improvement is the usual smallest change patients and trials call a response.
ONSET_IMPROVEMENT = 0.20
# Three logged days in a row rule out a single good day being called the onset.
ONSET_RUN = 3
# Onset must start by the expected onset's high end plus two weeks; later gains are
# not plausibly this injection's toxin effect (they are noise or other causes).
ONSET_MARGIN_DAYS = 14
# Worn off when half of the cycle's own peak is lost (ASPEN-1 used a fixed fraction of
# the peak too; half is the diary-scale equivalent that noise does not trigger).
WEAR_OFF_FRACTION_OF_PEAK = 0.5
# ... or when improvement is below the response threshold itself, whichever comes first.
WEAR_OFF_FLOOR = ONSET_IMPROVEMENT
# The peak is reached on the first day within 90 % of the largest improvement (a
# plateau's largest day is noise, often weeks later).
PEAK_REACHED_FRACTION = 0.9
# Five logged days in a row: a bad week, not a bad day, marks the wear-off.
WEAR_OFF_RUN = 5
# A cycle with entries on fewer than half of its days cannot be judged; nor can "no
# response" be said unless the onset window itself (day 0 to the onset deadline) is.
MIN_COVERAGE = 0.5
# An open cycle younger than a week is "ongoing" whatever its coverage: a fraction of
# fewer than seven days says nothing yet (and the patient may log later today).
MIN_DAYS_FOR_COVERAGE = 7
# The suggested reinjection window opens a week before the predicted wear-off, so the
# visit can be booked before the benefit is gone ...
REINJECTION_WINDOW_BEFORE_DAYS = 7
# ... and stays open two weeks after it (clinic scheduling slack).
REINJECTION_WINDOW_AFTER_DAYS = 14


class Verdict(StrEnum):
    """Outcome of one cycle. Members are plain strings ("as_expected", ...)."""

    NO_BASELINE = "no_baseline"
    INSUFFICIENT_DATA = "insufficient_data"
    NO_RESPONSE = "no_response"
    EARLY_WEAR_OFF = "early_wear_off"
    AS_EXPECTED = "as_expected"
    LONGER_THAN_EXPECTED = "longer_than_expected"
    # Re-injected while still effective, before the expected range's high end: the
    # wear-off was not observed, so no verdict on it is given.
    CUT_SHORT = "cut_short"
    ONGOING = "ongoing"


VERDICT_LABELS: dict[str, str] = {
    Verdict.NO_BASELINE: "No baseline",
    Verdict.INSUFFICIENT_DATA: "Insufficient data",
    Verdict.NO_RESPONSE: "No response",
    Verdict.EARLY_WEAR_OFF: "Early wear-off",
    Verdict.AS_EXPECTED: "As expected",
    Verdict.LONGER_THAN_EXPECTED: "Longer than expected",
    Verdict.CUT_SHORT: "Cut short: re-injected before wear-off",
    Verdict.ONGOING: "Ongoing",
}


@dataclass(frozen=True)
class ExpectedTimeline:
    """A product's expected effect for one indication (TIMELINE.md).

    onset_days: (low, typical, high) days after the injection.
    peak_weeks: (low, high) weeks after the injection.
    duration_weeks: (low, typical, high) weeks from the injection until the benefit is gone.
    min_interval_weeks: minimum reinjection interval, or None when the timeline has none
    (an administrator cleared it): then no minimum is applied.
    label: free text naming what this is, e.g. "Botox, cervical dystonia" (charts show it).
    """

    onset_days: tuple[int, int, int]
    peak_weeks: tuple[float, float]
    duration_weeks: tuple[float, float, float]
    min_interval_weeks: int | None = 12
    label: str = ""

    def __post_init__(self) -> None:
        if len(self.onset_days) != 3 or len(self.duration_weeks) != 3:
            raise ValueError("onset_days and duration_weeks are (low, typical, high)")
        if len(self.peak_weeks) != 2:
            raise ValueError("peak_weeks is (low, high)")
        for name, values in (
            ("onset_days", self.onset_days),
            ("peak_weeks", self.peak_weeks),
            ("duration_weeks", self.duration_weeks),
        ):
            if any(v < 0 for v in values) or list(values) != sorted(values):
                raise ValueError(f"{name} must be non-negative and ordered low..high")
        if self.min_interval_weeks is not None and self.min_interval_weeks < 0:
            raise ValueError("min_interval_weeks must be non-negative or None")

    @property
    def onset_days_range(self) -> tuple[int, int]:
        """(low, high) onset, in days after the injection."""
        return (self.onset_days[0], self.onset_days[2])

    @property
    def onset_deadline_day(self) -> int:
        """Last day (since injection) on which an onset still counts as this injection's."""
        return self.onset_days[2] + ONSET_MARGIN_DAYS

    @property
    def peak_days_range(self) -> tuple[int, int]:
        """(low, high) peak, in days after the injection."""
        return (round(self.peak_weeks[0] * 7), round(self.peak_weeks[1] * 7))

    @property
    def duration_days_range(self) -> tuple[int, int]:
        """(low, high) expected wear-off, in days after the injection."""
        return (round(self.duration_weeks[0] * 7), round(self.duration_weeks[2] * 7))

    @property
    def duration_typical_days(self) -> int:
        """Typical expected wear-off, in days after the injection."""
        return round(self.duration_weeks[1] * 7)

    @property
    def min_interval_days(self) -> int | None:
        """Minimum reinjection interval in days, or None when the product has none."""
        return None if self.min_interval_weeks is None else self.min_interval_weeks * 7

    def describe(self) -> str:
        """One line stating the values, for chart titles and text alternatives."""
        on, pk, du = self.onset_days, self.peak_weeks, self.duration_weeks
        interval = (
            "no minimum interval"
            if self.min_interval_weeks is None
            else f"minimum interval {self.min_interval_weeks} weeks"
        )
        text = (
            f"onset {span(*on)} days, peak {span(*pk)} weeks, benefit {span(*du)} weeks, {interval}"
        )
        return f"{self.label}: {text}" if self.label else text


@dataclass(frozen=True)
class CycleResult:
    """The analysis of one injection cycle. Day numbers count from the injection (day 0).

    end_date: day before the next injection, or `today` for the last injection.
    baseline: mean severity (0-10) over days -14..-1, None with fewer than 4 entries;
    after a cut-short cycle, that cycle's baseline (baseline_carried_over is then True,
    and an onset on day 0 is the earlier injection's benefit carrying on).
    onset_day / peak_day / wear_off_day: days since injection, None when not found
    (peak_day: the first day within PEAK_REACHED_FRACTION of the peak).
    duration_days: wear_off_day - onset_day, None unless both exist.
    peak_improvement: fraction of baseline (0.48 = 48 %), None without a baseline.
    coverage: fraction of the cycle's days (day 0..end) that have a diary entry.
    verdict: a `Verdict` (a str).
    improvement_by_day: (day, smoothed improvement fraction) for logged days of the cycle.
    smoothed: (day, smoothed severity 0-10) for logged days of the cycle.
    is_open: no later injection yet (end_date == today).
    completed: a wear-off was observed (the cycle counts for the personal profile).
    cut_short: the next injection came after the onset but before any wear-off, so the
    duration is censored (only a lower bound is known).
    wear_off_between / onset_between: (first, last) days a wear-off / an improvement first
    seen on ``last`` after a diary gap (``gap_before``) may have begun on, else None. A
    wear-off gap across an end of the expected range, or an onset gap starting by the onset
    deadline, gives INSUFFICIENT_DATA (wear_off_day None; an onset and peak are kept).
    peak_between: (first, last) days of a diary gap over which the benefit may have begun
    or peaked unseen (``peak_hidden_by_gap``) when a larger peak there would change the
    verdict: INSUFFICIENT_DATA, with no onset, peak or wear-off reported; else None.
    """

    injection_date: date
    end_date: date
    baseline: float | None
    baseline_entries: int
    onset_day: int | None
    peak_day: int | None
    wear_off_day: int | None
    duration_days: int | None
    peak_improvement: float | None
    coverage: float
    verdict: Verdict
    is_open: bool
    completed: bool
    cut_short: bool
    baseline_carried_over: bool = False
    improvement_by_day: DayValues = field(default=(), repr=False)
    smoothed: DayValues = field(default=(), repr=False)
    # Added after the fields above, so that a positional construction keeps working.
    wear_off_between: tuple[int, int] | None = None
    onset_between: tuple[int, int] | None = None
    peak_between: tuple[int, int] | None = None

    @property
    def last_day(self) -> int:
        """Day number of end_date (0 for an injection given today)."""
        return (self.end_date - self.injection_date).days

    @property
    def seen_until_day(self) -> int:
        """The last day the diary shows this cycle on: its last day, or its last logged day
        when a gap of DIARY_GAP_DAYS or more days follows it to the end (nothing is known of
        the days after: "still effective" is said up to this day only)."""
        return seen_until(self.smoothed, self.last_day)

    @property
    def length_days(self) -> int:
        """Number of calendar days in the cycle, day 0 included."""
        return self.last_day + 1

    def date_of(self, day: int | None) -> date | None:
        """Calendar date of a day number (None stays None)."""
        return None if day is None else shift_days(self.injection_date, day)


# --- Calendar arithmetic ---


def shift_days(day: date, days: int) -> date:
    """``day`` moved by ``days`` (negative: earlier), clamped to date.min..date.max: stored
    dates can sit at the calendar's ends (year-1 typing errors); they must not raise."""
    ordinal = day.toordinal() + days
    return date.fromordinal(min(max(ordinal, date.min.toordinal()), date.max.toordinal()))


# --- Smoothing and improvement ---


def smooth_series(
    severity_by_day: Mapping[date, float], half_window: int | None = None
) -> dict[date, float]:
    """Centred rolling mean over calendar days, only on days that have an entry.

    For each logged day d, the mean of the entries present in d-half_window..d+half_window.
    Days without an entry get no value (gaps stay gaps). Empty input gives {}.
    half_window defaults to SMOOTHING_HALF_WINDOW (days).
    """
    if half_window is None:
        half_window = SMOOTHING_HALF_WINDOW
    if half_window < 0:
        raise ValueError("half_window must be >= 0")
    days = sorted(severity_by_day)
    values = [float(severity_by_day[d]) for d in days]
    ordinals = [d.toordinal() for d in days]
    result: dict[date, float] = {}
    lo = 0
    hi = 0  # window is ordinals[lo:hi]
    total = 0.0
    for i, centre in enumerate(ordinals):
        while hi < len(ordinals) and ordinals[hi] <= centre + half_window:
            total += values[hi]
            hi += 1
        while ordinals[lo] < centre - half_window:
            total -= values[lo]
            lo += 1
        result[days[i]] = total / (hi - lo)
    return result


def baseline_of(severity_by_day: Mapping[date, float], injection: date) -> tuple[float | None, int]:
    """Mean severity over days -BASELINE_DAYS..-1 and the number of entries there.

    The mean is None when fewer than MIN_BASELINE_ENTRIES days are logged. Days before
    date.min do not exist: an injection in the first days of year 1 has a shorter window.
    """
    days_before = min(BASELINE_DAYS, injection.toordinal() - date.min.toordinal())
    values = [
        float(severity_by_day[day])
        for offset in range(1, days_before + 1)
        if (day := injection - timedelta(days=offset)) in severity_by_day
    ]
    if len(values) < MIN_BASELINE_ENTRIES:
        return None, len(values)
    return statistics.fmean(values), len(values)


def _first_run_start(
    points: Sequence[tuple[int, float]],
    condition: Callable[[float], bool],
    run: int,
    start_after: int = -1,
) -> int | None:
    """First day of `run` consecutive points (logged days) all satisfying condition."""
    count = 0
    first = None
    for day, value in points:
        if day <= start_after:
            continue
        if condition(value):
            if count == 0:
                first = day
            count += 1
            if count >= run:
                return first
        else:
            count = 0
    return None


# --- The analysis ---


def analyse_cycles(
    severity_by_day: Mapping[date, float],
    injections: Sequence[date],
    expected: ExpectedTimeline,
    today: date,
) -> list[CycleResult]:
    """Analyse every injection cycle up to `today`.

    severity_by_day: overall severity 0-10 per day; days without an entry are absent.
    injections: injection dates in any order; a repeated date counts once; dates after
    `today` are ignored.
    Returns one CycleResult per distinct injection on or before today, in date order
    (an empty list without injections). Never raises on sparse or empty diaries.
    """
    dates = sorted({d for d in injections if d <= today})
    if not dates:
        return []
    smoothed = smooth_series(severity_by_day)
    results: list[CycleResult] = []
    for index, injection in enumerate(dates):
        is_open = index == len(dates) - 1
        end = today if is_open else dates[index + 1] - timedelta(days=1)
        # After a cut-short cycle the 14 days before this injection lie inside the
        # previous benefit: measured against them, a working injection would read as
        # "no response". The previous cycle's untreated baseline is carried over instead.
        carried = results[-1].baseline if results and results[-1].cut_short else None
        results.append(
            _analyse_one(severity_by_day, smoothed, injection, end, is_open, expected, carried)
        )
    return results


def _analyse_one(
    severity_by_day: Mapping[date, float],
    smoothed: Mapping[date, float],
    injection: date,
    end: date,
    is_open: bool,
    expected: ExpectedTimeline,
    carried_baseline: float | None = None,
) -> CycleResult:
    last_day = (end - injection).days
    days = [injection + timedelta(days=k) for k in range(last_day + 1)]
    logged = [(k, smoothed[d]) for k, d in enumerate(days) if d in smoothed]
    coverage = len(logged) / len(days)
    baseline, baseline_entries = baseline_of(severity_by_day, injection)
    if carried_baseline is not None:
        baseline = carried_baseline
    empty = dict(
        injection_date=injection,
        end_date=end,
        baseline=baseline,
        baseline_entries=baseline_entries,
        coverage=coverage,
        is_open=is_open,
        baseline_carried_over=carried_baseline is not None,
        smoothed=tuple(logged),
    )
    if baseline is None or baseline < MIN_BASELINE_SEVERITY:
        return _result(empty, Verdict.NO_BASELINE)

    improvement = tuple((k, (baseline - s) / baseline) for k, s in logged)
    empty["improvement_by_day"] = improvement
    young = is_open and last_day + 1 < MIN_DAYS_FOR_COVERAGE
    if coverage < MIN_COVERAGE and not young:
        return _result(empty, Verdict.INSUFFICIENT_DATA)

    deadline = expected.onset_deadline_day
    start_after = -1
    onset, peak_day, peak, wear_off = _benefit(improvement, deadline, start_after)
    if carried_baseline is not None and wear_off is not None and wear_off <= deadline:
        # The benefit present from day 0 was the earlier injection's, and it faded
        # before this injection's onset window closed: look for this injection's own.
        start_after = wear_off
        onset, peak_day, peak, wear_off = _benefit(improvement, deadline, start_after)
    if onset is None:
        peak_day, peak = _peak(improvement, 0)
        late = _first_improved(improvement, start_after)
        hidden = onset_hidden_by_gap(improvement, late, deadline)
        if last_day >= deadline and onset_window_coverage(improvement, deadline) < MIN_COVERAGE:
            verdict = Verdict.INSUFFICIENT_DATA  # a response would not have shown: no days
        elif hidden is not None:
            # Seen only after a gap that began while an onset still counted: it may have
            # begun in time. Neither a response nor its absence is shown.
            return _result(empty, Verdict.INSUFFICIENT_DATA, onset_between=hidden)
        elif last_day >= deadline:
            verdict = Verdict.NO_RESPONSE
        elif is_open:
            verdict = Verdict.ONGOING
        else:  # closed before the onset window ended: response cannot be judged
            verdict = Verdict.INSUFFICIENT_DATA
        return _result(empty, verdict, peak_day=peak_day, peak=peak)

    between = gap_before(improvement, wear_off) if wear_off is not None else None
    found = dict(onset=onset, peak_day=peak_day, peak=peak, wear_off_between=between)
    verdict = _wear_off_verdict(improvement, wear_off, last_day, is_open, expected)
    if verdict is Verdict.INSUFFICIENT_DATA:
        # Worn off somewhere in a gap reaching across an end of the expected range:
        # the diary cannot tell early (or long) from expected. No day is reported.
        return _result(empty, verdict, **found)
    horizon = max(peak_day or 0, expected.peak_days_range[1])
    hidden = peak_hidden_by_gap(logged, horizon, last_day + 1 if wear_off is None else wear_off)
    if hidden is not None and verdict in (Verdict.AS_EXPECTED, Verdict.LONGER_THAN_EXPECTED):
        # The benefit may have peaked higher on an unlogged day, and so worn off sooner:
        # judged only when the largest possible peak gives the same verdict (an early
        # wear-off stays early; ongoing and cut short say nothing of a wear-off).
        soonest = _wear_off_after(improvement, 1.0, hidden[0] - 1)
        if _wear_off_verdict(improvement, soonest, last_day, is_open, expected) != verdict:
            return _result(empty, Verdict.INSUFFICIENT_DATA, peak_between=hidden)
    return _result(empty, verdict, wear_off=wear_off, **found)


def _wear_off_verdict(
    improvement: DayValues,
    wear_off: int | None,
    last_day: int,
    is_open: bool,
    expected: ExpectedTimeline,
) -> Verdict:
    """The verdict of a responding cycle worn off on ``wear_off`` (None: not seen to wear
    off); INSUFFICIENT_DATA when it wore off in a gap across an end of the expected range."""
    low, high = expected.duration_days_range
    if wear_off is not None:
        between = gap_before(improvement, wear_off)
        first = wear_off if between is None else between[0]
        if wear_off < low:
            return Verdict.EARLY_WEAR_OFF
        if first > high:
            return Verdict.LONGER_THAN_EXPECTED
        if first >= low and wear_off <= high:
            return Verdict.AS_EXPECTED
        return Verdict.INSUFFICIENT_DATA
    if is_open:
        return Verdict.ONGOING
    if seen_until(improvement, last_day) > high:
        # Re-injected while still effective, seen so beyond the expected high end.
        return Verdict.LONGER_THAN_EXPECTED
    # Re-injected while still effective: the duration is censored. Nothing shows an
    # early wear-off, nor that it lasted as expected: it is called cut short.
    return Verdict.CUT_SHORT


def _first_improved(improvement: DayValues, start_after: int) -> int | None:
    """First day of ONSET_RUN logged days at or above ONSET_IMPROVEMENT after start_after."""
    return _first_run_start(
        improvement, lambda v: v >= ONSET_IMPROVEMENT, ONSET_RUN, start_after=start_after
    )


def _benefit(
    improvement: DayValues, deadline: int, start_after: int
) -> tuple[int | None, int | None, float | None, int | None]:
    """(onset, peak day, peak, wear-off) of the first benefit starting after start_after.

    Onset: first day of ONSET_RUN logged days at or above ONSET_IMPROVEMENT, on or before
    `deadline`. Peak: largest improvement from the onset on, reached on the first day
    within PEAK_REACHED_FRACTION of it. Wear-off: first day after the largest improvement
    of WEAR_OFF_RUN logged days below max(half the peak, WEAR_OFF_FLOOR).
    """
    onset = _first_improved(improvement, start_after)
    if onset is None or onset > deadline:
        return None, None, None, None
    largest_day, peak = _peak(improvement, onset)
    reached = next(d for d, v in improvement if d >= onset and v >= PEAK_REACHED_FRACTION * peak)
    return onset, reached, peak, _wear_off_after(improvement, peak, largest_day)


def _wear_off_after(improvement: DayValues, peak: float, peak_day: int) -> int | None:
    """First day after ``peak_day`` of WEAR_OFF_RUN logged days below max(half the
    ``peak``, WEAR_OFF_FLOOR); None when the benefit is not seen to wear off."""
    threshold = max(WEAR_OFF_FRACTION_OF_PEAK * peak, WEAR_OFF_FLOOR)
    return _first_run_start(
        improvement, lambda v: v < threshold, WEAR_OFF_RUN, start_after=peak_day
    )


def _peak(improvement: DayValues, from_day: int) -> tuple[int | None, float | None]:
    """Day and size of the largest improvement on or after from_day (first if tied)."""
    best_day, best = None, None
    for day, value in improvement:
        if day >= from_day and (best is None or value > best):
            best_day, best = day, value
    return best_day, best


def _result(
    common: dict[str, object],
    verdict: Verdict,
    *,
    onset: int | None = None,
    peak_day: int | None = None,
    peak: float | None = None,
    wear_off: int | None = None,
    wear_off_between: tuple[int, int] | None = None,
    onset_between: tuple[int, int] | None = None,
    peak_between: tuple[int, int] | None = None,
) -> CycleResult:
    judged = verdict is not Verdict.INSUFFICIENT_DATA and verdict is not Verdict.NO_BASELINE
    if not judged and wear_off_between is None:
        onset = peak_day = peak = wear_off = None
    if not judged:
        wear_off = None  # an observed onset and peak stay; a wear-off day is not claimed
    duration = wear_off - onset if wear_off is not None and onset is not None else None
    # Re-injected before the benefit wore off; one that wore off in a gap did wear off.
    worn_off = wear_off is not None or wear_off_between is not None
    cut_short = not common["is_open"] and onset is not None and not worn_off
    return CycleResult(
        onset_day=onset,
        peak_day=peak_day,
        wear_off_day=wear_off,
        duration_days=duration,
        peak_improvement=peak,
        verdict=verdict,
        completed=wear_off is not None,
        cut_short=cut_short,
        wear_off_between=wear_off_between,
        onset_between=onset_between,
        peak_between=peak_between,
        **common,
    )


# --- Formatting ---


def span(*values: float) -> str:
    """Values joined by en dashes, as ranges are written in the app: 3–7–14."""
    return "\u2013".join(f"{v:g}" for v in values)
