"""Review g2: failing tests for defects found in the follow-up sessions and small fixes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from clinic import notify
from clinic.models import Delivery
from tests.treatments import followup_data as data
from tests.treatments.followup_data import at
from treatments.models import FollowUp
from treatments.services import followups as services
from treatments.services.visits import visit_mark_entered_in_error

pytestmark = pytest.mark.django_db
Status = FollowUp.Status


def test_a_reinjection_staff_marked_missed_is_not_reopened_as_booked_and_announced(
    patient_record, staff, treating_neurologist, published
):
    """Staff marked a future booking missed (the patient said they cannot come); a later
    visit then closed it as superseded and was entered in error. The follow-up must be
    owed again as it was (missed, to rebook), not booked again at the time the patient
    cancelled, and the patient must not be told that time is booked."""
    day = timezone.localdate() - timedelta(100)
    reinjection = data.reinjection_of(data.visit(patient_record, on=day))
    services.followup_schedule(
        followup=reinjection, scheduled_at=at(timezone.localdate() + timedelta(20)), actor=staff
    )
    services.followup_set_status(
        followup=reinjection, status=Status.MISSED, reason="Patient cannot come", actor=staff
    )
    notices = Delivery.objects.filter(
        kind=notify.APPOINTMENT_BOOKED, key__startswith=f"{reinjection.uuid}@"
    )
    assert not notices.exists()  # the unsent notice was withdrawn with the missed mark
    later = data.visit(patient_record, on=timezone.localdate() - timedelta(1))
    reinjection.refresh_from_db()
    assert reinjection.status == Status.DONE  # superseded by the later visit
    visit_mark_entered_in_error(visit=later, user=treating_neurologist, reason="Wrong patient")
    services.followups_sync_for_visit(visit=later)
    reinjection.refresh_from_db()
    assert reinjection.status == Status.MISSED
    assert not notices.exists()


def test_moving_one_visit_of_a_session_a_day_later_keeps_the_sessions_booking_owed(
    patient_record, staff
):
    """Two products given on one date share one reinjection, booked. A date correction
    moves the visit that holds it one day later: the booking is handed to the visit left on
    the date, whose session the moved visit now follows. The appointment the patient was
    told of must stay booked (or at least owed) for staff; it must not be closed as
    "Reinjected on" the moved visit's date, which is not a reinjection of that session."""
    day = timezone.localdate() - timedelta(30)
    first = data.visit(patient_record, on=day)
    data.visit(
        patient_record,
        on=day,
        toxin=data.product("fu-other", brand="Otherbrand", duration=(8, 10, 12), min_interval=12),
    )
    reinjection = data.reinjection_of(first)
    booked_at = at(day + timedelta(weeks=13))
    services.followup_schedule(followup=reinjection, scheduled_at=booked_at, actor=staff)
    previous, first.date = first.date, day + timedelta(1)
    first.save()
    services.followups_sync_for_visit(visit=first, moved_from=previous)
    reinjection.refresh_from_db()
    assert (reinjection.status, reinjection.scheduled_at) == (Status.SCHEDULED, booked_at), (
        reinjection.status,
        reinjection.status_reason,
    )
