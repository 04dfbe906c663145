"""When a follow-up is due: pure date arithmetic, no Django, no clock (the caller passes dates).

Conventions: the injection day is day 0; weeks are 7 days; a due window is an inclusive
range of calendar dates (``due_from`` .. ``due_until``).

- Review: a call around the expected peak of the product for its indication, i.e. from
  the low to the high end of the peak range (TIMELINE.md); 4 weeks when the catalog has no
  timeline. A window is at least a week long, so staff can reach the patient.
- Reinjection: due from the later of (a) the minimum reinjection interval and (b) the
  patient's predicted wear-off (their own profile; the product's typical duration when
  there is no profile), for two weeks. Never before the minimum interval; a timeline
  without a minimum (an administrator cleared it) applies none.
- One clinic session (a patient's visits on one date, e.g. Botox for blepharospasm and for
  cervical dystonia recorded as two visits) has ONE review and ONE reinjection follow-up;
  ``session_review_window`` and ``session_reinjection_window`` combine the visits' own
  windows (dates only: units of different products are never added or compared).

This records when the clinic expects to see the patient; it never suggests a dose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from treatments.cycles import REINJECTION_WINDOW_AFTER_DAYS

# A follow-up closed because a later visit took its place says so, naming that visit's date.
SUPERSEDED_PREFIX = "Reinjected on "


def superseded_reason(visit_date: date) -> str:
    return f"{SUPERSEDED_PREFIX}{visit_date.isoformat()}"


# No catalog timeline for the product and indication: review at the usual 4-week peak.
DEFAULT_REVIEW_WEEKS = 4
# No catalog timeline: assume the usual 12-week benefit (TIMELINE.md, most rows) ...
DEFAULT_DURATION_WEEKS = 12
# ... and the usual 12-week minimum interval (every row of TIMELINE.md that has one).
DEFAULT_MIN_INTERVAL_WEEKS = 12
# A review window shorter than a week leaves staff no room to reach the patient.
REVIEW_MIN_WINDOW_DAYS = 7
# The reinjection window stays open this long after it opens (the same scheduling slack
# as the patient's own suggested window in cycles.py).
REINJECTION_WINDOW_DAYS = REINJECTION_WINDOW_AFTER_DAYS


class Basis(StrEnum):
    """What a reinjection window's start was taken from."""

    PROFILE = "profile"  # the patient's own predicted wear-off
    PRODUCT = "product"  # the product's typical duration for the indication
    DEFAULT = "default"  # no catalog timeline: DEFAULT_DURATION_WEEKS
    MIN_INTERVAL = "min_interval"  # the minimum interval came later than the wear-off


@dataclass(frozen=True)
class Timeline:
    """What follow-ups need from a product's expected timeline (ProductTimeline).

    peak_weeks: (low, high) weeks after the injection.
    duration_weeks_typical: typical weeks from the injection until the benefit is gone.
    min_interval_weeks: minimum reinjection interval, None when the product has none.
    """

    peak_weeks: tuple[int, int]
    duration_weeks_typical: int
    min_interval_weeks: int | None

    def __post_init__(self) -> None:
        low, high = self.peak_weeks
        if low < 0 or high < low:
            raise ValueError("peak_weeks must be non-negative and ordered (low, high)")
        if self.duration_weeks_typical < 0:
            raise ValueError("duration_weeks_typical must be non-negative")
        if self.min_interval_weeks is not None and self.min_interval_weeks < 0:
            raise ValueError("min_interval_weeks must be non-negative or None")


@dataclass(frozen=True)
class DueWindow:
    """An inclusive range of dates in which a follow-up is due, and what set its start."""

    due_from: date
    due_until: date
    basis: Basis | None = None

    def __post_init__(self) -> None:
        if self.due_until < self.due_from:
            raise ValueError("due_until must not come before due_from")


def weeks_after(day: date, weeks: float) -> date:
    """The date ``weeks`` weeks after ``day`` (rounded to whole days)."""
    return day + timedelta(days=round(weeks * 7))


def min_interval_weeks_of(timeline: Timeline | None) -> int | None:
    """The minimum interval that applies: the catalog's, or the usual 12 weeks without one."""
    return DEFAULT_MIN_INTERVAL_WEEKS if timeline is None else timeline.min_interval_weeks


def earliest_reinjection(injection_date: date, timeline: Timeline | None) -> date | None:
    """First date a reinjection may be booked without a neurologist's reason (None: no limit)."""
    weeks = min_interval_weeks_of(timeline)
    return None if weeks is None else weeks_after(injection_date, weeks)


def is_before_min_interval(injection_date: date, timeline: Timeline | None, day: date) -> bool:
    """True when a reinjection on ``day`` would come before the minimum interval."""
    earliest = earliest_reinjection(injection_date, timeline)
    return earliest is not None and day < earliest


def review_window(injection_date: date, timeline: Timeline | None) -> DueWindow:
    """The review call: from the low to the high end of the expected peak (>= one week)."""
    low, high = (
        (DEFAULT_REVIEW_WEEKS, DEFAULT_REVIEW_WEEKS) if timeline is None else timeline.peak_weeks
    )
    start = weeks_after(injection_date, low)
    end = max(weeks_after(injection_date, high), start + timedelta(days=REVIEW_MIN_WINDOW_DAYS - 1))
    return DueWindow(start, end)


def predicted_wear_off(
    injection_date: date,
    *,
    profile_injection_date: date | None = None,
    profile_predicted_wear_off: date | None = None,
    median_wear_off_day: float | None = None,
) -> date | None:
    """The patient's own predicted wear-off for the injection of ``injection_date``.

    The profile's prediction when it is about this very injection (it may hold an observed
    wear-off); else injection + the patient's median wear-off day; else None.
    """
    if profile_injection_date == injection_date and profile_predicted_wear_off is not None:
        return profile_predicted_wear_off
    if median_wear_off_day is not None:
        return injection_date + timedelta(days=round(median_wear_off_day))
    return None


def reinjection_window(
    injection_date: date, timeline: Timeline | None, wear_off: date | None = None
) -> DueWindow:
    """The reinjection visit: from max(minimum interval, wear-off), for two weeks.

    ``wear_off`` is the patient's predicted wear-off (``predicted_wear_off``); without it
    the product's typical duration is used, and without a timeline DEFAULT_DURATION_WEEKS.
    The window never opens before the minimum interval, nor before the day after the
    injection.
    """
    if wear_off is not None:
        start, basis = wear_off, Basis.PROFILE
    elif timeline is not None:
        start, basis = weeks_after(injection_date, timeline.duration_weeks_typical), Basis.PRODUCT
    else:
        start, basis = weeks_after(injection_date, DEFAULT_DURATION_WEEKS), Basis.DEFAULT
    earliest = earliest_reinjection(injection_date, timeline)
    if earliest is not None and earliest > start:
        start, basis = earliest, Basis.MIN_INTERVAL
    start = max(start, injection_date + timedelta(days=1))
    return DueWindow(start, start + timedelta(days=REINJECTION_WINDOW_DAYS), basis)


# --- One clinic session: several visits of a patient on one date ----------------------------


def session_earliest_reinjection(
    injection_date: date, timelines: Sequence[Timeline | None]
) -> date | None:
    """First date the session may be reinjected without a neurologist's reason: the latest
    of its visits' own earliest dates (``earliest_reinjection``), so that every product's
    minimum interval is respected; None when no product of the session has a minimum."""
    dates = [d for d in (earliest_reinjection(injection_date, t) for t in timelines) if d]
    return max(dates, default=None)


def session_review_window(windows: Sequence[DueWindow]) -> DueWindow:
    """The one review call of a session, from its visits' review windows (at least one).

    From the latest window start to the latest window end: the call comes when every
    injection of the session has reached the start of its expected peak. The end is never
    before the start (the window with the latest start ends on or after it). One visit:
    its own window.
    """
    if not windows:
        raise ValueError("a session has at least one visit")
    return DueWindow(max(w.due_from for w in windows), max(w.due_until for w in windows))


def session_reinjection_window(
    injection_date: date, visits: Sequence[tuple[Timeline | None, DueWindow]]
) -> DueWindow:
    """The one reinjection of a session, from its visits' (timeline, reinjection window).

    The session is reinjected together, from the first of its visits' windows to open (the
    first effect predicted to wear off), raised to ``session_earliest_reinjection``: never
    before any product's minimum interval, so never earlier than any visit's own window
    would allow on that ground. It stays open REINJECTION_WINDOW_DAYS, as one visit's does
    (so ``due_until`` is never before ``due_from``). One visit: its own window.
    """
    if not visits:
        raise ValueError("a session has at least one visit")
    first = min((w for _, w in visits), key=lambda w: w.due_from)
    start, basis = first.due_from, first.basis
    earliest = session_earliest_reinjection(injection_date, [t for t, _ in visits])
    if earliest is not None and earliest > start:
        start, basis = earliest, Basis.MIN_INTERVAL
    return DueWindow(start, start + timedelta(days=REINJECTION_WINDOW_DAYS), basis)
