"""Review (the clinic's IT person): the mail server was down over a weekend; by Monday the
owed emails were past the give-up age and nothing would send them, and the Delivery admin
(read-only) had no way to. Now Administration → Deliveries has the action "Send again" for
deliveries whose email is still owed (or whose inbox entry is still pending): each goes
out at most once (an email already sent or refused is skipped), and the action is in the
audit trail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from clinic import notify
from clinic.celery import app
from clinic.models import AuditEvent, Delivery

pytestmark = pytest.mark.django_db
LIST = "/admin/clinic/delivery/"
WEEKEND = timedelta(days=3)


@pytest.fixture(autouse=True)
def eager_tasks():
    original = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = original


def delivery(recipient, *, email: str, key: str) -> Delivery:
    row = Delivery.objects.create(
        recipient=recipient,
        kind=notify.APPOINTMENT_BOOKED,
        key=key,
        text="Your appointment was booked.",
        sent_at=timezone.now() - WEEKEND,
        email=email,
        attempts=1,
    )
    Delivery.objects.filter(pk=row.pk).update(created=timezone.now() - WEEKEND)
    row.refresh_from_db()
    return row


@pytest.fixture
def given_up(patient) -> Delivery:
    patient.email = "patient@example.invalid"
    patient.save(update_fields=["email"])
    return delivery(patient, email=Delivery.Email.OWED, key="booked-1")


def send_again(client, admin, *rows: Delivery):
    client.force_login(admin)
    return client.post(
        LIST,
        {"action": "send_again", "_selected_action": [row.pk for row in rows]},
        follow=True,
    )


def test_the_list_offers_send_again(client, admin, given_up):
    client.force_login(admin)
    assert 'value="send_again"' in client.get(LIST).text


def test_a_given_up_email_is_sent_again_once(client, admin, given_up):
    assert send_again(client, admin, given_up).status_code == 200
    given_up.refresh_from_db()
    assert given_up.email == Delivery.Email.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["patient@example.invalid"]
    send_again(client, admin, given_up)
    assert len(mail.outbox) == 1  # once only


def test_a_sent_email_is_skipped_and_said_so(client, admin, patient):
    sent = delivery(patient, email=Delivery.Email.SENT, key="booked-2")
    response = send_again(client, admin, sent)
    assert len(mail.outbox) == 0
    assert "nothing owed" in response.text


def test_sending_again_is_audited(client, admin, given_up):
    send_again(client, admin, given_up)
    event = AuditEvent.objects.get(actor=admin, object_type="clinic.delivery")
    assert event.object_id == str(given_up.pk)
