"""The minimum interval between injection visits: pure date arithmetic, no Django.

One rule, read by the visit service when a visit is saved (a reason is required) and by
the visit pages when they show it (the "Early injection" badge):

- two visits come too soon when the later one is fewer than its own product's minimum
  interval (weeks of 7 days, for its indication) after the earlier one; a product with no
  minimum (daxibotulinumtoxinA) is never early;
- the earlier one is the patient's previous visit not entered in error, of ANY product;
  visits on the same date are one clinic session, not a reinjection;
- the pair's reason is stored once: on the later visit, or on the earlier one when that
  one was recorded late (after the later visit was already recorded without a reason).

Only dates and intervals are compared here: units are never read.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date


def comes_too_soon(gap_days: int, min_interval_weeks: int | None) -> bool:
    """Whether a visit ``gap_days`` after the previous one comes before the minimum
    interval of its product (``min_interval_weeks``; None: the product has none)."""
    return min_interval_weeks is not None and gap_days < min_interval_weeks * 7


@dataclass(frozen=True)
class SpacedVisit:
    """What the rule reads of one visit: an identifying ``key``, its date, the minimum
    interval of its product for its indication (weeks; None: none) and whether it carries
    a stored reason for an early injection."""

    key: int
    day: date
    min_interval_weeks: int | None
    has_reason: bool


def early_now(visits: Sequence[SpacedVisit]) -> set[int]:
    """The keys of the visits that are early by the visits as they stand.

    ``visits`` are the patient's visits not entered in error, oldest first (date, then
    recording order). A visit is early when it comes too soon after the previous date's
    visits, or when the first visit of the next date comes too soon after it and carries
    no reason of its own (the pair's reason was given on this one). These are the checks
    the visit service makes when a visit is saved, applied to the visits as they are now:
    a visit whose earlier visit was since marked entered in error, or moved, may no longer
    be early. Visits without a reason may be early too (the pair's reason is on the
    other visit); the caller decides what to show.
    """
    days = [visit.day for visit in visits]
    early: set[int] = set()
    for visit in visits:
        first_of_day = bisect_left(days, visit.day)
        after_day = bisect_right(days, visit.day)
        previous_day = days[first_of_day - 1] if first_of_day else None
        following = visits[after_day] if after_day < len(visits) else None
        if _too_soon_after(previous_day, visit) or _next_unexplained_too_soon(visit, following):
            early.add(visit.key)
    return early


def _too_soon_after(previous_day: date | None, visit: SpacedVisit) -> bool:
    """Whether ``visit`` comes too soon after the previous date's visits (if any)."""
    if previous_day is None:
        return False
    return comes_too_soon((visit.day - previous_day).days, visit.min_interval_weeks)


def _next_unexplained_too_soon(visit: SpacedVisit, following: SpacedVisit | None) -> bool:
    """Whether ``following`` (if any) comes too soon after ``visit`` with no reason of its
    own."""
    if following is None:
        return False
    gap = (following.day - visit.day).days
    return not following.has_reason and comes_too_soon(gap, following.min_interval_weeks)
