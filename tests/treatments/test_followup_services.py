"""Follow-ups from injection visits, booking and closing (treatments/services/followups.py)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clinic import notify
from clinic.models import Delivery, Notification
from tests.treatments import followup_data as data
from treatments.models import CycleProfile, FollowUp, Indication
from treatments.selectors import followups as selectors
from treatments.services import followups as services
from treatments.services.booking_notices import moment_phrase
from treatments.signals import injection_visit_changed

pytestmark = pytest.mark.django_db
Status = FollowUp.Status


def at(day, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


@pytest.fixture
def today():
    return timezone.localdate()


def test_a_visit_gets_a_review_and_a_reinjection(patient_record, today):
    recorded = data.visit(patient_record, on=today)
    review, reinjection = data.review_of(recorded), data.reinjection_of(recorded)
    assert (review.due_from, review.due_until) == (today + timedelta(28), today + timedelta(42))
    assert (reinjection.due_from, reinjection.due_until) == (
        today + timedelta(84),
        today + timedelta(98),
    )
    assert {review.status, reinjection.status} == {Status.DUE}
    assert review.patient == reinjection.patient == patient_record


def test_the_signal_receiver_creates_the_follow_ups(patient_record, today):
    recorded = data.visit(patient_record, on=today, sync=False)
    assert not FollowUp.objects.filter(source_visit=recorded).exists()
    injection_visit_changed.send(sender=type(recorded), visit=recorded)
    assert FollowUp.objects.filter(source_visit=recorded).count() == 2


def test_syncing_twice_changes_nothing(patient_record, today):
    recorded = data.visit(patient_record, on=today)
    before = list(FollowUp.objects.values_list("pk", "due_from", "due_until", "status", "updated"))
    history = FollowUp.history.count()
    services.followups_sync_for_visit(visit=recorded)
    after = list(FollowUp.objects.values_list("pk", "due_from", "due_until", "status", "updated"))
    assert after == before
    assert FollowUp.history.count() == history


def botox_profile(patient, **fields) -> CycleProfile:
    """The stored profile of the patient's Botox (cervical dystonia) cycles."""
    return CycleProfile.objects.create(
        patient=patient, product=data.product(), indication=Indication.CERVICAL, **fields
    )


def test_a_profile_wearing_off_before_the_minimum_interval_waits_for_it(patient_record, today):
    botox_profile(patient_record, completed_cycles=3, median_wear_off_day=56)
    reinjection = data.reinjection_of(data.visit(patient_record, on=today))
    assert reinjection.due_from == today + timedelta(84)


def test_a_profile_lasting_longer_moves_the_reinjection(patient_record, today):
    botox_profile(patient_record, completed_cycles=3, median_wear_off_day=105)
    reinjection = data.reinjection_of(data.visit(patient_record, on=today))
    assert reinjection.due_from == today + timedelta(105)


def test_another_products_profile_does_not_move_the_reinjection(patient_record, today):
    # Botox lasted 105 days; the first Dysport visit gets Dysport's 14 weeks, not that.
    botox_profile(patient_record, completed_cycles=3, median_wear_off_day=105)
    dysport = data.product("fu-dysport", brand="Dysport", peak=(2, 4), duration=(12, 14, 16))
    reinjection = data.reinjection_of(data.visit(patient_record, on=today, toxin=dysport))
    assert reinjection.due_from == today + timedelta(98)
    # The same product for another indication: not Botox's cervical profile either.
    other = data.visit(patient_record, on=today + timedelta(1), indication=Indication.LIMB)
    assert data.reinjection_of(other).due_from == today + timedelta(1 + 84)


def test_the_product_and_indication_decide_the_windows(patient_record, today):
    dysport = data.product("fu-dysport", brand="Dysport", peak=(2, 4), duration=(12, 14, 16))
    recorded = data.visit(patient_record, on=today, toxin=dysport)
    assert data.review_of(recorded).due_from == today + timedelta(14)
    assert data.reinjection_of(recorded).due_from == today + timedelta(98)
    # The same product for an indication without a catalog row: the usual values.
    other = data.visit(
        patient_record, on=today + timedelta(1), toxin=dysport, indication=Indication.LIMB
    )
    assert data.review_of(other).due_from == today + timedelta(1 + 28)


def test_correcting_the_date_moves_open_follow_ups_and_keeps_the_booking(
    patient_record, staff, today
):
    recorded = data.visit(patient_record, on=today)
    review = data.review_of(recorded)
    booked_at = at(today + timedelta(30))
    services.followup_schedule(followup=review, scheduled_at=booked_at, actor=staff)
    recorded.date = today - timedelta(7)
    recorded.save()
    services.followups_sync_for_visit(visit=recorded)
    review.refresh_from_db()
    reinjection = data.reinjection_of(recorded)
    assert review.due_from == today + timedelta(21)
    assert (review.status, review.scheduled_at) == (Status.SCHEDULED, booked_at)
    assert reinjection.due_from == today + timedelta(77)


def test_a_visit_entered_in_error_cancels_its_follow_ups_and_can_be_restored(patient_record, today):
    recorded = data.visit(patient_record, on=today)
    recorded.entered_in_error = True
    recorded.save()
    services.followups_sync_for_visit(visit=recorded)
    statuses = set(FollowUp.objects.filter(source_visit=recorded).values_list("status", flat=True))
    assert statuses == {Status.CANCELLED}
    recorded.entered_in_error = False
    recorded.save()
    services.followups_sync_for_visit(visit=recorded)
    statuses = set(FollowUp.objects.filter(source_visit=recorded).values_list("status", flat=True))
    assert statuses == {Status.DUE}


def test_the_next_injection_closes_the_earlier_reinjection_and_review(patient_record, today):
    first = data.visit(patient_record, on=today - timedelta(90))
    assert data.review_of(first).status == Status.DUE  # overdue since day 42
    second = data.visit(patient_record, on=today)
    for closed in (data.reinjection_of(first), data.review_of(first)):
        assert (closed.status, closed.status_reason) == (
            Status.DONE,
            f"Reinjected on {today.isoformat()}",
        )
    assert {data.reinjection_of(second).status, data.review_of(second).status} == {Status.DUE}
    # The second visit was entered in error: the first visit's follow-ups are open again.
    second.entered_in_error = True
    second.save()
    services.followups_sync_for_visit(visit=second)
    assert {data.reinjection_of(first).status, data.review_of(first).status} == {Status.DUE}
    assert {data.reinjection_of(first).status_reason, data.review_of(first).status_reason} == {""}


def test_a_visit_recorded_late_is_born_superseded(patient_record, today):
    data.visit(patient_record, on=today - timedelta(10))
    old = data.visit(patient_record, on=today - timedelta(100))
    reason = f"Reinjected on {(today - timedelta(10)).isoformat()}"
    for followup in (data.reinjection_of(old), data.review_of(old)):
        assert (followup.status, followup.status_reason) == (Status.DONE, reason)
        # Created closed: never due, not even for a moment in its history.
        assert [h.status for h in followup.history.all()] == [Status.DONE]


def test_a_booked_review_call_stays_booked_after_the_next_injection(patient_record, staff, today):
    first = data.visit(patient_record, on=today - timedelta(20))
    review = data.review_of(first)
    booked_at = at(today + timedelta(10))
    services.followup_schedule(followup=review, scheduled_at=booked_at, actor=staff)
    data.visit(patient_record, on=today)
    review.refresh_from_db()
    assert (review.status, review.scheduled_at) == (Status.SCHEDULED, booked_at)
    assert Delivery.objects.filter(kind=notify.APPOINTMENT_BOOKED).count() == 1
    assert data.reinjection_of(first).status == Status.DONE


def test_a_visit_in_error_leaves_closed_what_a_yet_later_visit_supersedes(patient_record, today):
    first = data.visit(patient_record, on=today - timedelta(100))
    second = data.visit(patient_record, on=today - timedelta(50))
    third = data.visit(patient_record, on=today)
    second.entered_in_error = True
    second.save()
    services.followups_sync_for_visit(visit=second)
    for followup in (data.review_of(first), data.reinjection_of(first)):
        assert (followup.status, followup.status_reason) == (
            Status.DONE,
            f"Reinjected on {today.isoformat()}",
        )
    assert {data.review_of(third).status, data.reinjection_of(third).status} == {Status.DUE}


# --- The minimum-interval rule ---------------------------------------------------------------


@pytest.fixture
def early_case(patient_record, today):
    """A reinjection whose minimum interval ends in 30 days; the booking is in 10."""
    recorded = data.visit(patient_record, on=today - timedelta(84 - 30))
    return data.reinjection_of(recorded), at(today + timedelta(10))


def test_staff_cannot_book_before_the_minimum_interval_alone(early_case, staff):
    followup, early = early_case
    with pytest.raises(ValidationError, match="treating neurologist must record a reason"):
        services.followup_schedule(
            followup=followup, scheduled_at=early, actor=staff, early_reason="patient asked"
        )
    followup.refresh_from_db()
    assert (followup.status, followup.scheduled_at, followup.early_reason) == (Status.DUE, None, "")


def test_staff_can_book_on_the_first_allowed_day(early_case, staff, today):
    followup, _ = early_case
    booked = services.followup_schedule(
        followup=followup, scheduled_at=at(today + timedelta(30)), actor=staff
    )
    assert booked.status == Status.SCHEDULED


def test_the_treating_neurologist_books_early_with_a_stored_reason(
    early_case, treating_neurologist
):
    followup, early = early_case
    with pytest.raises(ValidationError, match="give the reason"):
        services.followup_schedule(
            followup=followup, scheduled_at=early, actor=treating_neurologist
        )
    booked = services.followup_schedule(
        followup=followup,
        scheduled_at=early,
        actor=treating_neurologist,
        early_reason=data.EARLY_REASON_MARKER,
    )
    assert booked.status == Status.SCHEDULED
    assert (booked.early_reason, booked.early_approved_by) == (
        data.EARLY_REASON_MARKER,
        treating_neurologist,
    )


def test_staff_can_book_early_once_the_neurologist_stored_the_reason(
    early_case, staff, treating_neurologist
):
    followup, early = early_case
    services.followup_approve_early(
        followup=followup, neurologist=treating_neurologist, reason="wears off at 8 weeks"
    )
    booked = services.followup_schedule(followup=followup, scheduled_at=early, actor=staff)
    assert booked.status == Status.SCHEDULED
    assert booked.early_approved_by == treating_neurologist


def test_only_a_neurologist_on_the_care_team_can_store_the_reason(
    early_case, other_neurologist, staff
):
    followup, _ = early_case
    for user in (other_neurologist, staff):
        with pytest.raises(ValidationError, match="care team"):
            services.followup_approve_early(followup=followup, neurologist=user, reason="x")
    followup.refresh_from_db()
    assert followup.early_approved_by is None


def test_a_review_has_no_minimum_interval(patient_record, staff, today):
    review = data.review_of(data.visit(patient_record, on=today))
    booked = services.followup_schedule(
        followup=review, scheduled_at=at(today + timedelta(2)), actor=staff
    )
    assert booked.status == Status.SCHEDULED


def test_a_product_without_a_minimum_can_be_booked_any_time(patient_record, staff, today):
    daxxify = data.product("fu-daxxify", brand="Daxxify", duration=(20, 24, 28), min_interval=None)
    reinjection = data.reinjection_of(data.visit(patient_record, on=today, toxin=daxxify))
    booked = services.followup_schedule(
        followup=reinjection, scheduled_at=at(today + timedelta(20)), actor=staff
    )
    assert booked.status == Status.SCHEDULED


def test_a_time_in_the_past_is_refused(patient_record, staff, today):
    review = data.review_of(data.visit(patient_record, on=today))
    with pytest.raises(ValidationError, match="not passed"):
        services.followup_schedule(
            followup=review, scheduled_at=at(today - timedelta(1)), actor=staff
        )


@pytest.mark.parametrize(
    ("booked", "field"),
    [("2026-03-09 15:00", "date"), ("2026-03-10 11:00", "time")],
)
def test_a_time_passed_is_refused_at_the_field_it_is_about(patient_record, staff, booked, field):
    """At noon: yesterday afternoon is the date's fault, eleven this morning the time's."""
    import time_machine

    with time_machine.travel("2026-03-10 12:00Z", tick=False):
        review = data.review_of(data.visit(patient_record, on=timezone.localdate()))
        when = timezone.make_aware(datetime.fromisoformat(booked))
        with pytest.raises(ValidationError) as refused:
            services.followup_schedule(followup=review, scheduled_at=when, actor=staff)
    assert refused.value.message_dict == {field: ["Choose a time that has not passed."]}


def test_a_time_beyond_the_booking_horizon_is_refused_at_the_date(patient_record, staff, today):
    review = data.review_of(data.visit(patient_record, on=today))
    latest = timezone.localdate(timezone.now() + services.BOOKING_HORIZON)
    with pytest.raises(ValidationError, match="at most 2 years ahead") as refused:
        services.followup_schedule(
            followup=review, scheduled_at=at(latest + timedelta(1), 0), actor=staff
        )
    assert list(refused.value.message_dict) == ["date"]
    review.refresh_from_db()
    assert review.scheduled_at is None
    booked = services.followup_schedule(followup=review, scheduled_at=at(latest, 23), actor=staff)
    assert booked.status == Status.SCHEDULED


# --- Booking tells the patient; closing and rebooking withdraw what is pending ----------------


def test_booking_records_a_notice_for_the_patient(patient_record, patient, staff, today):
    review = data.review_of(data.visit(patient_record, on=today))
    services.followup_schedule(followup=review, scheduled_at=at(today + timedelta(30)), actor=staff)
    delivery = Delivery.objects.get(recipient=patient, kind=notify.APPOINTMENT_BOOKED)
    assert delivery.key.startswith(f"{review.uuid}@")
    assert "review call" in delivery.text
    assert delivery.sent_at is None


def test_rebooking_replaces_the_pending_notice(patient_record, patient, staff, today):
    review = data.review_of(data.visit(patient_record, on=today))
    services.followup_schedule(followup=review, scheduled_at=at(today + timedelta(30)), actor=staff)
    services.followup_schedule(
        followup=review, scheduled_at=at(today + timedelta(31), 14), actor=staff
    )
    pending = Delivery.objects.filter(recipient=patient, kind=notify.APPOINTMENT_BOOKED)
    assert pending.count() == 1
    assert "14:00" in pending.get().text


def _send_pending_notices(patient) -> None:
    for pk in Delivery.objects.filter(recipient=patient, sent_at__isnull=True).values_list(
        "pk", flat=True
    ):
        notify.deliver(pk)


def test_rebooking_back_to_an_earlier_time_tells_the_patient_again(
    patient_record, patient, staff, today
):
    """Booked Tuesday 10:00 (told), moved to Wednesday 14:00 (told), moved back to Tuesday
    10:00: the patient's last message must not still say Wednesday."""
    review = data.review_of(data.visit(patient_record, on=today))
    first, second = at(today + timedelta(30)), at(today + timedelta(31), 14)
    for moment in (first, second, first):
        services.followup_schedule(followup=review, scheduled_at=moment, actor=staff)
        _send_pending_notices(patient)
    review.refresh_from_db()
    last = Notification.objects.filter(recipient=patient, kind=notify.APPOINTMENT_BOOKED).latest(
        "pk"
    )
    zone = patient_record.time_zone
    assert last.text == (
        f"Your review call is moved to {moment_phrase(first, zone)} "
        f"(it was on {moment_phrase(second, zone)})."
    )


def test_cancelling_withdraws_pending_notices_and_needs_a_reason(
    patient_record, patient, staff, today
):
    review = data.review_of(data.visit(patient_record, on=today))
    services.followup_schedule(followup=review, scheduled_at=at(today + timedelta(30)), actor=staff)
    with pytest.raises(ValidationError, match="reason"):
        services.followup_set_status(
            followup=review, status=Status.CANCELLED, reason=" ", actor=staff
        )
    services.followup_set_status(
        followup=review, status=Status.CANCELLED, reason="moved away", actor=staff
    )
    review.refresh_from_db()
    assert (review.status, review.status_reason) == (Status.CANCELLED, "moved away")
    assert not Delivery.objects.filter(recipient=patient).exists()
    with pytest.raises(ValidationError, match="closed"):
        services.followup_schedule(
            followup=review, scheduled_at=at(today + timedelta(30)), actor=staff
        )


def test_done_needs_no_reason_and_missed_can_be_rebooked(patient_record, staff, today):
    recorded = data.visit(patient_record, on=today)
    review, reinjection = data.review_of(recorded), data.reinjection_of(recorded)
    services.followup_set_status(followup=review, status=Status.DONE, reason="", actor=staff)
    services.followup_set_status(
        followup=reinjection, status=Status.MISSED, reason="did not come", actor=staff
    )
    rebooked = services.followup_schedule(
        followup=reinjection, scheduled_at=at(today + timedelta(90)), actor=staff
    )
    assert rebooked.status == Status.SCHEDULED
    with pytest.raises(ValidationError, match="done, missed or cancelled"):
        services.followup_set_status(followup=rebooked, status=Status.DUE, reason="", actor=staff)


def test_the_nightly_sweep_creates_missing_follow_ups_and_marks_missed(
    patient_record, other_patient_record, staff, today
):
    forgotten = data.visit(patient_record, on=today - timedelta(20), sync=False)
    booked = data.review_of(data.visit(other_patient_record, on=today - timedelta(60)))
    services.followup_schedule(followup=booked, scheduled_at=timezone.now(), actor=staff)
    result = services.followups_sweep(now=timezone.now() + timedelta(days=8))
    assert result["visits"] == 1
    assert FollowUp.objects.filter(source_visit=forgotten).count() == 2
    booked.refresh_from_db()
    assert booked.status == Status.MISSED
    assert result["missed"] == 1


def test_the_nightly_sweep_opens_no_review_call_for_a_cycle_already_reinjected(
    patient_record, today
):
    # seed_demo and the visit form sync only the visit they wrote; the sweep adds the rest.
    older = data.visit(patient_record, on=today - timedelta(150), sync=False)
    old = data.visit(patient_record, on=today - timedelta(70), sync=False)
    latest = data.visit(patient_record, on=today - timedelta(10))
    result = services.followups_sweep(now=timezone.now())
    assert result["visits"] == 2
    for followup in FollowUp.objects.filter(source_visit__in=(older, old)):
        assert followup.status == Status.DONE, (followup.kind, followup.source_visit.date)
    open_now = FollowUp.objects.filter(status__in=(Status.DUE, Status.SCHEDULED))
    assert set(open_now.values_list("source_visit", flat=True)) == {latest.pk}
    assert selectors.digest_counts(today)["overdue"] == 0


def test_the_nightly_sweep_closes_review_calls_left_open_by_an_earlier_version(
    patient_record, staff, today
):
    old = data.visit(patient_record, on=today - timedelta(100))
    booked = data.visit(patient_record, on=today - timedelta(30))
    services.followup_schedule(
        followup=data.review_of(booked), scheduled_at=at(today + timedelta(5)), actor=staff
    )
    data.visit(patient_record, on=today - timedelta(10))
    # As the demo clinic was before this rule: an overdue review call of a reinjected cycle.
    FollowUp.objects.filter(pk=data.review_of(old).pk).update(status=Status.DUE, status_reason="")
    assert selectors.digest_counts(today)["overdue"] == 1
    result = services.followups_sweep(now=timezone.now())
    assert result["superseded"] == 1
    assert data.review_of(old).status_reason == f"Reinjected on {today - timedelta(30):%Y-%m-%d}"
    assert data.review_of(booked).status == Status.SCHEDULED  # booked: left to staff
    assert selectors.digest_counts(today)["overdue"] == 0
    assert services.followups_sweep(now=timezone.now())["superseded"] == 0


def test_the_nightly_sweep_moves_unbooked_reinjections_to_a_newer_profile(patient_record, today):
    recorded = data.visit(patient_record, on=today)
    assert data.reinjection_of(recorded).due_from == today + timedelta(84)
    botox_profile(
        patient_record, median_wear_off_day=100, computed_at=timezone.now() + timedelta(seconds=5)
    )
    result = services.followups_sweep(now=timezone.now())
    assert result["refreshed"] == 1
    assert data.reinjection_of(recorded).due_from == today + timedelta(100)


def test_booking_the_same_time_again_tells_the_patient_once(patient_record, patient, staff, today):
    review = data.review_of(data.visit(patient_record, on=today))
    for _ in range(2):  # the form sent twice, unchanged
        services.followup_schedule(
            followup=review, scheduled_at=at(today + timedelta(30)), actor=staff
        )
        _send_pending_notices(patient)
    assert (
        Notification.objects.filter(recipient=patient, kind=notify.APPOINTMENT_BOOKED).count() == 1
    )
