"""The minimum interval between injection visits: pure date arithmetic, no Django.

One rule, read by the visit service when a visit is saved (a reason is required) and by
the visit pages when they show it (the "Early injection" badge):

- two visits come too soon when the later one is fewer than its own product's minimum
  interval (weeks of 7 days, for its indication) after the earlier one; a timeline with no
  minimum (an administrator may clear it) is never early;
- the earlier one is the patient's previous visit not entered in error, of ANY product;
  visits on the same date are one clinic session, not a reinjection;
- the pair's reason is stored once: on the later visit, or on the earlier one when that
  one was recorded late (after the later visit was already recorded without a reason);
  a visit recorded late between two visits, early on both sides, has one reason written
  about both pairs;
- a reason explains the pair it was written about only (the other visit of that pair is
  stored with it): once a correction or a visit entered in error makes a new pair, what
  was written about the old one is history, not the new pair's reason. A visit entered
  in error whose session keeps another visit leaves the interval as it was: a reason
  written about it still holds. A reason stored before the pair was kept (none stored)
  counts for any pair, as it did.

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
    reason_pair: int | None = None
    # The next visit of a second pair the same reason was written about (a visit recorded
    # late between two visits, early on both sides); None: one pair only.
    next_pair: int | None = None

    def explains(self, others: set[int]) -> bool:
        """Whether this visit carries a reason written about a pair with one of ``others``
        (the keys of the other date's visits)."""
        if not self.has_reason:
            return False
        return self.reason_pair is None or bool({self.reason_pair, self.next_pair} & others)

    def reason_is_of(self, others: set[int]) -> bool:
        """Whether this visit's reason, if it has one, is about a pair with ``others``
        (without a reason: True, the caller shows nothing then)."""
        return not self.has_reason or self.explains(others)


def early_now(visits: Sequence[SpacedVisit], in_error: Sequence[tuple[int, date]] = ()) -> set[int]:
    """The keys of the visits that are early by the visits as they stand.

    ``visits`` are the patient's visits not entered in error, oldest first (date, then
    recording order). A visit is early when it comes too soon after the previous date's
    visits, or when the first visit of the next date comes too soon after it and carries
    no reason of its own (the pair's reason was given on this one). These are the checks
    the visit service makes when a visit is saved, applied to the visits as they are now:
    a visit whose earlier visit was since marked entered in error, or moved, may no longer
    be early. Visits without a reason may be early too (the pair's reason is on the
    other visit); the caller decides what to show.

    ``in_error`` (key, date) are the visits entered in error: a reason written about one
    of them still names its date's session, which holds while another visit of it stands.
    """
    days = [visit.day for visit in visits]
    keys_on: dict[date, set[int]] = {}
    for visit in visits:
        keys_on.setdefault(visit.day, set()).add(visit.key)
    for key, day in in_error:
        if day in keys_on:
            keys_on[day].add(key)
    early: set[int] = set()
    for visit in visits:
        first_of_day = bisect_left(days, visit.day)
        after_day = bisect_right(days, visit.day)
        previous_day = days[first_of_day - 1] if first_of_day else None
        following = visits[after_day] if after_day < len(visits) else None
        previous_keys = keys_on[previous_day] if previous_day is not None else set()
        next_keys = keys_on[following.day] if following is not None else set()
        if _too_soon_after(previous_day, visit, previous_keys) or _next_unexplained_too_soon(
            visit, following, keys_on[visit.day], next_keys
        ):
            early.add(visit.key)
    return early


def _too_soon_after(previous_day: date | None, visit: SpacedVisit, previous_keys: set[int]) -> bool:
    """Whether ``visit`` comes too soon after the previous date's visits (if any), its
    reason (if any) written about that pair."""
    if previous_day is None or not visit.reason_is_of(previous_keys):
        return False
    return comes_too_soon((visit.day - previous_day).days, visit.min_interval_weeks)


def _next_unexplained_too_soon(
    visit: SpacedVisit, following: SpacedVisit | None, day_keys: set[int], next_keys: set[int]
) -> bool:
    """Whether ``following`` (if any) comes too soon after ``visit`` (whose day's visits
    are ``day_keys``) with no reason of its own about this pair, ``visit``'s reason (if
    any) written about it (``next_keys``: the following date's visits)."""
    if following is None or following.explains(day_keys) or not visit.reason_is_of(next_keys):
        return False
    gap = (following.day - visit.day).days
    return comes_too_soon(gap, following.min_interval_weeks)
