"""Writing follow-ups: booking, closing, the nightly sweep and the notification scan (creating
them from visits: treatments/services/followup_sync.py).

Every write runs in ``transaction.atomic`` with ``full_clean()``; notifications are recorded
as deliveries in the same transaction and published after commit (clinic/notify.py), so a
request never waits on the broker and nothing is lost while it is down.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from clinic import notify
from clinic.audit import Action, record_event
from clinic.models import CalendarFeedToken, Delivery, User
from patients.days import long_date
from patients.reminders import diary_reminder_key, diary_reminder_link, diary_reminders_due
from treatments.models import FollowUp
from treatments.selectors import followup_sweep as sweep_selectors
from treatments.selectors import followups as selectors
from treatments.selectors.calendar import token_digest
from treatments.selectors.day_list import closed_day_reason
from treatments.services.booking_notices import (  # callers import them from here
    KIND_PHRASES,
    appointment_key,
    appointment_phrase,
    patient_was_told,
    record_booking_notice,
    record_cancellation_notice,
    reminded_at_booking,
)
from treatments.services.followup_reopen import followup_reopen  # noqa: F401 (callers import it here)
from treatments.services.followup_sync import (
    OPEN,
    _close,
    followups_sync_for_visit,  # callers import it from here
)

Kind = FollowUp.Kind
Status = FollowUp.Status
# A booked follow-up not marked done this long after its time is marked missed.
MISSED_AFTER = timedelta(days=7)
# The nightly sweep creates missing follow-ups for visits this recent.
SWEEP_LOOKBACK_DAYS = 180
# Staff get their digest once the clinic's local time passes this hour.
DIGEST_HOUR = 7
# A booking a few minutes in the past is a slow form, not a backdated appointment.
BOOKING_GRACE = timedelta(minutes=15)
# Two bookings of one patient starting less than this apart overlap (a visit takes about
# half an hour; a review call less): the second is booked only once staff confirm it.
BOOKING_CLASH = timedelta(minutes=30)
# Follow-ups fall weeks to months after a visit: a booking further ahead is a typing error
# (and the calendar's far end, year 9999, cannot be moved into another time zone).
BOOKING_HORIZON = timedelta(days=2 * 365)
VERDICT_PHRASES = {"early_wear_off": "early wear-off", "no_response": "no response"}


# --- Booking and closing -------------------------------------------------------------------


def _on_care_team(followup: FollowUp, user: User) -> bool:
    return (
        user.role == User.Role.NEUROLOGIST
        and followup.patient.care_team.filter(pk=user.pk).exists()
    )


def _check_booking_time(scheduled_at: datetime, now: datetime) -> None:
    """A booking is neither in the past (beyond BOOKING_GRACE) nor beyond BOOKING_HORIZON.

    Runs before anything converts ``scheduled_at`` to another time zone: a date at the
    calendar's end overflows there. Each refusal names the form's field it is about: a day
    already over its "date", a time passed today its "time".
    """
    if scheduled_at < now - BOOKING_GRACE:
        passed_day = timezone.localtime(scheduled_at).date() < timezone.localdate(now)
        raise ValidationError(
            {"date" if passed_day else "time": "Choose a time that has not passed."}
        )
    latest = timezone.localdate(now + BOOKING_HORIZON)
    # Moments compare safely across zones; the day after ``latest`` starts in the clinic's.
    if scheduled_at >= timezone.make_aware(datetime.combine(latest + timedelta(days=1), time())):
        raise ValidationError(
            {
                "date": f"Follow-ups are booked at most {BOOKING_HORIZON.days // 365} years "
                f"ahead: choose a date up to {latest:%d %b %Y}."
            }
        )


class NeedsConfirmation(ValidationError):
    """A booking a real clinic may make but should not make by mistake (the patient is
    already booked then; outside the clinic's hours): refused, each reason keyed by the
    form's field, until the booking is sent again confirmed ("Book anyway")."""


def _booking_questions(followup: FollowUp, scheduled_at: datetime) -> dict[str, str]:
    """Why a booking at ``scheduled_at`` needs staff's confirmation, by the form's field:
    another booking of the same patient less than BOOKING_CLASH away ("time"), a day the
    clinic is closed ("date"; a ClosedDay, whatever its hours, or a weekday outside
    settings.CLINIC_DAYS) or a time outside its hours ("time"; settings.CLINIC_HOURS, the
    clinic's zone; no hours set, none asked)."""
    questions: dict[str, list[str]] = {}
    local = timezone.localtime(scheduled_at)
    other = (
        FollowUp.objects.filter(
            patient_id=followup.patient_id,
            status=Status.SCHEDULED,
            scheduled_at__gt=scheduled_at - BOOKING_CLASH,
            scheduled_at__lt=scheduled_at + BOOKING_CLASH,
        )
        .exclude(pk=followup.pk)
        .order_by("scheduled_at", "pk")
        .first()
    )
    if other is not None:
        when = timezone.localtime(other.scheduled_at)
        questions.setdefault("time", []).append(
            f"The patient is already booked at {when:%H:%M} that day ({KIND_PHRASES[other.kind]}). "
            "Choose another time, or tick “Book anyway” if both belong together."
        )
    closed = closed_day_reason(local.date())
    if closed is not None:
        questions.setdefault("date", []).append(
            f"The clinic is closed on {local.day} {local:%B %Y} ({closed}). "
            "Choose another day, or tick “Book anyway”."
        )
    hours = settings.CLINIC_HOURS
    if hours is not None and closed is None:
        if local.weekday() not in settings.CLINIC_DAYS:
            questions.setdefault("date", []).append(
                f"The clinic is closed on {local:%A}s. Choose another day, or tick “Book anyway”."
            )
        elif not hours[0] <= local.time() < hours[1]:
            questions.setdefault("time", []).append(
                f"{local:%H:%M} is outside the clinic's hours ({hours[0]:%H:%M}–"
                f"{hours[1]:%H:%M}). Choose another time, or tick “Book anyway”."
            )
    return {field: " ".join(texts) for field, texts in questions.items()}


class BookedMeanwhile(ValidationError):
    """A booking refused because the follow-up was booked (or moved) after the page that
    sent it was opened: the patient may just have been told that time."""


def _check_not_booked_meanwhile(
    followup: FollowUp, seen_bookings: int | None, *, doing: str = "moving"
) -> None:
    """Refuse when ``followup.bookings`` (locked) is not the count the form was opened with.

    ``None``: the caller saw nothing to compare (a script or an older page), no check.
    The message names the booking made meanwhile in the clinic's time zone, and who made it;
    ``doing`` is what the refused form would have done to it ("moving", "closing").
    """
    if seen_bookings is None or seen_bookings == followup.bookings:
        return
    if followup.scheduled_at is None:  # no booking stands to be named (or undone)
        return
    when = timezone.localtime(followup.scheduled_at)
    year = "" if when.year == timezone.localdate().year else f" {when.year}"
    by = f" by {followup.assignee}" if followup.assignee_id else ""
    raise BookedMeanwhile(
        f"Meanwhile this follow-up was booked for {when:%A} {when.day} {when:%B}{year} at "
        f"{when:%H:%M}{by}. Check with the patient before {doing} it."
    )


def _too_early_message(earliest: date, actor: User) -> str:
    """The refusal of a date before the minimum interval, answered at the form's date field:
    a neurologist may give the reason with the booking, staff need it stored first."""
    if actor.role == User.Role.NEUROLOGIST:
        return (
            f"This is before the minimum interval (earliest {earliest:%d %b %Y}): "
            "give the reason for reinjecting early."
        )
    return (
        f"This is before the minimum interval (earliest {earliest:%d %b %Y}). "
        "The treating neurologist must record a reason before it can be booked."
    )


@transaction.atomic
def followup_schedule(
    *,
    followup: FollowUp,
    scheduled_at: datetime,
    actor: User,
    early_reason: str = "",
    seen_bookings: int | None = None,
    confirmed: bool | None = None,
) -> FollowUp:
    """Book (or rebook) a follow-up at ``scheduled_at`` (aware) and tell the patient; a
    booking less than ``APPOINTMENT_REMINDER_BEFORE`` ahead gets no separate reminder.

    ``confirmed`` False (the form's "Book anyway" not ticked): a booking that overlaps
    another of the patient's, or falls outside the clinic's hours, is refused with
    NeedsConfirmation (``_booking_questions``), nothing saved or sent; True books it
    knowingly; ``None`` (a script, the demo) asks nothing.

    ``seen_bookings`` is the follow-up's ``bookings`` count on the page that sent the
    booking: when it was booked or moved since, nothing is saved or sent (BookedMeanwhile,
    naming that booking); ``None`` skips the check.

    A reinjection before the product's minimum interval needs the treating neurologist's
    stored reason: a neurologist on the care team may give it with the booking; staff can
    book early only after one was stored (``followup_approve_early``). Raises
    ValidationError otherwise (keyed by the form's "date" field), for closed follow-ups,
    and for times in the past (``_check_booking_time``).
    """
    followup = (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("patient__user", "source_visit", "assignee")
        .get(pk=followup.pk)
    )
    if followup.status not in (*OPEN, Status.MISSED):
        raise ValidationError("This follow-up is closed; it cannot be booked.")
    if followup.patient.left_care_on is not None:
        raise ValidationError(
            f"The patient is no longer under the clinic's care ({followup.patient.left_care_label}"
            "): record their return to care on their record before booking."
        )
    _check_not_booked_meanwhile(followup, seen_bookings)
    now = timezone.now()
    _check_booking_time(scheduled_at, now)
    day = timezone.localtime(scheduled_at).date()
    # Every product of the session: the latest of their minimum intervals holds.
    earliest = selectors.followup_earliest(followup)
    if earliest is not None and day < earliest:
        reason = early_reason.strip()
        if reason and _on_care_team(followup, actor):
            followup.early_reason, followup.early_approved_by = reason, actor
            followup.early_approved_for = earliest
        elif not (followup.early_reason and selectors.early_approval_counts(followup, earliest)):
            raise ValidationError({"date": _too_early_message(earliest, actor)})
    if confirmed is False:
        questions = _booking_questions(followup, scheduled_at)
        if questions:
            raise NeedsConfirmation(questions)
    previous = appointment_key(followup) if followup.scheduled_at else None
    moved_from = _told_booking_moved(followup, scheduled_at)
    if followup.status != Status.SCHEDULED or followup.scheduled_at != scheduled_at:
        followup.bookings += 1  # a new booking, even at a time it had before
    followup.scheduled_at = scheduled_at
    followup.status, followup.status_reason = Status.SCHEDULED, ""
    followup.closed_at = None
    followup.assignee = actor
    followup.reminder_sent_at = reminded_at_booking(followup, now)
    followup.full_clean()
    followup.save()
    if previous and previous != appointment_key(followup):
        notify.drop_pending(kind=notify.APPOINTMENT_BOOKED, key_prefix=previous)
        notify.drop_pending(kind=notify.APPOINTMENT_REMINDER, key_prefix=previous)
    record_booking_notice(followup, moved_from)  # for a patient it reaches (``notify.reachable``)
    return followup


def _told_booking_moved(followup: FollowUp, scheduled_at: datetime) -> datetime | None:
    """The time of the (locked, unsaved) follow-up's current booking when this booking
    moves it and the patient was told of it: their notice then says "moved", from when to
    when. None for a first booking, the same time, or one never announced."""
    if followup.status != Status.SCHEDULED or followup.scheduled_at in (None, scheduled_at):
        return None
    return followup.scheduled_at if patient_was_told(followup) else None


@transaction.atomic
def followup_approve_early(*, followup: FollowUp, neurologist: User, reason: str) -> FollowUp:
    """Store the treating neurologist's reason for a reinjection before the minimum interval.

    It counts for the session's "not before" date as it is now (``early_approved_for``; the
    visit's date when no product has a minimum): should a product with a longer minimum
    join the session later, a new reason is needed (``selectors.early_approval_counts``).
    """
    followup = (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("patient", "source_visit")
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
    visit = followup.source_visit
    followup.early_approved_for = selectors.followup_earliest(followup) or (
        visit.date if visit else None
    )
    followup.full_clean()
    followup.save()
    return followup


CLOSING_STATUSES = (Status.DONE, Status.MISSED, Status.CANCELLED)


@transaction.atomic
def followup_set_status(
    *,
    followup: FollowUp,
    status: str,
    reason: str,
    actor: User,
    seen_bookings: int | None = None,
) -> FollowUp:
    """Mark a follow-up done, missed or cancelled; missed and cancelled need a reason.

    A booking still ahead that is marked missed (the patient said they cannot come: the
    reinjection stays owed, to rebook) or cancelled is cancelled for the patient: when they
    were told of it, they are told so (``record_cancellation_notice``).

    ``seen_bookings`` is the follow-up's ``bookings`` count on the page that sent it: when
    it was booked or moved since (a colleague rebooked it with the patient), nothing is
    saved or sent (BookedMeanwhile, naming that booking); ``None`` skips the check."""
    followup = (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("patient__user")
        .get(pk=followup.pk)
    )
    if status not in CLOSING_STATUSES:
        raise ValidationError("Choose done, missed or cancelled.")
    if followup.status in (Status.DONE, Status.CANCELLED):
        raise ValidationError("This follow-up is already closed.")
    if status != Status.DONE and not reason.strip():
        raise ValidationError("Give the reason.")
    _check_not_booked_meanwhile(followup, seen_bookings, doing="closing")
    was_booked = followup.status == Status.SCHEDULED
    _close(followup, status, reason.strip())
    if was_booked and status != Status.DONE:
        record_cancellation_notice(followup)
    return followup


# --- Sweeps and the notification scan -----------------------------------------------------


def followups_sweep(*, now: datetime) -> dict[str, int]:
    """Nightly: create missing follow-ups, close open ones a later visit superseded, reopen
    those closed by a visit that is gone (a re-sync after a correction that failed), move
    unbooked reinjections to a newer profile, and mark booked follow-ups missed a week
    after their time passed.

    Sessions of two or more visits with a follow-up still owed are re-synced too (rare):
    their windows become the whole session's (rows migration 0008 kept had one visit's).
    A reinjection booked before a joining product's minimum stays booked; the queue, its
    page and the digest show the conflict (``selectors.booked_before_minimum``)."""
    today = timezone.localdate(now)
    since = today - timedelta(SWEEP_LOOKBACK_DAYS)
    created = 0
    sessions = set()  # the visits of one session share its follow-ups: synced once
    for visit in sweep_selectors.recent_visits_without_followups(since):
        if (visit.patient_id, visit.date) not in sessions:
            sessions.add((visit.patient_id, visit.date))
            followups_sync_for_visit(visit=visit)
            created += 1
    resynced = 0
    for visit in sweep_selectors.shared_sessions_with_owed_followups(since):
        if (visit.patient_id, visit.date) not in sessions:
            sessions.add((visit.patient_id, visit.date))
            followups_sync_for_visit(visit=visit)
            resynced += 1
    superseded = 0
    for visit in sweep_selectors.visits_with_open_followups_and_a_later_visit():
        owed = FollowUp.objects.filter(selectors.STILL_OWED, source_visit=visit)
        before = owed.count()
        followups_sync_for_visit(visit=visit)
        superseded += before - owed.count()
    reopened = 0
    for visit in sweep_selectors.visits_with_followups_closed_by_a_visit_now_gone():
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
        "resynced": resynced,
        "reopened": reopened,
        "refreshed": refreshed,
        "missed": missed,
    }


def diary_reminder_text(local_date: date) -> str:
    """The inbox line of a diary reminder: the day it asks about, named (it may be read a
    later day), and no health data."""
    return f"Time for your diary for {long_date(local_date)}: a minute to note how the day went."


def diary_reminders(now: datetime) -> list[notify.Pending]:
    return [
        notify.Pending(
            recipient_id=due.user_id,
            kind=notify.DIARY_REMINDER,
            key=diary_reminder_key(due.local_date),
            text=diary_reminder_text(due.local_date),
            link=diary_reminder_link(due.local_date),
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


def _without_neurologist_sentence(count: int) -> str:
    """The digest's word on patients left without an active neurologist (a count only)."""
    if not count:
        return ""
    has = "patient has" if count == 1 else "patients have"
    return f" {count} {has} no active neurologist (see Patients)."


def staff_digests(now: datetime) -> list[notify.Pending]:
    """The morning digest for every active staff member, once the clinic's day has begun."""
    local = timezone.localtime(now)
    if local.hour < DIGEST_HOUR:
        return []
    waiting = selectors.staff_awaiting_digest(local.date())
    if not waiting:  # each has today's already: nothing to count
        return []
    counts = selectors.digest_counts(local.date())
    if not any(counts.values()):
        return []
    text = (
        f"Follow-ups: {counts['overdue']} overdue, "
        f"{counts['unscheduled']} due this week and not yet booked"
        + (f", {counts['missed']} missed reinjections to rebook" if counts["missed"] else "")
        + (
            f", {counts['booked_early']} reinjections booked before the minimum interval "
            "to rebook or have a reason recorded"
            if counts["booked_early"]
            else ""
        )
        + "."
        + _without_neurologist_sentence(counts["without_neurologist"])
    )
    link = reverse("treatments:followup_queue")
    return [
        notify.Pending(user.pk, notify.STAFF_DIGEST, local.date().isoformat(), text, link)
        for user in waiting
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
def calendar_token_create(*, user: User, request: HttpRequest | None = None) -> str:
    """A new secret feed token for ``user`` (older ones are revoked); returned only once.
    Made and revoked addresses are audit events (``create``/``update`` of the feed row, by
    ``user`` from ``request``'s address), in the same transaction; never the token."""
    calendar_token_revoke(user=user, request=request)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeedToken.objects.create(user=user, token_hash=token_digest(token))
    record_event(request=request, action=Action.CREATE, actor=user, obj=feed)
    return token


@transaction.atomic
def calendar_token_revoke(*, user: User, request: HttpRequest | None = None) -> int:
    """Revoke every active feed token of ``user``, an ``update`` audit event each; returns
    how many were active."""
    active = list(
        CalendarFeedToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
    )
    CalendarFeedToken.revoke_all_of(user.pk)
    for feed in active:
        record_event(request=request, action=Action.UPDATE, actor=user, obj=feed)
    return len(active)
