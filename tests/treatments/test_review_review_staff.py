"""Review of the staff's follow-up work (review-staff): defects staff and patients meet."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic import notify
from clinic.models import Delivery, User
from tests.factories import PatientFactory, UserFactory
from tests.treatments import followup_data as data
from treatments.models import FollowUp
from treatments.services import followups as services

pytestmark = pytest.mark.django_db


def test_every_missed_reinjection_to_rebook_is_counted_on_the_queue(
    client_for, catalogs, staff, treating_neurologist
):
    """A large clinic with 51 missed reinjections: the morning digest says 51, so the
    queue's "Missed reinjections to rebook" must not say (and list) 50: the 51st patient
    is on no view of the queue at all (missed is in none of the four tabs)."""
    today = timezone.localdate()
    for _ in range(51):
        record = PatientFactory(care_team=[treating_neurologist])
        reinjection = data.reinjection_of(data.visit(record, on=today - timedelta(weeks=20)))
        FollowUp.objects.filter(pk=reinjection.pk).update(
            status=FollowUp.Status.MISSED, status_reason="Did not come"
        )
    digest = services.staff_digests(timezone.now().replace(hour=8))
    assert "51 missed reinjections to rebook" in digest[0].text

    html = client_for(staff).get(reverse("treatments:followup_queue")).content.decode()

    heading = re.search(r"Missed reinjections to rebook <span[^>]*>(\d+)</span>", html)
    assert heading is not None
    assert heading.group(1) == "51", (
        f"the queue says {heading.group(1)} missed reinjections, the digest 51"
    )


def _schedule_form_fields(html: str) -> dict[str, str]:
    """The named inputs of the page's booking form, as the browser would send them."""
    form = re.search(r'<form[^>]*action="[^"]*/schedule/"[^>]*>(.*?)</form>', html, re.S)
    assert form is not None, "the page offers no booking form"
    fields = {}
    for tag in re.findall(r"<input[^>]*>", form.group(1)):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


def test_a_booking_made_meanwhile_by_another_staff_member_is_not_silently_moved(
    client, catalogs, staff, patient_record
):
    """Two staff work the queue. Both open the same unbooked review call; the first books
    it on the phone with the patient (Tuesday 10:00). The second, whose page still says
    "Not booked", books Wednesday 14:00: that must not silently move the first booking
    (the patient was just told Tuesday): it is refused with a message saying so."""
    colleague = UserFactory(username="staff_colleague", role=User.Role.STAFF)
    review = data.review_of(data.visit(patient_record, on=timezone.localdate() - timedelta(28)))
    detail = reverse("treatments:followup_detail", kwargs={"followup_uuid": review.uuid})
    client.force_login(staff)
    page = client.get(detail).content.decode()
    assert "Not booked" in page
    first = data.at(timezone.localdate() + timedelta(days=8), hour=10)
    services.followup_schedule(followup=review, scheduled_at=first, actor=colleague)

    post = _schedule_form_fields(page)
    later = timezone.localdate() + timedelta(days=9)
    post.update({"date": later.isoformat(), "time": "14:00"})
    response = client.post(
        reverse("treatments:followup_schedule", kwargs={"followup_uuid": review.uuid}), post
    )

    review.refresh_from_db()
    assert review.scheduled_at == first, (
        f"the booking made meanwhile was moved to {review.scheduled_at} without a word "
        f"(answer {response.status_code})"
    )
    assert response.status_code == 200


ZONE_NAMES = ("New York", "America/New_York", "EST", "EDT", "London", "Europe/London", "GMT")


def test_a_booking_notice_to_a_patient_in_another_time_zone_says_which_time_it_gives(
    settings, catalogs, staff, patient_record, published
):
    """The clinic is in London; the patient lives in New York and flies in for injections.
    Staff book the reinjection visit at 10:30 (the form's clinic time). The notice gives
    05:30 (New York time) without saying so: the patient cannot tell whether to come at
    05:30 or 10:30 London time. A time in another zone than the clinic's names its zone."""
    settings.TIME_ZONE = "Europe/London"
    patient_record.time_zone = "America/New_York"
    patient_record.save()
    visit = data.visit(patient_record, on=timezone.localdate() - timedelta(weeks=13))
    day = timezone.localdate() + timedelta(days=8)
    services.followup_schedule(
        followup=data.reinjection_of(visit),
        scheduled_at=timezone.make_aware(datetime.combine(day, time(10, 30))),
        actor=staff,
    )

    text = Delivery.objects.get(kind=notify.APPOINTMENT_BOOKED).text
    assert any(name in text for name in ZONE_NAMES), f"no time zone named in: {text!r}"


def test_a_date_before_the_minimum_interval_is_answered_next_to_the_date_field(
    client, catalogs, staff, patient_record
):
    """Staff type a reinjection date before the minimum interval. The refusal belongs to the
    date they typed: next to the date field, which is marked invalid (a screen reader
    announces it there), not only as a box above the form that no field points to."""
    visit = data.visit(patient_record, on=timezone.localdate() - timedelta(weeks=6))
    reinjection = data.reinjection_of(visit)
    client.force_login(staff)
    too_early = timezone.localdate() + timedelta(days=3)
    response = client.post(
        reverse("treatments:followup_schedule", kwargs={"followup_uuid": reinjection.uuid}),
        {"date": too_early.isoformat(), "time": "10:00"},
    )
    html = response.content.decode()
    assert "before the minimum interval" in html
    date_input = re.search(r'<input[^>]*\bid="id_date"[^>]*>', html)
    assert date_input is not None
    assert 'aria-invalid="true"' in date_input.group(0) or "is-invalid" in date_input.group(0), (
        f"the date field is not marked invalid: {date_input.group(0)}"
    )
    # The date field's block: from its wrapper up to the time field's.
    field = re.search(r'<div id="div_id_date".*?<div id="div_id_time"', html, re.S)
    assert field is not None and "minimum interval" in field.group(0), (
        "the refusal is not next to the date field"
    )


@pytest.mark.parametrize(
    ("patient_zone", "expected"),
    [
        ("Europe/London", "at 10:30 is booked."),  # the clinic's zone
        ("Europe/Lisbon", "at 10:30 is booked."),  # another zone, the same clock that day
        ("America/New_York", "at 05:30 New York time (10:30 at the clinic) is booked."),
    ],
)
def test_a_notice_names_the_patients_zone_only_when_their_clock_differs(
    settings, catalogs, staff, patient_record, published, patient_zone, expected
):
    settings.TIME_ZONE = "Europe/London"
    patient_record.time_zone = patient_zone
    patient_record.save()
    visit = data.visit(patient_record, on=timezone.localdate() - timedelta(weeks=13))
    day = date(timezone.localdate().year + 1, 1, 12)  # winter: London and Lisbon on UTC
    services.followup_schedule(
        followup=data.reinjection_of(visit),
        scheduled_at=timezone.make_aware(datetime.combine(day, time(10, 30))),
        actor=staff,
    )
    text = Delivery.objects.get(kind=notify.APPOINTMENT_BOOKED).text
    assert text.endswith(f"on {day:%A} 12 January {day.year} {expected}"), text
