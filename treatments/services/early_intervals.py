"""The minimum interval's check when a visit is saved (``treatments.intervals`` holds
the rule; ``treatments.services.visits`` asks for the reason): the visit's short
intervals after the previous visit and before the next one already recorded (a visit
recorded late between two visits can be early on both sides: one reason is written about
both), and whether a corrected visit's stored reason was written about them.

Only dates and intervals are compared: units are never read.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q
from django.template.defaultfilters import pluralize

from patients.models import Patient
from treatments.intervals import comes_too_soon
from treatments.models import InjectionVisit, ProductTimeline
from treatments.selectors.visits import (
    next_visit,
    previous_visit,
    session_visit_ids,
    session_visits,
    timeline_for,
)

if TYPE_CHECKING:
    from treatments.services.visits import VisitInput


Gap = tuple[str | None, InjectionVisit | None]
# What a message asks for: one short interval after the previous visit, one before the next.
_ASK_EARLY = "Give the reason for the early injection."
_ASK_SHORT = "Give the reason for the short interval."
_ASK_BOTH = "Give one reason for both short intervals."


EarlyGap = tuple[str, InjectionVisit, str]


def early_gaps(
    patient: Patient, visit: VisitInput, timeline: ProductTimeline, exclude: InjectionVisit | None
) -> list[EarlyGap]:
    """The visit's short intervals, each as (its sentence, the other visit of the pair,
    what to give for it alone): after the previous visit, and before the next visit
    already recorded (a visit recorded late between two visits can be early on both
    sides); none when it is not early."""
    gaps = (
        (*_gap_to_previous(patient, visit, timeline, exclude), _ASK_EARLY),
        (*_gap_to_next(patient, visit, exclude), _ASK_SHORT),
    )
    return [(sentence, pair, ask) for sentence, pair, ask in gaps if sentence and pair]


def early_message(gaps: Sequence[EarlyGap]) -> str | None:
    """The early reason's message: each short interval, then what to give; None: none."""
    if not gaps:
        return None
    ask = _ASK_BOTH if len(gaps) > 1 else gaps[0][2]
    return " ".join([*(sentence for sentence, _, _ in gaps), ask])


def _count(number: int, unit: str) -> str:
    """ "1 day", "2 days"."""
    return f"{number} {unit}{pluralize(number)}"


def _span(gap: int) -> str:
    """An interval as read aloud: "50 days (7 weeks 1 day)", "14 days (2 weeks)", "5 days"."""
    weeks, days = divmod(gap, 7)
    if not weeks:
        return _count(gap, "day")
    in_weeks = " ".join([_count(weeks, "week"), *([_count(days, "day")] if days else [])])
    return f"{_count(gap, 'day')} ({in_weeks})"


def _gap_to_previous(
    patient: Patient, visit: VisitInput, timeline: ProductTimeline, exclude: InjectionVisit | None
) -> Gap:
    weeks = timeline.min_interval_weeks
    previous = previous_visit(patient, before=visit.date, exclude=exclude)
    if previous is None:
        return None, None
    gap = (visit.date - previous.date).days
    if not comes_too_soon(gap, weeks) or _explained_by_earlier(previous, exclude):
        return None, None
    if _given_in_session(patient, visit.date, previous, exclude):
        return None, None
    return (
        f"This visit is {_span(gap)} after the previous one on {previous.date:%d %b %Y} "
        f"({previous.product.brand_name}); the minimum interval for "
        f"{visit.product.brand_name} is {weeks} weeks."
    ), previous


def _explained_by_earlier(previous: InjectionVisit, exclude: InjectionVisit | None) -> bool:
    """Whether the session of ``previous`` holds the reason written about its pair with the
    visit being corrected (``exclude``): the earlier visit was recorded late, and the
    pair's reason was given there. A new visit has no such reason yet; one stored before
    the pair was kept is not taken as written about a visit recorded after it."""
    if exclude is None:
        return False
    return (
        session_visits(patient_id=previous.patient_id, day=previous.date)
        .exclude(early_reason="")
        .filter(Q(early_reason_pair=exclude) | Q(early_reason_next_pair=exclude))
        .exists()
    )


def _given_in_session(
    patient: Patient, day: date, previous: InjectionVisit, exclude: InjectionVisit | None
) -> bool:
    """Whether another visit of the session on ``day`` (Botox for the neck, then for the
    eyelids, recorded as two visits) holds the reason for the same interval: written
    about a visit of ``previous``'s session, or stored before the pair was kept. One
    reason is asked per session, not per visit."""
    others = session_visits(patient_id=patient.pk, day=day).exclude(early_reason="")
    if exclude is not None and exclude.pk:
        others = others.exclude(pk=exclude.pk)
    previous_ids = session_visit_ids(patient_id=patient.pk, day=previous.date)
    return others.filter(
        Q(early_reason_pair__isnull=True) | Q(early_reason_pair__in=previous_ids)
    ).exists()


def _gap_to_next(patient: Patient, visit: VisitInput, exclude: InjectionVisit | None) -> Gap:
    following = next_visit(patient, after=visit.date, exclude=exclude)
    if following is None or _explains_pair_with(following, patient, visit.date, exclude):
        return None, None  # none, or its early injection is explained already
    timeline = timeline_for(following.product, following.indication)
    weeks = timeline.min_interval_weeks if timeline is not None else None
    gap = (following.date - visit.date).days
    if not comes_too_soon(gap, weeks):
        return None, None
    return (
        f"The visit already recorded on {following.date:%d %b %Y} "
        f"({following.product.brand_name}) comes {_span(gap)} after this one; the minimum "
        f"interval for {following.product.brand_name} is {weeks} weeks."
    ), following


def _explains_pair_with(
    following: InjectionVisit, patient: Patient, day: date, exclude: InjectionVisit | None
) -> bool:
    """Whether ``following``'s stored reason was written about a pair with the visit being
    saved on ``day``: that visit itself (``exclude``, corrected), or its session (the
    other visits on ``day``). A reason written about another pair (kept as history once
    that pair was undone) explains nothing new; one stored before the pair was kept
    (``early_reason_pair`` None) counts as it did."""
    if not following.early_reason:
        return False
    if following.early_reason_pair_id is None:
        return True
    pair_ids = _reason_pair_ids(following)
    if exclude is not None and exclude.pk in pair_ids:
        return True
    return bool(session_visit_ids(patient_id=patient.pk, day=day) & pair_ids)


def _reason_pair_ids(visit: InjectionVisit) -> set[int]:
    """The other visits of the pairs ``visit``'s stored early reason was written about."""
    return {pk for pk in (visit.early_reason_pair_id, visit.early_reason_next_pair_id) if pk}


def keeps_another_pairs_reason(
    visit: VisitInput, exclude: InjectionVisit | None, pairs: Sequence[InjectionVisit]
) -> bool:
    """Whether a corrected visit (``exclude``), early now with ``pairs`` (the other visit
    of each short interval), is sent with the reason it stored (the correction form shows
    it) while that reason was not written about each of them: it is history then, not
    this interval's reason. A reason stored before the pair was kept counts, as it did."""
    if exclude is None or not pairs or exclude.early_reason_pair_id is None:
        return False
    if visit.early_reason.strip() != exclude.early_reason.strip():
        return False
    stored = _reason_pair_ids(exclude)
    return any(not _pair_covered(pair, stored) for pair in pairs)


def _pair_covered(pair: InjectionVisit, stored: set[int]) -> bool:
    """Whether ``pair`` (or a visit of its session) is among the ``stored`` pair ids."""
    if pair.pk in stored:
        return True
    return bool(session_visit_ids(patient_id=pair.patient_id, day=pair.date) & stored)
