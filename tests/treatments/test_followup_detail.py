"""One follow-up's page and its forms: detail, schedule, status, approve early."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic import notify
from clinic.models import AuditEvent, Delivery
from tests.factories import UserFactory
from tests.treatments import followup_data as data
from treatments.models import FollowUp
from treatments.services import followups as services

pytestmark = pytest.mark.django_db
Status = FollowUp.Status


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def reinjection(patient_record, today):
    """The patient's reinjection; its minimum interval ends in 30 days."""
    data.diary(patient_record)
    return data.reinjection_of(data.visit(patient_record, on=today - timedelta(84 - 30)))


def url(name: str, followup: FollowUp) -> str:
    return reverse(f"treatments:{name}", kwargs={"followup_uuid": followup.uuid})


def booking(day, hour: str = "10:30", **extra) -> dict:
    return {"date": day.isoformat(), "time": hour, **extra}


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("patient", 403),
        ("other_patient", 403),
        ("admin", 403),
        ("other_neurologist", 404),
        ("treating_neurologist", 200),
        ("staff", 200),
    ],
    indirect=["persona"],
)
def test_who_may_open_a_follow_up(client, persona, status, reinjection):
    client.force_login(persona)
    assert client.get(url("followup_detail", reinjection)).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("patient", 403),
        ("admin", 403),
        ("other_neurologist", 404),
    ],
    indirect=["persona"],
)
@pytest.mark.parametrize("name", ["followup_schedule", "followup_status"])
def test_who_may_not_change_a_follow_up(client, persona, status, name, reinjection, today):
    client.force_login(persona)
    post = {**booking(today + timedelta(40)), "status": "cancelled", "reason": "x"}
    assert client.post(url(name, reinjection), post).status_code == status
    reinjection.refresh_from_db()
    assert reinjection.status == Status.DUE


@pytest.mark.parametrize("persona", ["anonymous", "inactive_user"], indirect=True)
def test_signed_out_visitors_go_to_the_login_page(client_for, persona, reinjection):
    response = client_for(persona).get(url("followup_detail", reinjection))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_unknown_follow_up_is_not_found(client, staff):
    client.force_login(staff)
    response = client.get("/follow-ups/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404


def test_opening_is_audited_and_shows_no_health_data(client, staff, reinjection, patient_record):
    client.force_login(staff)
    html = client.get(url("followup_detail", reinjection)).content.decode()
    assert patient_record.full_name in html
    data.assert_no_markers(html)
    event = AuditEvent.objects.get(action="view")
    assert (event.actor, event.patient_uuid) == (staff, patient_record.uuid)


def test_staff_book_and_rebook(client, staff, reinjection, today):
    client.force_login(staff)
    day = today + timedelta(31)
    response = client.post(url("followup_schedule", reinjection), booking(day))
    assert response.status_code == 302
    assert response["Location"] == url("followup_detail", reinjection)
    reinjection.refresh_from_db()
    assert reinjection.status == Status.SCHEDULED
    assert timezone.localtime(reinjection.scheduled_at).date() == day
    assert f"{timezone.localtime(reinjection.scheduled_at):%H:%M}" == "10:30"
    client.post(url("followup_schedule", reinjection), booking(day, "14:15"))
    reinjection.refresh_from_db()
    assert f"{timezone.localtime(reinjection.scheduled_at):%H:%M}" == "14:15"
    assert AuditEvent.objects.filter(action="update", actor=staff).count() == 2


def test_staff_cannot_book_before_the_minimum_interval(client, staff, reinjection, today):
    client.force_login(staff)
    response = client.post(
        url("followup_schedule", reinjection),
        booking(today + timedelta(10), early_reason="the patient asked"),
    )
    assert response.status_code == 200
    assert "The treating neurologist must record a reason" in response.content.decode()
    reinjection.refresh_from_db()
    assert (reinjection.status, reinjection.early_reason) == (Status.DUE, "")


def test_the_treating_neurologist_books_early_with_a_reason(
    client, treating_neurologist, reinjection, today
):
    client.force_login(treating_neurologist)
    early = booking(today + timedelta(10))
    response = client.post(url("followup_schedule", reinjection), early)
    assert "give the reason" in response.content.decode()
    response = client.post(
        url("followup_schedule", reinjection), {**early, "early_reason": data.EARLY_REASON_MARKER}
    )
    assert response.status_code == 302
    reinjection.refresh_from_db()
    assert reinjection.status == Status.SCHEDULED
    assert reinjection.early_approved_by == treating_neurologist


def test_the_neurologists_stored_reason_lets_staff_book_early(
    client, staff, treating_neurologist, reinjection, today
):
    client.force_login(treating_neurologist)
    response = client.post(
        url("followup_approve_early", reinjection), {"reason": data.EARLY_REASON_MARKER}
    )
    assert response.status_code == 302
    # The neurologist sees the reason; staff see who allowed it, not the clinical reason.
    assert (
        data.EARLY_REASON_MARKER in client.get(url("followup_detail", reinjection)).content.decode()
    )
    client.force_login(staff)
    html = client.get(url("followup_detail", reinjection)).content.decode()
    assert str(treating_neurologist) in html
    assert data.EARLY_REASON_MARKER not in html
    response = client.post(url("followup_schedule", reinjection), booking(today + timedelta(10)))
    assert response.status_code == 302
    reinjection.refresh_from_db()
    assert reinjection.status == Status.SCHEDULED


@pytest.mark.parametrize(
    ("persona", "status"),
    [("staff", 403), ("admin", 403), ("patient", 403), ("other_neurologist", 404)],
    indirect=["persona"],
)
def test_only_the_care_team_may_store_the_reason(client, persona, status, reinjection):
    client.force_login(persona)
    response = client.post(url("followup_approve_early", reinjection), {"reason": "because"})
    assert response.status_code == status
    reinjection.refresh_from_db()
    assert reinjection.early_approved_by is None


def test_an_empty_reason_is_refused(client, treating_neurologist, reinjection):
    client.force_login(treating_neurologist)
    response = client.post(url("followup_approve_early", reinjection), {"reason": ""})
    assert response.status_code == 200
    reinjection.refresh_from_db()
    assert reinjection.early_approved_by is None


def test_a_review_offers_no_early_reason(client, treating_neurologist, patient_record, today):
    review = data.review_of(data.visit(patient_record, on=today))
    client.force_login(treating_neurologist)
    html = client.get(url("followup_detail", review)).content.decode()
    assert "Allow an earlier reinjection" not in html
    response = client.post(url("followup_approve_early", review), {"reason": "x"})
    assert "Only a reinjection" in response.content.decode()


@pytest.mark.parametrize("persona", ["staff", "treating_neurologist"], indirect=True)
def test_marking_missed_needs_a_reason(client, persona, reinjection):
    client.force_login(persona)
    response = client.post(url("followup_status", reinjection), {"status": "missed", "reason": ""})
    assert response.status_code == 200
    assert "Give the reason." in response.content.decode()
    response = client.post(
        url("followup_status", reinjection), {"status": "missed", "reason": "no answer"}
    )
    assert response.status_code == 302
    reinjection.refresh_from_db()
    assert (reinjection.status, reinjection.status_reason) == (Status.MISSED, "no answer")


def test_a_closed_follow_up_offers_no_forms(client, staff, reinjection):
    client.force_login(staff)
    client.post(url("followup_status", reinjection), {"status": "done", "reason": ""})
    html = client.get(url("followup_detail", reinjection)).content.decode()
    assert "Done" in html
    assert url("followup_schedule", reinjection) not in html
    assert url("followup_status", reinjection) not in html


def test_a_booking_in_the_past_is_refused(client, staff, reinjection, today):
    client.force_login(staff)
    response = client.post(url("followup_schedule", reinjection), booking(today - timedelta(2)))
    assert response.status_code == 200
    assert "has not passed" in response.content.decode()


def test_a_date_before_the_minimum_interval_is_in_the_error_summary_linked_to_the_field(
    client, staff, reinjection, today
):
    """The summary above the page lists the refusal as a link to the date field, which is
    described by its message; nothing is booked."""
    client.force_login(staff)
    response = client.post(url("followup_schedule", reinjection), booking(today + timedelta(3)))
    html = response.content.decode()
    summary = html.split('id="error-summary"')[1].split("</div>")[0]
    assert '<a class="alert-link" href="#id_date">' in summary
    assert "before the minimum interval" in summary
    date_input = html.split('id="div_id_date"')[1].split("</div>")[0]
    assert 'aria-invalid="true"' in date_input
    assert 'aria-describedby="id_date_error"' in date_input
    assert 'id="id_date_error"' in html
    reinjection.refresh_from_db()
    assert (reinjection.status, reinjection.scheduled_at) == (Status.DUE, None)


def _horizon_end():
    return timezone.localdate(timezone.now() + services.BOOKING_HORIZON)


@pytest.mark.parametrize("day", ["2999-01-01", "9999-12-31", "day after the horizon"])
def test_a_booking_beyond_two_years_is_refused_next_to_the_date(client, staff, reinjection, day):
    if day == "day after the horizon":
        day = (_horizon_end() + timedelta(1)).isoformat()
    client.force_login(staff)
    response = client.post(url("followup_schedule", reinjection), {"date": day, "time": "00:00"})
    assert response.status_code == 200
    (message,) = response.context["schedule_form"].errors["date"]
    assert message == (
        "Follow-ups are booked at most 2 years ahead: "
        f"choose a date up to {_horizon_end():%d %b %Y}."
    )
    reinjection.refresh_from_db()
    assert (reinjection.status, reinjection.scheduled_at) == (Status.DUE, None)


def test_the_last_day_of_the_horizon_can_be_booked(client, staff, reinjection):
    client.force_login(staff)
    response = client.post(url("followup_schedule", reinjection), booking(_horizon_end(), "23:59"))
    assert response.status_code == 302
    reinjection.refresh_from_db()
    assert timezone.localdate(reinjection.scheduled_at) == _horizon_end()


@pytest.mark.parametrize(
    ("clinic_zone", "patient_zone"),
    [
        ("UTC", "Asia/Tokyo"),
        ("Pacific/Kiritimati", "Pacific/Pago_Pago"),  # UTC+14 and UTC-11
        ("Pacific/Pago_Pago", "Pacific/Kiritimati"),
    ],
)
@pytest.mark.parametrize(("day", "hour"), [("9999-12-31", "23:59"), ("0001-01-01", "00:00")])
def test_no_date_the_field_accepts_gives_a_500(
    client, staff, reinjection, settings, clinic_zone, patient_zone, day, hour
):
    """The calendar's ends cannot be moved into another zone: they are refused before."""
    settings.TIME_ZONE = clinic_zone
    reinjection.patient.time_zone = patient_zone
    reinjection.patient.save()
    client.force_login(staff)
    response = client.post(url("followup_schedule", reinjection), {"date": day, "time": hour})
    assert response.status_code == 200
    reinjection.refresh_from_db()
    assert reinjection.scheduled_at is None


@pytest.mark.parametrize("name", ["followup_schedule", "followup_status", "followup_approve_early"])
def test_changes_need_a_post(client, treating_neurologist, reinjection, name):
    client.force_login(treating_neurologist)
    assert client.get(url(name, reinjection)).status_code == 405


def _spring_forward_day(after):
    """The first day after ``after`` whose 02:30 does not exist in Europe/Berlin."""
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from treatments.forms.followups import wall_time_exists

    zone = ZoneInfo("Europe/Berlin")
    day = after
    while wall_time_exists(datetime.combine(day, time(2, 30)), zone):
        day += timedelta(1)
    return day


def test_a_time_the_clocks_skip_is_refused_next_to_the_time(
    client, staff, reinjection, today, settings
):
    settings.TIME_ZONE = "Europe/Berlin"
    day = _spring_forward_day(today + timedelta(31))
    client.force_login(staff)
    response = client.post(url("followup_schedule", reinjection), booking(day, "02:30"))
    assert response.status_code == 200
    (message,) = response.context["schedule_form"].errors["time"]
    assert message == (
        f"There is no 02:30 on {day:%d %b %Y} in the clinic's time zone: "
        "the clocks go forward that night. Choose another time."
    )
    reinjection.refresh_from_db()
    assert (reinjection.status, reinjection.scheduled_at) == (Status.DUE, None)
    response = client.post(url("followup_schedule", reinjection), booking(day, "03:30"))
    assert response.status_code == 302
    reinjection.refresh_from_db()
    assert f"{timezone.localtime(reinjection.scheduled_at):%Y-%m-%d %H:%M}" == f"{day} 03:30"


def _seen_bookings(html: str) -> str:
    """The booking form's hidden count of bookings, as the page would send it back."""
    return html.split('name="seen_bookings" value="')[1].split('"')[0]


def test_a_booking_made_meanwhile_is_named_and_moved_only_when_sent_again(
    client, staff, reinjection, today
):
    """A colleague books while this page is open: the page's booking is refused, naming
    the colleague's booking (day and time in the clinic's zone, who made it) and showing
    it; nothing is saved or sent. The refused page carries the new count, so booking from
    it again (after checking with the patient) moves the booking."""
    colleague = UserFactory(username="colleague", first_name="Ann", last_name="Lee", role="staff")
    client.force_login(staff)
    page = client.get(url("followup_detail", reinjection)).content.decode()
    assert _seen_bookings(page) == "0"
    first = data.at(today + timedelta(31), hour=10)
    services.followup_schedule(followup=reinjection, scheduled_at=first, actor=colleague)
    later = today + timedelta(32)

    response = client.post(
        url("followup_schedule", reinjection), booking(later, "14:00", seen_bookings="0")
    )

    assert response.status_code == 200
    html = response.content.decode()
    local = timezone.localtime(first)
    year = "" if local.year == today.year else f" {local.year}"
    message = (
        f"Meanwhile this follow-up was booked for {local:%A} {local.day} {local:%B}{year} at "
        "10:00 by Ann Lee. Check with the patient before moving it."
    )
    assert message in html.split('id="error-summary"')[1]
    booked = html.split('id="followup-booked"')[1].split("</dd>")[0]
    assert f"{local:%A} {local.day} {local:%B} {local.year}, 10:00" in booked
    reinjection.refresh_from_db()
    assert (reinjection.scheduled_at, reinjection.bookings) == (first, 1)
    assert Delivery.objects.filter(kind=notify.APPOINTMENT_BOOKED).count() == 1
    assert _seen_bookings(html) == "1"

    again = client.post(
        url("followup_schedule", reinjection), booking(later, "14:00", seen_bookings="1")
    )
    assert again.status_code == 302
    reinjection.refresh_from_db()
    assert reinjection.scheduled_at == data.at(later, hour=14)


def test_a_booking_from_an_up_to_date_page_moves_the_booking(client, staff, reinjection, today):
    services.followup_schedule(
        followup=reinjection, scheduled_at=data.at(today + timedelta(31)), actor=staff
    )
    client.force_login(staff)
    page = client.get(url("followup_detail", reinjection)).content.decode()
    response = client.post(
        url("followup_schedule", reinjection),
        booking(today + timedelta(33), seen_bookings=_seen_bookings(page)),
    )
    assert response.status_code == 302
    reinjection.refresh_from_db()
    assert (timezone.localdate(reinjection.scheduled_at), reinjection.bookings) == (
        today + timedelta(33),
        2,
    )
