"""An email the mail server took goes once, even when saying goodbye fails after it.

Django's SMTP backend sends, then says QUIT; a QUIT that times out (or is refused) raises
after the server took the message. Every sender took that for a failed send: the task was
retried and the patient got the invitation, the password reset or the notice twice (or,
for a reset, as many times as the retries). Each email also carries a Message-ID fixed by
what it is (the delivery, the invitation, the reset task), so a duplicate that still slips
through (a worker killed between the send and its commit) is the same message to mail
programs that collapse them."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from clinic import notify
from clinic.models import Delivery

pytestmark = pytest.mark.django_db


class TakesThenGoodbyeFails(EmailBackend):
    """Sends as SMTP does: open, send, then close, whose QUIT times out."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_open = False

    def open(self):
        if self.is_open:
            return False
        self.is_open = True
        return True

    def close(self):
        self.is_open = False
        raise TimeoutError("QUIT timed out")

    def send_messages(self, messages):
        new = self.open()
        try:
            return super().send_messages(messages)
        finally:
            if new:
                self.close()


@pytest.fixture
def goodbye_fails(settings):
    settings.EMAIL_BACKEND = f"{__name__}.TakesThenGoodbyeFails"


def test_a_notification_email_is_sent_once(goodbye_fails, patient):
    delivery_id = notify.queue_notification(
        recipient=patient, kind="test_notice", key="notice-1", text="A message."
    )
    notify.deliver_inbox(delivery_id)

    assert notify.send_owed_email(delivery_id) is True
    assert Delivery.objects.get(pk=delivery_id).email == Delivery.Email.SENT
    assert notify.send_owed_email(delivery_id) is False
    assert len(mail.outbox) == 1


def test_an_invitation_email_is_sent_once(goodbye_fails, patient_record, staff, monkeypatch):
    from patients.services.invitations import invitation_send
    from patients.tasks import send_invitation_email

    patient_record.user = None
    patient_record.save()
    monkeypatch.setattr(send_invitation_email, "delay", lambda *args: None)
    invitation = invitation_send(patient=patient_record, sent_by=staff)

    assert send_invitation_email(invitation.pk) is True
    assert send_invitation_email(invitation.pk) is False
    assert len(mail.outbox) == 1


def test_a_password_reset_email_is_not_retried(goodbye_fails, patient):
    from clinic.tasks import send_password_reset_email

    assert send_password_reset_email(patient.pk) is True
    assert len(mail.outbox) == 1


def test_a_retried_notification_email_keeps_its_message_id(patient, monkeypatch):
    delivery_id = notify.queue_notification(
        recipient=patient, kind="test_notice", key="notice-2", text="A message."
    )
    notify.deliver_inbox(delivery_id)
    real = notify.send_mail
    tries = []

    def first_fails(*args, **kwargs):
        tries.append(kwargs)
        if len(tries) == 1:
            raise TimeoutError("timed out")
        return real(*args, **kwargs)

    monkeypatch.setattr(notify, "send_mail", first_fails)
    with pytest.raises(notify.EmailNotSent):
        notify.send_owed_email(delivery_id)
    notify.send_owed_email(delivery_id)

    message_id = mail.outbox[0].extra_headers["Message-ID"]
    assert tries[0]["message_id"] == tries[1]["message_id"]
    assert message_id.startswith("<") and message_id.endswith(">")


def test_the_invitation_and_reset_emails_carry_a_message_id(patient_record, staff, monkeypatch):
    from clinic.tasks import send_password_reset_email
    from patients.services.invitations import invitation_send
    from patients.tasks import send_invitation_email

    user = patient_record.user
    patient_record.user = None
    patient_record.save()
    monkeypatch.setattr(send_invitation_email, "delay", lambda *args: None)
    send_invitation_email(invitation_send(patient=patient_record, sent_by=staff).pk)
    send_password_reset_email.apply(args=[user.pk], task_id="reset-task-1")
    send_password_reset_email.apply(args=[user.pk], task_id="reset-task-1")
    send_password_reset_email.apply(args=[user.pk], task_id="reset-task-2")

    ids = [message.extra_headers.get("Message-ID") for message in mail.outbox]
    assert None not in ids
    assert ids[1] == ids[2]  # one reset task, tried twice: one message
    assert len({ids[0], ids[1], ids[3]}) == 3
