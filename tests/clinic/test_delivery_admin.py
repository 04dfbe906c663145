"""The Delivery admin: the clinic's IT person sees which notification emails are owed or
refused for good (and which inbox entries are still pending), read-only, and never a
message's text (a cycle alert names the patient and the treatment response)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from clinic import notify
from clinic.models import Delivery

pytestmark = pytest.mark.django_db
ALERT = "Ana Silva: the cycle after the injection of 01 Mar 2026 shows early wear-off."
LIST = "/admin/clinic/delivery/"


@pytest.fixture
def owed(treating_neurologist) -> Delivery:
    return Delivery.objects.create(
        recipient=treating_neurologist,
        kind=notify.CYCLE_ALERT,
        key="cycle-1",
        text=ALERT,
        link="/patients/some-patient/",
        sent_at=timezone.now(),
        email=Delivery.Email.OWED,
        attempts=3,
    )


@pytest.fixture
def refused(patient) -> Delivery:
    return Delivery.objects.create(
        recipient=patient,
        kind=notify.DIARY_REMINDER,
        key="2026-03-01",
        text="Time to log today's symptoms.",
        sent_at=timezone.now(),
        email=Delivery.Email.REFUSED,
    )


def test_the_admin_lists_owed_and_refused_emails(client_for, admin, owed, refused):
    response = client_for(admin).get(LIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Select delivery to view" in page and "Deliveries" in page
    assert str(owed.recipient) in page and "owed" in page
    assert "refused for good" in page


def test_the_list_filters_by_the_emails_state(client_for, admin, owed, refused):
    response = client_for(admin).get(LIST, {"email__exact": Delivery.Email.REFUSED})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [refused]


def test_no_admin_page_shows_the_text_or_link(client_for, admin, owed):
    client = client_for(admin)
    one = f"{LIST}{owed.pk}"
    for path in [LIST, f"{one}/change/", f"{one}/history/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        page = response.content.decode()
        assert "early wear-off" not in page and "some-patient" not in page, path


def test_deliveries_are_read_only_in_the_admin(client_for, admin, owed):
    client = client_for(admin)
    assert client.get(f"{LIST}add/").status_code == 403
    assert client.get(f"{LIST}{owed.pk}/delete/").status_code == 403
    client.post(f"{LIST}{owed.pk}/change/", {"email": Delivery.Email.SENT})
    owed.refresh_from_db()
    assert owed.email == Delivery.Email.OWED


def test_other_roles_cannot_open_it(client_for, staff):
    response = client_for(staff).get(LIST)
    assert response.status_code in {302, 403}


def test_an_email_past_the_give_up_age_shows_as_given_up(client_for, admin, owed):
    """The scan stops publishing owed emails after ``notify.GIVE_UP_AFTER``: listed as
    merely "owed", the IT person would wait for an email nothing will send."""
    old = timezone.now() - notify.GIVE_UP_AFTER - timedelta(hours=1)
    Delivery.objects.filter(pk=owed.pk).update(created=old)
    fresh = Delivery.objects.create(
        recipient=owed.recipient,
        kind=notify.CYCLE_ALERT,
        key="cycle-2",
        text=ALERT,
        sent_at=timezone.now(),
        email=Delivery.Email.OWED,
    )

    page = client_for(admin).get(LIST).content.decode()
    assert page.count("owed, given up") == 1
    assert f"{LIST}{fresh.pk}/change/" in page


def test_no_admin_page_shows_a_cycle_alerts_verdict_from_its_key(
    client_for, admin, treating_neurologist, patient_record
):
    """A cycle alert's key names the patient, the injection date and the verdict (a
    treatment response): the admin's pages, which name a row by ``str()``, must not."""
    from treatments.services.followups import cycle_alert_key

    key = cycle_alert_key(patient_record.uuid, timezone.localdate(), "no_response")
    alert = Delivery.objects.create(
        recipient=treating_neurologist, kind=notify.CYCLE_ALERT, key=key, text=ALERT
    )
    client = client_for(admin)
    one = f"{LIST}{alert.pk}"
    for path in [LIST, f"{one}/change/", f"{one}/history/"]:
        page = client.get(path).content.decode()
        assert "no_response" not in page and str(patient_record.uuid) not in page, path
