"""Follow-ups from injection visits: creating and updating them as visits are recorded,
corrected or marked in error, one review and one reinjection per clinic session.

Every write runs in ``transaction.atomic`` with ``full_clean()``; a closed follow-up's
pending notices are withdrawn (clinic/notify.py). treatments/services/followups.py (booking,
closing, the sweep) re-exports what others call.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from clinic import notify
from patients.models import Patient
from treatments.followups import (
    SUPERSEDED_PREFIX,
    DueWindow,
    Timeline,
    predicted_wear_off,
    reinjection_window,
    review_window,
    session_reinjection_window,
    session_review_window,
    superseded_reason,
)
from treatments.models import CycleProfile, FollowUp, InjectionVisit
from treatments.selectors import followups as selectors
from treatments.selectors.calendar import booking_called_off
from treatments.selectors.visits import next_visit_date, session_visits, visits_in_date_order
from treatments.services.booking_notices import record_booking_notice, reminded_at_booking

Kind = FollowUp.Kind
Status = FollowUp.Status
OPEN = (Status.DUE, Status.SCHEDULED)
ERROR_REASON = "The injection visit was entered in error"


def superseding_date(followup: FollowUp) -> date | None:
    """The date of the later visit that closed the follow-up (its reason names it:
    ``superseded_reason``), or None when it was not closed so."""
    reason = followup.status_reason
    if followup.status != Status.DONE or not reason.startswith(SUPERSEDED_PREFIX):
        return None
    try:
        return date.fromisoformat(reason.removeprefix(SUPERSEDED_PREFIX))
    except ValueError:
        return None


def closed_as_superseded(followup: FollowUp) -> bool:
    """Whether the follow-up was closed because a later visit superseded it."""
    return superseding_date(followup) is not None


def superseded_by_later_visit(followup: FollowUp) -> bool:
    """Whether a later injection visit closes this (new or open) follow-up of an earlier one.

    The later visit is the reinjection, booked or not. The patient was seen there, so it
    also takes the place of the earlier visit's review call while that call is only due;
    a booked call stays: the patient was told of it, and staff mark or cancel it.
    """
    if followup.kind == Kind.REINJECTION:
        return followup.status in OPEN or followup.status == Status.MISSED
    return followup.status == Status.DUE


# --- Follow-ups from injection visits -----------------------------------------------------
#
# One clinic session, the patient's visits on one date not entered in error (two
# indications, or two products, recorded as two visits), has ONE review and ONE reinjection
# follow-up. The rules, all here:
# - One visit of the session holds them (``source_visit``): the first recorded when they
#   are created; the other visits hold none. Their windows are computed from every visit of
#   the session (``session_followup_windows``: treatments/followups.py combines dates only).
# - A visit that leaves a session (entered in error, or its date corrected) hands the
#   follow-ups it holds to a remaining visit of that date (``_leave_session``), booking
#   included, and they are recomputed from the visits that remain; with none left, they are
#   cancelled (in error) or move with the visit (date corrected), as for a single visit.
#   A moved visit joins its new date's session, or starts its own.
# - Two follow-ups of one kind in a session (a visit moved onto a date that had its own,
#   a restored visit, data from before this rule): ``session_keeper`` keeps one (its rank:
#   booking, staff decision, due, superseded, sync-cancelled); the others are closed as
#   merged (MERGED_REASON) unless they hold a booking the patient was told of, which stays
#   open for staff to cancel (nothing booked disappears silently). The nightly sweep
#   re-syncs sessions of several visits with a follow-up owed (windows of the whole session).
# - A product with a longer minimum interval joining a session whose reinjection is booked
#   before that minimum (recorded after, moved onto it, merged by migration 0008): the
#   booking is neither moved nor dropped and the session is not split; the conflict is
#   shown (``selectors.followups.booked_before_minimum``) until staff rebook or the
#   neurologist gives a reason (one given against an earlier "not before" date no longer
#   counts: ``early_approval_counts``). The visit form's early check stays the last guard.
# - A booking a sync closed as superseded and opens again, still ahead, gets its notice
#   recorded again (same key: one already sent is not sent twice).
# - Superseding is by date, as before: a later session closes an earlier one's follow-ups.

MERGED_REASON = "Merged: one follow-up per clinic session (visits on the same date)"
# Closed by the sync itself, not by staff: opened again when the follow-up is needed.
SYNC_CANCELLATIONS = (ERROR_REASON, MERGED_REASON)


def _visit_windows(
    visit: InjectionVisit, timeline: Timeline | None, profile: CycleProfile | None
) -> dict[str, DueWindow]:
    """The review and reinjection windows of one visit (see ``followup_windows``)."""
    wear_off = None
    if profile is not None and profile.is_of(
        product_id=visit.product_id, indication=visit.indication
    ):
        wear_off = predicted_wear_off(
            visit.date,
            profile_injection_date=profile.last_injection_date,
            profile_predicted_wear_off=profile.predicted_wear_off,
            median_wear_off_day=profile.median_wear_off_day,
        )
    return {
        Kind.REVIEW: review_window(visit.date, timeline),
        Kind.REINJECTION: reinjection_window(visit.date, timeline, wear_off),
    }


def followup_windows(visit: InjectionVisit) -> dict[str, DueWindow]:
    """The review and reinjection windows of ``visit`` from the catalog and the profile.

    The patient's profile counts only when it is of the visit's product and indication
    (a first Dysport visit after Botox gets Dysport's expected timeline, not Botox's
    median); the profile is recomputed after the visit and the sweep refreshes the window.
    """
    return session_followup_windows([visit])


def session_followup_windows(visits: list[InjectionVisit]) -> dict[str, DueWindow]:
    """The windows of one session's follow-ups (visits of one patient on one date, at
    least one): each visit's own windows (``_visit_windows``) combined by
    ``session_review_window`` and ``session_reinjection_window`` (the reinjection never
    before any of the products' minimum intervals)."""
    profile = CycleProfile.objects.filter(patient_id=visits[0].patient_id).first()
    own = []
    for visit in visits:
        timeline = selectors.timeline_of(visit.product_id, visit.indication)
        own.append((timeline, _visit_windows(visit, timeline, profile)))
    return {
        Kind.REVIEW: session_review_window([w[Kind.REVIEW] for _, w in own]),
        Kind.REINJECTION: session_reinjection_window(
            visits[0].date, [(t, w[Kind.REINJECTION]) for t, w in own]
        ),
    }


@transaction.atomic
def followups_sync_for_visit(
    *, visit: InjectionVisit, moved_from: date | None = None
) -> list[FollowUp]:
    """Create or update the review and reinjection follow-ups of a visit's session (the
    patient's visits on its date: one of each for them all, see the rules above).

    A visit entered in error hands its follow-ups to the visits left on its date, or
    cancels the open ones when none is left. Otherwise windows are (re)computed; open
    follow-ups move with a corrected visit (a booked time stays booked). A later visit
    supersedes a visit's follow-ups (``superseded_by_later_visit``): they are closed as done
    with the later date as reason, born so when the visit is recorded after a later one,
    and this visit closes the earlier visits' follow-ups in the same way.

    A visit that leaves its place among the patient's visits (entered in error, or its date
    corrected: ``moved_from`` is the date before) changes which visit is the next of the
    others: every other session of the patient is synced again, so that one no longer
    superseded gets its follow-ups back, as if it had been recorded last.

    Returns the session's review and reinjection follow-ups (for a visit in error, those it
    kept: cancelled ones).
    """
    # One patient's syncs take turns: each locks the patient's row first, then visits and
    # follow-ups (two corrections, or a correction and the sweep, locking those in opposite
    # orders deadlocked on PostgreSQL).
    Patient.objects.select_for_update().only("pk").get(pk=visit.patient_id)
    visit = InjectionVisit.objects.select_for_update().get(pk=visit.pk)
    moved = moved_from is not None and moved_from != visit.date
    if visit.entered_in_error or moved:
        _leave_session(visit, moved_from if moved else visit.date)
    result = _sync_session(visit.patient_id, visit.date)
    if visit.entered_in_error:
        result = list(FollowUp.objects.filter(source_visit=visit))
    if visit.entered_in_error or moved:
        others = visits_in_date_order(patient_id=visit.patient_id, exclude=visit)
        days = sorted({other.date for other in others.select_for_update(of=("self",))})
        for day in days:
            if day != visit.date:
                _sync_session(visit.patient_id, day)
    return result


def _dead(followup: FollowUp) -> bool:
    """Cancelled by a sync (in error, or merged), not by staff."""
    return followup.status == Status.CANCELLED and followup.status_reason in SYNC_CANCELLATIONS


def _holds_a_booking(followup: FollowUp) -> bool:
    """Booked, or a missed reinjection, or booked and closed only while a later visit
    stands: the patient was told of an appointment, so it never disappears silently."""
    if followup.status == Status.SCHEDULED or _missed_reinjection(followup):
        return True
    return followup.scheduled_at is not None and closed_as_superseded(followup)


def _mergeable(duplicate: FollowUp) -> bool:
    """A duplicate holding no booking that a sync may close as merged (not yet so closed)."""
    if duplicate.status_reason == MERGED_REASON:
        return False
    return duplicate.status in OPEN or closed_as_superseded(duplicate) or _dead(duplicate)


def session_keeper(followups: list[FollowUp]) -> tuple[FollowUp | None, list[FollowUp]]:
    """The one follow-up of a kind a session keeps, and the others (duplicates).

    The one rule (``keeper_rank``; migration 0008 mirrors it), first created among equals:
    1. booked (the patient was told of it; also one a sync closed as superseded while
       booked, which opens booked again), then a missed reinjection (still owed, the
       patient was told of it): an appointment never gives way to a row without one;
    2. a staff decision: done, missed, or cancelled by staff (not closed by a sync): it
       stands for the session (a review call staff made is not due again);
    3. an open, due one;
    4. one a sync closed as superseded (opened again if no later visit stands);
    5. one a sync cancelled (in error, or merged): opened again when needed.
    A due duplicate of a kept missed reinjection is merged (``_sync_session``), so one
    reinjection per session stays owed.
    """
    ranked = sorted(followups, key=lambda f: (keeper_rank(f), f.created, f.pk))
    return (ranked[0], ranked[1:]) if ranked else (None, [])


def keeper_rank(followup: FollowUp) -> int:
    """The rank of ``session_keeper`` (lower keeps)."""
    if _holds_a_booking(followup):  # booked, booked and superseded, a missed reinjection
        return 1 if _missed_reinjection(followup) else 0
    if _dead(followup):
        return 5
    if closed_as_superseded(followup):
        return 4
    return 3 if followup.status == Status.DUE else 2


def _leave_session(visit: InjectionVisit, day: date) -> None:
    """The (locked) visit leaves the session of ``day``: entered in error, or moved from it.

    The follow-ups it holds (not those a sync cancelled) go to a remaining visit of that
    date that holds none of that kind, or whose one was cancelled by a sync (that one moves
    to this visit: one per visit and kind). When no visit remains, or each holds a live one
    of that kind, a visit in error cancels its open ones and a moved one keeps them.
    A visit moved to a later date keeps them too: its new session follows the one it left,
    so what that session owed (a booking the patient was told of) is owed after it; handed
    to the visits left behind, the moved visit would close it as superseded.
    """
    if not visit.entered_in_error and visit.date > day:
        return  # moved later: its session is now the patient's later one, and owes them
    remaining = list(
        session_visits(patient_id=visit.patient_id, day=day)
        .exclude(pk=visit.pk)
        .select_for_update(of=("self",))
    )
    own = list(FollowUp.objects.select_for_update(of=("self",)).filter(source_visit=visit))
    held = {
        (f.source_visit_id, f.kind): f
        for f in FollowUp.objects.select_for_update(of=("self",)).filter(source_visit__in=remaining)
    }
    for followup in own:
        if _dead(followup):
            continue
        free = [v for v in remaining if (v.pk, followup.kind) not in held]
        dead = [v for v in remaining if _dead(held.get((v.pk, followup.kind), followup))]
        target = (free or dead or [None])[0]
        if target is None:
            owed = followup.status in OPEN or _missed_reinjection(followup)
            if visit.entered_in_error and owed:
                _close(followup, Status.CANCELLED, ERROR_REASON)
            continue
        swapped = held.get((target.pk, followup.kind))
        if swapped is not None:  # the unique (visit, kind): free this visit's place first
            followup.source_visit = None
            followup.save(update_fields=["source_visit", "updated"])
            swapped.source_visit = visit
            swapped.save(update_fields=["source_visit", "updated"])
        followup.source_visit = target
        followup.full_clean()
        followup.save()
        held[(target.pk, followup.kind)] = followup


def _sync_session(patient_id: int, day: date) -> list[FollowUp]:
    """The follow-ups of one session (its visits locked here), judged against the
    patient's visits as they are now; [] when no visit of that date stands."""
    visits = list(session_visits(patient_id=patient_id, day=day).select_for_update(of=("self",)))
    if not visits:
        return []
    held: dict[str, list[FollowUp]] = {}
    for followup in FollowUp.objects.select_for_update(of=("self",)).filter(
        source_visit__in=visits
    ):
        held.setdefault(followup.kind, []).append(followup)
    later = next_visit_date(patient_id=patient_id, after=day)
    result = []
    for kind, window in session_followup_windows(visits).items():
        followup, duplicates = session_keeper(held.get(kind, []))
        if followup is None:
            followup = FollowUp(patient_id=patient_id, source_visit=visits[0], kind=kind)
        result.append(followup)
        if _sync_followup(followup, window, later):  # else it keeps its history and `updated`
            followup.full_clean()
            followup.save()
        for duplicate in duplicates:
            if _holds_a_booking(duplicate):  # left for staff; it follows the session's dates
                if _sync_followup(duplicate, window, later):
                    duplicate.full_clean()
                    duplicate.save()
            elif _mergeable(duplicate):
                _close(duplicate, Status.CANCELLED, MERGED_REASON)

    earlier_open = FollowUp.objects.select_for_update(of=("self",)).filter(
        selectors.STILL_OWED, patient_id=patient_id, source_visit__date__lt=day
    )
    for followup in earlier_open:
        if superseded_by_later_visit(followup):
            _mark_superseded(followup, day)
            followup.full_clean()
            followup.save()
            _drop_pending_notices(followup)
    _name_the_nearer_visit(patient_id, day)
    return result


def _name_the_nearer_visit(patient_id: int, day: date) -> None:
    """Earlier visits' follow-ups closed by a visit after ``day`` were closed, in fact, by
    the session of ``day`` (recorded late, between the two): their reason names that date."""
    closed_by_a_later_visit = FollowUp.objects.select_for_update(of=("self",)).filter(
        patient_id=patient_id,
        status=Status.DONE,
        status_reason__startswith=SUPERSEDED_PREFIX,
        source_visit__date__lt=day,
    )
    for followup in closed_by_a_later_visit:
        named = superseding_date(followup)
        if named is not None and named > day:
            followup.status_reason = superseded_reason(day)
            followup.full_clean()
            followup.save()


def _sync_followup(followup: FollowUp, window: DueWindow, later: date | None) -> bool:
    """Bring one follow-up (saved or new) in line with its window and the next visit's date
    (``later``, None when its visit is the latest); True when it needs saving.

    A follow-up an earlier sync closed as superseded is opened again and judged anew: it
    stays closed (naming the visit that supersedes it now) while a later visit remains,
    and is open again, as booked or due, when none does. One a sync cancelled (its visit in
    error, or merged) is due again. Other closed ones stay as they are.
    """
    before = _state(followup) if followup.pk else None
    was_called_off = _called_off(followup)
    reopened = closed_as_superseded(followup)
    if _dead(followup):
        followup.status, followup.status_reason = Status.DUE, ""
    elif reopened:
        _reopen(followup)
    elif followup.status not in OPEN and not _missed_reinjection(followup):
        return False
    superseded = later is not None and superseded_by_later_visit(followup)
    if not (reopened and superseded):  # a follow-up that stays closed keeps its window
        followup.due_from, followup.due_until = window.due_from, window.due_until
    if superseded:  # never opened (or left open) after a later visit
        _mark_superseded(followup, later)
        if followup.scheduled_at and not reopened:
            _drop_pending_notices(followup)
    elif reopened and followup.status == Status.SCHEDULED:
        _notify_reopened_booking(followup)
    if followup.status in OPEN:
        followup.closed_at = None
    _count_standing_again(followup, was_called_off)
    return _state(followup) != before


def _called_off(followup: FollowUp) -> bool:
    """Whether the follow-up holds a booking time that is called off (``booking_called_off``)."""
    return followup.scheduled_at is not None and booking_called_off(followup)


def _count_standing_again(followup: FollowUp, was_called_off: bool) -> None:
    """A booking that stands again without being booked anew (reopened, or marked done
    after it was called off) is counted (``stood_again``, unsaved): its calendar SEQUENCE
    rises rather than falls. Not ``bookings``: its notices' keys stay the same, so the
    patient is not told twice."""
    if was_called_off and not _called_off(followup):
        followup.stood_again += 1


def _notify_reopened_booking(followup: FollowUp) -> None:
    """A booking opened again whose time is still ahead: its notice, withdrawn when it was
    closed as superseded, is recorded again under the same key (``record_booking_notice``:
    one already sent is not sent twice)."""
    now = timezone.now()
    if followup.scheduled_at > now:
        record_booking_notice(followup)
        if followup.reminder_sent_at is None:  # inside 48 hours: the notice is the reminder
            followup.reminder_sent_at = reminded_at_booking(followup, now)


def _missed_reinjection(followup: FollowUp) -> bool:
    """Still owed though its appointment was missed (``selectors.MISSED_REINJECTION``)."""
    return followup.status == Status.MISSED and followup.kind == Kind.REINJECTION


def _state(followup: FollowUp) -> tuple:
    return (followup.status, followup.status_reason, followup.due_from, followup.due_until)


def _mark_superseded(followup: FollowUp, later: date) -> None:
    """Close a follow-up (unsaved) as done by the later visit of ``later``, remembering
    what it was (``status_before_superseded``) so that ``_reopen`` can restore it."""
    if not closed_as_superseded(followup):  # one closed so already keeps what it was
        followup.status_before_superseded = followup.status
        followup.reason_before_superseded = followup.status_reason
    if followup.closed_at is None:
        # Kept when it is closed already: one marked missed (``_reopen`` restores it as it
        # was), or one closed so before and judged anew (it stays closed since then).
        followup.closed_at = timezone.now() if followup.status in OPEN else followup.updated
    followup.status, followup.status_reason = Status.DONE, superseded_reason(later)


def _reopen(followup: FollowUp) -> None:
    """Open a follow-up closed as superseded again (unsaved), as it was before: booked,
    due, or a missed reinjection still to rebook (staff's mark stands). One closed before
    that was recorded: booked when it has a time, else due."""
    before = followup.status_before_superseded
    if before == Status.SCHEDULED and followup.scheduled_at is None:
        before = Status.DUE  # never booked without a time
    if before in (*OPEN, Status.MISSED):
        followup.status, followup.status_reason = before, followup.reason_before_superseded
    else:
        followup.status = Status.SCHEDULED if followup.scheduled_at else Status.DUE
        followup.status_reason = ""
    followup.status_before_superseded, followup.reason_before_superseded = "", ""


def _close(followup: FollowUp, status: str, reason: str) -> None:
    was_called_off = _called_off(followup)
    followup.status, followup.status_reason = status, reason[:300]
    followup.closed_at = timezone.now()
    _count_standing_again(followup, was_called_off)
    followup.full_clean()
    followup.save()
    _drop_pending_notices(followup)


def _drop_pending_notices(followup: FollowUp) -> None:
    """Withdraw the booking notice and reminder of a closed follow-up not yet sent."""
    notify.drop_pending(kind=notify.APPOINTMENT_BOOKED, key_prefix=f"{followup.uuid}@")
    notify.drop_pending(kind=notify.APPOINTMENT_REMINDER, key_prefix=f"{followup.uuid}@")
