"""A patient who leaves the clinic's care: discharged, moved away, transferred, or died.

The desk records it on the patient's record (treatments:patient_leave_care). From then on
the queue, the morning digest and the reminders leave them out; their open follow-ups are
cancelled (a patient who died is sent nothing: the family may read that inbox); the record,
its visits and its diary stay. Returning to care clears the mark.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from clinic import notify
from clinic.models import Delivery
from patients.models import Patient
from tests.treatments import followup_data as data
from treatments.models import FollowUp, InjectionVisit
from treatments.selectors import followups as selectors
from treatments.services import followups as services

pytestmark = pytest.mark.django_db
QUEUE = reverse("treatments:followup_queue")
EVENING = datetime(2026, 3, 10, 19, 5, tzinfo=UTC)  # a Tuesday


def url(patient: Patient) -> str:
    return reverse("treatments:patient_leave_care", kwargs={"patient_uuid": patient.uuid})


@pytest.fixture
def frozen():
    with time_machine.travel(EVENING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def owed(frozen, patient_record):
    """A reinjection due now (a visit 12 weeks ago) and its review call."""
    recorded = data.visit(patient_record, on=timezone.localdate() - timedelta(84))
    return data.reinjection_of(recorded)


def book_and_tell(followup: FollowUp, staff) -> None:
    """Book ``followup`` a week ahead and deliver its booking notice to the patient."""
    services.followup_schedule(
        followup=followup, scheduled_at=data.at(timezone.localdate() + timedelta(7)), actor=staff
    )
    notices = Delivery.objects.filter(kind=notify.APPOINTMENT_BOOKED, sent_at=None)
    assert notices.exists()
    for delivery in notices:
        assert notify.deliver(delivery.pk)


def queue_html(client, user, **params) -> str:
    client.force_login(user)
    response = client.get(QUEUE, params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("patient", 403),
        ("admin", 403),
        ("other_neurologist", 404),
        ("treating_neurologist", 302),
        ("staff", 302),
    ],
    indirect=["persona"],
)
def test_who_may_record_that_a_patient_left(client, persona, status, patient_record, frozen):
    client.force_login(persona)
    response = client.post(url(patient_record), {"reason": "discharged", "left_on": "2026-03-09"})
    assert response.status_code == status


def test_the_page_offers_the_form_and_refuses_a_date_ahead(client, staff, patient_record, frozen):
    client.force_login(staff)
    page = client.get(url(patient_record))
    assert page.status_code == 200
    assert 'name="reason"' in page.content.decode()
    refused = client.post(url(patient_record), {"reason": "died", "left_on": "2026-03-20"})
    assert refused.status_code == 200
    assert "has not come yet" in refused.content.decode()
    patient_record.refresh_from_db()
    assert patient_record.left_care_on is None


def test_a_patient_who_died_leaves_the_queue_and_is_sent_nothing(
    client, staff, patient, patient_record, owed, published
):
    book_and_tell(owed, staff)
    assert patient_record.full_name in queue_html(client, staff, show="scheduled")

    response = client.post(url(patient_record), {"reason": "died", "left_on": "2026-03-09"})
    assert response.status_code == 302

    patient_record.refresh_from_db()
    assert patient_record.left_care_reason == "died"
    assert str(patient_record.left_care_on) == "2026-03-09"
    # The record and its visits are kept; nothing is owed any more.
    assert InjectionVisit.objects.filter(patient=patient_record).exists()
    assert not FollowUp.objects.filter(selectors.STILL_OWED, patient=patient_record).exists()
    assert not Delivery.objects.filter(recipient=patient, kind=notify.APPOINTMENT_CANCELLED)
    for show in ("week", "overdue", "unscheduled", "scheduled", "missed"):
        assert patient_record.full_name not in queue_html(client, staff, show=show)
    # No diary reminder either, though the account is still on.
    services.notifications_scan(now=timezone.now())
    assert not Delivery.objects.filter(recipient=patient, kind=notify.DIARY_REMINDER).exists()
    # The record says so where staff look.
    record = client.get(
        reverse("patients:patient_edit", kwargs={"patient_uuid": patient_record.uuid})
    )
    assert "Died on 9 Mar 2026" in record.content.decode()
    listing = client.get(reverse("patients:patient_list")).content.decode()
    assert "Died on 9 Mar 2026" in listing


def test_a_patient_who_moved_away_is_told_their_booking_is_cancelled(
    client, staff, patient, patient_record, owed, published
):
    book_and_tell(owed, staff)
    client.force_login(staff)
    client.post(url(patient_record), {"reason": "moved_away", "left_on": "2026-03-10"})
    cancelled = Delivery.objects.get(recipient=patient, kind=notify.APPOINTMENT_CANCELLED)
    assert "is cancelled" in cancelled.text
    owed.refresh_from_db()
    assert owed.status == FollowUp.Status.CANCELLED
    assert "Moved away" in owed.status_reason


def test_a_visit_recorded_late_for_a_patient_who_left_puts_nothing_in_the_queue(
    client, staff, patient_record, frozen
):
    client.force_login(staff)
    client.post(url(patient_record), {"reason": "transferred", "left_on": "2026-03-10"})
    data.visit(patient_record, on=timezone.localdate() - timedelta(84))
    services.followups_sweep(now=timezone.now())
    assert patient_record.full_name not in queue_html(client, staff, show="overdue")
    assert patient_record.full_name not in queue_html(client, staff, show="unscheduled")
    assert selectors.digest_counts(timezone.localdate())["overdue"] == 0


def test_a_patient_back_in_care_gets_reminders_again(
    client, staff, patient, patient_record, frozen
):
    client.force_login(staff)
    client.post(url(patient_record), {"reason": "moved_away", "left_on": "2026-03-01"})
    client.post(url(patient_record), {"reason": "", "left_on": ""})
    patient_record.refresh_from_db()
    assert patient_record.left_care_on is None and patient_record.left_care_reason == ""
    services.notifications_scan(now=timezone.now())
    assert Delivery.objects.filter(recipient=patient, kind=notify.DIARY_REMINDER).exists()


def test_no_cycle_alert_reaches_the_neurologist_once_the_patient_left(
    client, staff, patient_record, treating_neurologist, frozen, published
):
    """An early wear-off alert asks the neurologist to act: for a patient who died or
    left, there is nothing to act on (their chart still shows the cycle)."""
    from treatments.models import CycleSummary

    client.force_login(staff)
    client.post(url(patient_record), {"reason": "died", "left_on": "2026-03-09"})
    CycleSummary.objects.create(
        patient=patient_record,
        injection_date=timezone.localdate() - timedelta(days=60),
        end_date=timezone.localdate(),
        coverage=0.8,
        verdict="early_wear_off",
        computed_at=timezone.now(),
    )
    services.notifications_scan(now=timezone.now())
    assert not Delivery.objects.filter(kind=notify.CYCLE_ALERT).exists()


def test_a_date_before_the_patients_last_visit_is_refused_next_to_the_date(
    client, staff, patient_record, owed
):
    """Left on 1 January but injected on 16 December... and 10 weeks later: a typing error
    (a year, a month), not a date to cancel follow-ups by."""
    last_visit = owed.source_visit.date
    client.force_login(staff)
    before = (last_visit - timedelta(days=1)).isoformat()
    response = client.post(url(patient_record), {"reason": "died", "left_on": before})
    assert response.status_code == 200
    assert "visit recorded on" in response.content.decode()
    patient_record.refresh_from_db()
    assert patient_record.left_care_on is None
    assert FollowUp.objects.filter(selectors.STILL_OWED, patient=patient_record).exists()


def test_a_follow_up_of_a_patient_who_left_is_not_booked(
    client, staff, patient, patient_record, frozen
):
    """A visit recorded late, after the patient died, owes follow-ups that the queue hides;
    reached from the record, booking one is refused and nothing is sent to that inbox."""
    client.force_login(staff)
    client.post(url(patient_record), {"reason": "transferred", "left_on": "2026-03-10"})
    recorded = data.visit(patient_record, on=timezone.localdate())
    review = data.review_of(recorded)
    schedule = reverse("treatments:followup_schedule", kwargs={"followup_uuid": review.uuid})
    day = (timezone.localdate() + timedelta(days=35)).isoformat()
    response = client.post(
        schedule, {"date": day, "time": "10:00", "seen_bookings": review.bookings}
    )
    assert response.status_code == 200
    assert "no longer under the clinic" in response.content.decode()
    review.refresh_from_db()
    assert review.status == FollowUp.Status.DUE
    assert not Delivery.objects.filter(recipient=patient, kind=notify.APPOINTMENT_BOOKED)
