"""Every mail error that may pass is retried, whichever email it is: the mail server's name
not resolving for a moment (DNS), a connection reset, a timeout, an SMTP refusal. The
password reset and the invitation tasks retry on them (their exception names the id and the
error type, never the address); an error they did not list failed the task at once, and
the email was lost."""

from __future__ import annotations

import smtplib
import socket

import pytest

pytestmark = pytest.mark.django_db

PASSING_MAIL_ERRORS = [
    socket.gaierror(-3, "Temporary failure in name resolution"),
    ConnectionResetError(104, "Connection reset by peer"),
    TimeoutError("timed out"),
    smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
    OSError(113, "No route to host"),
]


def failing_with(error: BaseException):
    def send_mail(*args, **kwargs):
        raise error

    return send_mail


@pytest.mark.parametrize("error", PASSING_MAIL_ERRORS, ids=lambda e: type(e).__name__)
def test_a_password_reset_email_is_retried(patient, monkeypatch, error):
    from clinic import password_reset
    from clinic.tasks import PasswordResetEmailNotSent, send_password_reset_email

    monkeypatch.setattr(password_reset, "send_mail", failing_with(error))
    with pytest.raises(PasswordResetEmailNotSent) as raised:
        send_password_reset_email(patient.pk)
    assert type(error).__name__ in str(raised.value)
    assert PasswordResetEmailNotSent in send_password_reset_email.autoretry_for


@pytest.mark.parametrize("error", PASSING_MAIL_ERRORS, ids=lambda e: type(e).__name__)
def test_an_invitation_email_is_retried(patient_record, staff, monkeypatch, error):
    from patients.services import invitations
    from patients.services.invitations import invitation_send
    from patients.tasks import InvitationEmailNotSent, send_invitation_email

    patient_record.user = None
    patient_record.save()
    monkeypatch.setattr(invitations, "send_mail", failing_with(error))
    monkeypatch.setattr(send_invitation_email, "delay", lambda *args: None)
    invitation = invitation_send(patient=patient_record, sent_by=staff)
    with pytest.raises(InvitationEmailNotSent) as raised:
        send_invitation_email(invitation.pk)
    assert type(error).__name__ in str(raised.value)
    assert InvitationEmailNotSent in send_invitation_email.autoretry_for
