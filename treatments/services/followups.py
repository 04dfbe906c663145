"""Writing follow-ups: creating them from visits, booking, closing, and the notification scan.

Every write runs in ``transaction.atomic`` with ``full_clean()``; notifications are recorded
as deliveries in the same transaction and published after commit (clinic/notify.py), so a
request never waits on the broker and nothing is lost while it is down.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from clinic import notify
from clinic.models import CalendarFeedToken, Delivery, User
from patients.models import Patient
from patients.reminders import diary_reminders_due
from treatments.followups import (
    SUPERSEDED_PREFIX,
    DueWindow,
    is_before_min_interval,
    predicted_wear_off,
    reinjection_window,
    review_window,
    superseded_reason,
)
from treatments.models import CycleProfile, FollowUp, InjectionVisit
from treatments.selectors import followups as selectors
from treatments.selectors.visits import next_visit_date, visits_in_date_order

Kind = FollowUp.Kind
Status = FollowUp.Status
OPEN = (Status.DUE, Status.SCHEDULED)
ERROR_REASON = "The injection visit was entered in error"
# A booked follow-up not marked done this long after its time is marked missed.
MISSED_AFTER = timedelta(days=7)
# The nightly sweep creates missing follow-ups for visits this recent.
SWEEP_LOOKBACK_DAYS = 180
# Staff get their digest once the clinic's local time passes this hour.
DIGEST_HOUR = 7
# A booking a few minutes in the past is a slow form, not a backdated appointment.
BOOKING_GRACE = timedelta(minutes=15)
# Follow-ups fall weeks to months after a visit: a booking further ahead is a typing error
# (and the calendar's far end, year 9999, cannot be moved into another time zone).
BOOKING_HORIZON = timedelta(days=2 * 365)
KIND_PHRASES = {Kind.REVIEW: "review call", Kind.REINJECTION: "reinjection visit"}
VERDICT_PHRASES = {"early_wear_off": "early wear-off", "no_response": "no response"}


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


def followup_windows(visit: InjectionVisit) -> dict[str, DueWindow]:
    """The review and reinjection windows of ``visit`` from the catalog and the profile.

    The patient's profile counts only when it is of the visit's product and indication
    (a first Dysport visit after Botox gets Dysport's expected timeline, not Botox's
    median); the profile is recomputed after the visit and the sweep refreshes the window.
    """
    timeline = selectors.timeline_of(visit.product_id, visit.indication)
    profile = CycleProfile.objects.filter(patient_id=visit.patient_id).first()
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


@transaction.atomic
def followups_sync_for_visit(
    *, visit: InjectionVisit, moved_from: date | None = None
) -> list[FollowUp]:
    """Create or update the review and reinjection follow-ups of a visit.

    A visit entered in error cancels its open follow-ups. Otherwise windows are
    (re)computed; open follow-ups move with a corrected visit (a booked time stays booked).
    A later visit supersedes a visit's follow-ups (``superseded_by_later_visit``): they are
    closed as done with the later date as reason, born so when the visit is recorded after
    a later one, and this visit closes the earlier visits' follow-ups in the same way.

    A visit that leaves its place among the patient's visits (entered in error, or its date
    corrected: ``moved_from`` is the date before) changes which visit is the next of the
    others: every other visit of the patient (not in error) is synced again, so that one
    no longer superseded gets its follow-ups back, as if it had been recorded last.
    """
    # One patient's syncs take turns: each locks the patient's row first, then visits and
    # follow-ups (two corrections, or a correction and the sweep, locking those in opposite
    # orders deadlocked on PostgreSQL).
    Patient.objects.select_for_update().only("pk").get(pk=visit.patient_id)
    visit = InjectionVisit.objects.select_for_update().get(pk=visit.pk)
    result = _sync_visit(visit)
    if visit.entered_in_error or (moved_from is not None and moved_from != visit.date):
        others = visits_in_date_order(patient_id=visit.patient_id, exclude=visit)
        for other in others.select_for_update(of=("self",)):
            _sync_visit(other)
    return result


def _sync_visit(visit: InjectionVisit) -> list[FollowUp]:
    """The follow-ups of one (locked) visit, judged against the patient's visits as they
    are now."""
    existing = {f.kind: f for f in FollowUp.objects.select_for_update().filter(source_visit=visit)}
    if visit.entered_in_error:
        for followup in existing.values():
            if followup.status in OPEN or _missed_reinjection(followup):
                _close(followup, Status.CANCELLED, ERROR_REASON)
        return list(existing.values())

    later = next_visit_date(patient_id=visit.patient_id, after=visit.date)
    result = []
    for kind, window in followup_windows(visit).items():
        followup = existing.get(kind)
        if followup is None:
            followup = FollowUp(patient_id=visit.patient_id, source_visit=visit, kind=kind)
        result.append(followup)
        if _sync_followup(followup, window, later):  # else it keeps its history and `updated`
            followup.full_clean()
            followup.save()

    earlier_open = FollowUp.objects.select_for_update(of=("self",)).filter(
        selectors.STILL_OWED, patient_id=visit.patient_id, source_visit__date__lt=visit.date
    )
    for followup in earlier_open:
        if superseded_by_later_visit(followup):
            _close(followup, Status.DONE, superseded_reason(visit.date))
    _name_the_nearer_visit(visit)
    return result


def _name_the_nearer_visit(visit: InjectionVisit) -> None:
    """Earlier visits' follow-ups closed by a visit after this one were closed, in fact, by
    this one (recorded late, between the two): their reason names this visit's date."""
    closed_by_a_later_visit = FollowUp.objects.select_for_update(of=("self",)).filter(
        patient_id=visit.patient_id,
        status=Status.DONE,
        status_reason__startswith=SUPERSEDED_PREFIX,
        source_visit__date__lt=visit.date,
    )
    for followup in closed_by_a_later_visit:
        named = superseding_date(followup)
        if named is not None and named > visit.date:
            followup.status_reason = superseded_reason(visit.date)
            followup.full_clean()
            followup.save()


def _sync_followup(followup: FollowUp, window: DueWindow, later: date | None) -> bool:
    """Bring one follow-up (saved or new) in line with its window and the next visit's date
    (``later``, None when its visit is the latest); True when it needs saving.

    A follow-up an earlier sync closed as superseded is opened again and judged anew: it
    stays closed (naming the visit that supersedes it now) while a later visit remains,
    and is open again, as booked or due, when none does. Other closed ones stay as they are.
    """
    before = _state(followup) if followup.pk else None
    reopened = closed_as_superseded(followup)
    if followup.status == Status.CANCELLED and followup.status_reason == ERROR_REASON:
        followup.status, followup.status_reason = Status.DUE, ""
    elif reopened:
        _reopen(followup)
    elif followup.status not in OPEN and not _missed_reinjection(followup):
        return False
    superseded = later is not None and superseded_by_later_visit(followup)
    if not (reopened and superseded):  # a follow-up that stays closed keeps its window
        followup.due_from, followup.due_until = window.due_from, window.due_until
    if superseded:  # never opened (or left open) after a later visit
        followup.status, followup.status_reason = Status.DONE, superseded_reason(later)
        if followup.scheduled_at and not reopened:
            _drop_pending_notices(followup)
    return _state(followup) != before


def _missed_reinjection(followup: FollowUp) -> bool:
    """Still owed though its appointment was missed (``selectors.MISSED_REINJECTION``)."""
    return followup.status == Status.MISSED and followup.kind == Kind.REINJECTION


def _state(followup: FollowUp) -> tuple:
    return (followup.status, followup.status_reason, followup.due_from, followup.due_until)


def _reopen(followup: FollowUp) -> None:
    """Open a follow-up again (unsaved): booked when it has a time, else due."""
    followup.status = Status.SCHEDULED if followup.scheduled_at else Status.DUE
    followup.status_reason = ""


def _close(followup: FollowUp, status: str, reason: str) -> None:
    followup.status, followup.status_reason = status, reason[:300]
    followup.full_clean()
    followup.save()
    _drop_pending_notices(followup)


def _drop_pending_notices(followup: FollowUp) -> None:
    """Withdraw the booking notice and reminder of a closed follow-up not yet sent."""
    notify.drop_pending(kind=notify.APPOINTMENT_BOOKED, key_prefix=f"{followup.uuid}@")
    notify.drop_pending(kind=notify.APPOINTMENT_REMINDER, key_prefix=f"{followup.uuid}@")


# --- Booking and closing -------------------------------------------------------------------


def _on_care_team(followup: FollowUp, user: User) -> bool:
    return (
        user.role == User.Role.NEUROLOGIST
        and followup.patient.care_team.filter(pk=user.pk).exists()
    )


def appointment_key(followup: FollowUp) -> str:
    """The delivery key of one booking: the follow-up, its booked time (UTC, minutes) and
    which booking of it this is (``bookings``; 0, before it was counted, adds nothing)."""
    moment = followup.scheduled_at.astimezone(ZoneInfo("UTC"))
    key = f"{followup.uuid}@{moment:%Y%m%dT%H%MZ}"
    return f"{key}~{followup.bookings}" if followup.bookings else key


def appointment_phrase(followup: FollowUp, time_zone: str) -> str:
    """'reinjection visit on Tuesday 24 November 2026 at 10:30' in the patient's time zone."""
    try:
        zone = ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = timezone.get_current_timezone()
    moment = followup.scheduled_at.astimezone(zone)
    return f"{KIND_PHRASES[followup.kind]} on {moment:%A} {moment.day} {moment:%B %Y at %H:%M}"


def _check_booking_time(scheduled_at: datetime, now: datetime) -> None:
    """A booking is neither in the past (beyond BOOKING_GRACE) nor beyond BOOKING_HORIZON.

    Runs before anything converts ``scheduled_at`` to another time zone: a date at the
    calendar's end overflows there. The horizon's message names the form's "date" field.
    """
    if scheduled_at < now - BOOKING_GRACE:
        raise ValidationError("Choose a time that has not passed.")
    latest = timezone.localdate(now + BOOKING_HORIZON)
    # Moments compare safely across zones; the day after ``latest`` starts in the clinic's.
    if scheduled_at >= timezone.make_aware(datetime.combine(latest + timedelta(days=1), time())):
        raise ValidationError(
            {
                "date": f"Follow-ups are booked at most {BOOKING_HORIZON.days // 365} years "
                f"ahead: choose a date up to {latest:%d %b %Y}."
            }
        )


@transaction.atomic
def followup_schedule(
    *, followup: FollowUp, scheduled_at: datetime, actor: User, early_reason: str = ""
) -> FollowUp:
    """Book (or rebook) a follow-up at ``scheduled_at`` (aware) and tell the patient; a
    booking less than ``APPOINTMENT_REMINDER_BEFORE`` ahead gets no separate reminder.

    A reinjection before the product's minimum interval needs the treating neurologist's
    stored reason: a neurologist on the care team may give it with the booking; staff can
    book early only after one was stored (``followup_approve_early``). Raises
    ValidationError otherwise, for closed follow-ups, and for times in the past.
    """
    followup = (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("patient__user", "source_visit")
        .get(pk=followup.pk)
    )
    if followup.status not in (*OPEN, Status.MISSED):
        raise ValidationError("This follow-up is closed; it cannot be booked.")
    now = timezone.now()
    _check_booking_time(scheduled_at, now)
    visit = followup.source_visit
    day = timezone.localtime(scheduled_at).date()
    timeline = selectors.timeline_of(visit.product_id, visit.indication) if visit else None
    if (
        followup.kind == Kind.REINJECTION
        and visit is not None
        and is_before_min_interval(visit.date, timeline, day)
    ):
        reason = early_reason.strip()
        if reason and _on_care_team(followup, actor):
            followup.early_reason, followup.early_approved_by = reason, actor
        elif not (followup.early_reason and followup.early_approved_by_id):
            earliest = selectors.earliest_without_approval(followup, timeline)
            if actor.role == User.Role.NEUROLOGIST:
                raise ValidationError(
                    f"This is before the minimum interval (earliest {earliest:%d %b %Y}): "
                    "give the reason for reinjecting early."
                )
            raise ValidationError(
                f"This is before the minimum interval (earliest {earliest:%d %b %Y}). "
                "The treating neurologist must record a reason before it can be booked."
            )
    previous = appointment_key(followup) if followup.scheduled_at else None
    if followup.status != Status.SCHEDULED or followup.scheduled_at != scheduled_at:
        followup.bookings += 1  # a new booking, even at a time it had before
    followup.scheduled_at = scheduled_at
    followup.status, followup.status_reason = Status.SCHEDULED, ""
    followup.assignee = actor
    patient = followup.patient
    told = notify.reachable(patient.user)  # the booking notice is recorded for the patient
    # Booked inside the reminder's lead time, the notice (which names the day and time) is
    # the only message: the booking counts as reminded, so no reminder follows at once. A
    # patient the notice cannot reach is not reminded yet: should their account become
    # usable before the appointment, the reminder scan still tells them.
    soon = scheduled_at <= now + selectors.APPOINTMENT_REMINDER_BEFORE
    followup.reminder_sent_at = now if soon and told else None
    followup.full_clean()
    followup.save()
    if previous and previous != appointment_key(followup):
        notify.drop_pending(kind=notify.APPOINTMENT_BOOKED, key_prefix=previous)
        notify.drop_pending(kind=notify.APPOINTMENT_REMINDER, key_prefix=previous)
    if told:
        delivery_id = notify.queue_notification(
            recipient=patient.user,
            kind=notify.APPOINTMENT_BOOKED,
            key=appointment_key(followup),
            text=f"Your {appointment_phrase(followup, patient.time_zone)} is booked.",
        )
        notify.enqueue_on_commit([delivery_id])
    return followup


@transaction.atomic
def followup_approve_early(*, followup: FollowUp, neurologist: User, reason: str) -> FollowUp:
    """Store the treating neurologist's reason for a reinjection before the minimum interval."""
    followup = (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("patient")
        .get(pk=followup.pk)
    )
    if followup.kind != Kind.REINJECTION:
        raise ValidationError("Only a reinjection has a minimum interval.")
    if followup.status not in (*OPEN, Status.MISSED):
        raise ValidationError("This follow-up is closed.")
    if not _on_care_team(followup, neurologist):
        raise ValidationError("Only a neurologist on the patient's care team can give the reason.")
    if not reason.strip():
        raise ValidationError("Give the reason.")
    followup.early_reason, followup.early_approved_by = reason.strip(), neurologist
    followup.full_clean()
    followup.save()
    return followup


CLOSING_STATUSES = (Status.DONE, Status.MISSED, Status.CANCELLED)


@transaction.atomic
def followup_set_status(*, followup: FollowUp, status: str, reason: str, actor: User) -> FollowUp:
    """Mark a follow-up done, missed or cancelled; missed and cancelled need a reason."""
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    if status not in CLOSING_STATUSES:
        raise ValidationError("Choose done, missed or cancelled.")
    if followup.status in (Status.DONE, Status.CANCELLED):
        raise ValidationError("This follow-up is already closed.")
    if status != Status.DONE and not reason.strip():
        raise ValidationError("Give the reason.")
    _close(followup, status, reason.strip())
    return followup


# --- Sweeps and the notification scan -----------------------------------------------------


def followups_sweep(*, now: datetime) -> dict[str, int]:
    """Nightly: create missing follow-ups, close open ones a later visit superseded, reopen
    those closed by a visit that is gone (a re-sync after a correction that failed), move
    unbooked reinjections to a newer profile, and mark booked follow-ups missed a week
    after their time passed."""
    today = timezone.localdate(now)
    created = 0
    for visit in selectors.recent_visits_without_followups(today - timedelta(SWEEP_LOOKBACK_DAYS)):
        followups_sync_for_visit(visit=visit)
        created += 1
    superseded = 0
    for visit in selectors.visits_with_open_followups_and_a_later_visit():
        owed = FollowUp.objects.filter(selectors.STILL_OWED, source_visit=visit)
        before = owed.count()
        followups_sync_for_visit(visit=visit)
        superseded += before - owed.count()
    reopened = 0
    for visit in selectors.visits_with_followups_closed_by_a_visit_now_gone():
        followups_sync_for_visit(visit=visit)
        reopened += 1
    refreshed = 0
    stale = FollowUp.objects.filter(
        status=Status.DUE,
        kind=Kind.REINJECTION,
        source_visit__isnull=False,
        patient__cycle_profile__computed_at__gt=F("updated"),
    ).select_related("source_visit")
    for followup in stale:
        followups_sync_for_visit(visit=followup.source_visit)
        refreshed += 1
    missed = 0
    for followup in FollowUp.objects.filter(
        status=Status.SCHEDULED, scheduled_at__lt=now - MISSED_AFTER
    ):
        with transaction.atomic():
            _close(followup, Status.MISSED, "Not marked done within a week of the appointment")
        missed += 1
    return {
        "visits": created,
        "superseded": superseded,
        "reopened": reopened,
        "refreshed": refreshed,
        "missed": missed,
    }


def diary_reminders(now: datetime) -> list[notify.Pending]:
    link = reverse("patients:today")
    return [
        notify.Pending(
            recipient_id=due.user_id,
            kind=notify.DIARY_REMINDER,
            key=due.local_date.isoformat(),
            text="Time for today's diary: a minute to note how you are today.",
            link=link,
        )
        for due in diary_reminders_due(now)
    ]


def appointment_reminders(now: datetime) -> list[notify.Pending]:
    items = []
    for followup in selectors.appointments_needing_reminder(now):
        items.append(
            notify.Pending(
                recipient_id=followup.patient.user_id,
                kind=notify.APPOINTMENT_REMINDER,
                key=appointment_key(followup),
                text=f"Reminder: your {appointment_phrase(followup, followup.patient.time_zone)}.",
            )
        )
    return items


def staff_digests(now: datetime) -> list[notify.Pending]:
    """The morning digest for every active staff member, once the clinic's day has begun."""
    local = timezone.localtime(now)
    if local.hour < DIGEST_HOUR:
        return []
    counts = selectors.digest_counts(local.date())
    if not any(counts.values()):
        return []
    text = (
        f"Follow-ups: {counts['overdue']} overdue, "
        f"{counts['unscheduled']} due this week and not yet booked"
        + (f", {counts['missed']} missed reinjections to rebook." if counts["missed"] else ".")
    )
    link = reverse("treatments:followup_queue")
    return [
        notify.Pending(user.pk, notify.STAFF_DIGEST, local.date().isoformat(), text, link)
        for user in selectors.staff_recipients()
    ]


def cycle_alert_key(patient_uuid, injection_date: date, verdict: str) -> str:
    """The delivery key of a cycle alert: the patient's UUID first (``may_receive_cycle_alert``)."""
    return f"{patient_uuid}:{injection_date.isoformat()}:{verdict}"


def cycle_alerts(now: datetime) -> list[notify.Pending]:
    """An alert to each care-team neurologist, once per cycle and verdict."""
    items = []
    link = reverse("treatments:neurologist_home")
    for summary in selectors.cycles_to_alert(timezone.localdate(now)):
        patient = summary.patient
        text = (
            f"{patient.full_name}: the cycle after the injection of "
            f"{summary.injection_date:%d %b %Y} shows {VERDICT_PHRASES[summary.verdict]}."
        )
        key = cycle_alert_key(patient.uuid, summary.injection_date, summary.verdict)
        items.extend(
            notify.Pending(neurologist.pk, notify.CYCLE_ALERT, key, text, link, patient.uuid)
            for neurologist in patient.care_team.all()
        )
    return items


def notifications_scan(*, now: datetime) -> dict[str, int]:
    """Every minute: record what is due, then publish every pending delivery that needs it.

    Due times live in the database; this is the only clock. Offering an item twice is
    harmless (its key is unique), and a delivery whose task was never published (broker
    down) or was lost is published again here.
    """
    items = [
        *diary_reminders(now),
        *appointment_reminders(now),
        *staff_digests(now),
        *cycle_alerts(now),
    ]
    recorded = notify.queue_many(items)
    _stamp_reminders_sent(now)
    published = notify.enqueue_due(now)
    return {"offered": len(items), "recorded": recorded, "published": published}


def morning_digest(*, now: datetime) -> int:
    """The beat's 07:00 trigger for the digest (the scan also sends it if this is missed)."""
    recorded = notify.queue_many(staff_digests(now))
    notify.enqueue_due(now)
    return recorded


def _stamp_reminders_sent(now: datetime) -> None:
    """Copy a sent appointment reminder's time onto its follow-up (reminder_sent_at)."""
    waiting = {appointment_key(f): f for f in selectors.appointments_needing_reminder(now)}
    if not waiting:
        return
    sent = Delivery.objects.filter(
        kind=notify.APPOINTMENT_REMINDER, key__in=list(waiting), sent_at__isnull=False
    ).values_list("key", "sent_at")
    for key, sent_at in sent:
        FollowUp.objects.filter(pk=waiting[key].pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=sent_at
        )


# --- The staff calendar feed ---------------------------------------------------------------


@transaction.atomic
def calendar_token_create(*, user: User) -> str:
    """A new secret feed token for ``user`` (older ones are revoked); returned only once."""
    calendar_token_revoke(user=user)
    token = secrets.token_urlsafe(32)
    CalendarFeedToken.objects.create(user=user, token_hash=selectors.token_digest(token))
    return token


def calendar_token_revoke(*, user: User) -> int:
    """Revoke every active feed token of ``user``; returns how many were active."""
    return CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
