"""Closing a follow-up from a page opened before a colleague moved its booking.

A patient phones that they cannot come on Tuesday; meanwhile a colleague has already moved
the booking to Thursday with them. Saving "missed" (or "cancelled") from the page opened
before the move closed the Thursday booking the patient had just agreed to, and told them
it was cancelled. Booking from such a page is refused (``BookedMeanwhile``); closing it
is refused the same way, naming the booking made meanwhile, and nothing is saved or sent.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.treatments import followup_data as data
from treatments.models import FollowUp
from treatments.services import followups as services

pytestmark = pytest.mark.django_db
Status = FollowUp.Status
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def colleague():
    return UserFactory(username="colleague", first_name="Ann", last_name="Lee", role="staff")


@pytest.fixture
def booked(patient_record, today, colleague):
    """The patient's reinjection, booked by a colleague for a day after its minimum."""
    data.diary(patient_record)
    reinjection = data.reinjection_of(data.visit(patient_record, on=today - timedelta(84 - 30)))
    first = data.at(today + timedelta(31), hour=10)
    return services.followup_schedule(followup=reinjection, scheduled_at=first, actor=colleague)


def url(name: str, followup: FollowUp) -> str:
    return reverse(f"treatments:{name}", kwargs={"followup_uuid": followup.uuid})


def close_form_hidden(page: str) -> dict[str, str]:
    """The hidden inputs of the page's Close form (what it posts besides the outcome)."""
    section = page.split('id="close"')[1].split("</form>")[0]
    return {n: v for n, v in HIDDEN.findall(section) if n != "csrfmiddlewaretoken"}


def test_closing_from_a_page_opened_before_the_booking_was_moved_is_refused(
    client, staff, booked, colleague, today
):
    client.force_login(staff)
    page = client.get(url("followup_detail", booked)).content.decode()
    moved = data.at(today + timedelta(33), hour=14)
    services.followup_schedule(followup=booked, scheduled_at=moved, actor=colleague)
    outcome = {"status": "missed", "reason": "Cannot come on the day booked"}

    response = client.post(url("followup_status", booked), close_form_hidden(page) | outcome)

    assert response.status_code == 200
    html = response.content.decode()
    local = timezone.localtime(moved)
    assert f"Meanwhile this follow-up was booked for {local:%A} {local.day} {local:%B}" in html
    assert "by Ann Lee" in html
    booked.refresh_from_db()
    assert (booked.status, booked.scheduled_at) == (Status.SCHEDULED, moved)


def test_closing_again_from_the_refused_page_closes_it_knowingly(
    client, staff, booked, colleague, today
):
    client.force_login(staff)
    page = client.get(url("followup_detail", booked)).content.decode()
    services.followup_schedule(
        followup=booked, scheduled_at=data.at(today + timedelta(33), hour=14), actor=colleague
    )
    outcome = {"status": "cancelled", "reason": "Moved away"}
    refused = client.post(url("followup_status", booked), close_form_hidden(page) | outcome)

    response = client.post(
        url("followup_status", booked), close_form_hidden(refused.content.decode()) | outcome
    )

    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.status == Status.CANCELLED


def test_closing_from_an_up_to_date_page_closes_it(client, staff, booked):
    client.force_login(staff)
    page = client.get(url("followup_detail", booked)).content.decode()
    outcome = {"status": "cancelled", "reason": "Moved away"}

    response = client.post(url("followup_status", booked), close_form_hidden(page) | outcome)

    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.status == Status.CANCELLED
