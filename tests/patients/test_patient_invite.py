"""Inviting a patient: a new single-use link, the old ones revoked, email sent after commit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from clinic.models import AuditEvent, User
from patients.models import Invitation
from patients.services.invitations import invitation_link, invitation_token, token_hash
from patients.tasks import send_invitation_email

pytestmark = pytest.mark.django_db


def url(record) -> str:
    return reverse("patients:patient_invite", kwargs={"patient_uuid": record.uuid})


@pytest.fixture
def unlinked(patient_record):
    """The persona's patient record before it had an account."""
    patient_record.user = None
    patient_record.save()
    return patient_record


@pytest.fixture
def enqueued(monkeypatch):
    """The ids handed to the email task (instead of a broker)."""
    calls: list[int] = []
    monkeypatch.setattr(send_invitation_email, "delay", lambda *args: calls.append(args))
    return calls


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("other_patient", 403),
        ("treating_neurologist", 302),
        ("other_neurologist", 404),
        ("staff", 302),
        ("admin", 302),
    ],
    indirect=["persona"],
)
def test_who_may_invite(client_for, persona, status, unlinked, enqueued):
    response = client_for(persona).post(url(unlinked))
    assert response.status_code == status
    assert Invitation.objects.filter(patient=unlinked).exists() is (
        status == 302 and persona is not None
    )


def test_invite_is_post_only(client_for, staff, unlinked):
    assert client_for(staff).get(url(unlinked)).status_code == 405


def test_invitation_is_sent_after_commit_with_only_its_id(
    client_for, staff, unlinked, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).post(url(unlinked))
    invitation = Invitation.objects.get(patient=unlinked)
    assert enqueued == [(invitation.pk,)]
    assert response["Location"] == reverse(
        "patients:patient_edit", kwargs={"patient_uuid": unlinked.uuid}
    )
    lifetime = invitation.expires_at - invitation.created
    assert abs(lifetime - timedelta(days=7)) < timedelta(seconds=5)
    assert AuditEvent.objects.get(action=AuditEvent.Action.CREATE).patient_uuid == unlinked.uuid


def test_only_the_hash_of_the_token_is_stored(client_for, staff, unlinked, enqueued):
    client_for(staff).post(url(unlinked))
    invitation = Invitation.objects.get(patient=unlinked)
    token = invitation_token(invitation)
    assert invitation.token_hash == token_hash(token) != token
    stored = {str(v) for v in Invitation.objects.values().get(pk=invitation.pk).values()}
    assert token not in stored


def test_sending_again_revokes_the_earlier_link(client_for, staff, unlinked, enqueued):
    client = client_for(staff)
    client.post(url(unlinked))
    client.post(url(unlinked))
    first, second = Invitation.objects.filter(patient=unlinked).order_by("created", "id")
    assert first.revoked_at is not None
    assert second.revoked_at is None
    assert invitation_token(first) != invitation_token(second)


def test_no_invitation_without_email_or_for_an_account_holder(
    client_for, staff, patient_record, enqueued
):
    client = client_for(staff)
    client.post(url(patient_record))  # already has an account
    patient_record.user = None
    patient_record.email = ""
    patient_record.save()
    client.post(url(patient_record))
    assert not Invitation.objects.exists()
    assert enqueued == []


def test_the_email_holds_the_link_and_no_health_data(unlinked, staff, settings):
    from patients.services.invitations import invitation_send

    settings.SITE_URL = "https://clinic.example"
    invitation = invitation_send(patient=unlinked, sent_by=staff)
    assert send_invitation_email(invitation.pk) is True
    assert send_invitation_email(invitation.pk) is False  # idempotent: sent once
    (message,) = mail.outbox
    assert message.to == [unlinked.email]
    link = invitation_link(invitation)
    assert link.startswith("https://clinic.example/invitation/")
    assert link in message.body
    # Without the link: its random token could hold a short surname ("ng") by chance.
    body = (message.subject + message.body.replace(link, "")).lower()
    for word in ("dystonia", "neck", unlinked.last_name.lower(), "botul", "severity"):
        assert word not in body


def test_a_revoked_invitation_is_not_emailed(unlinked, staff):
    from patients.services.invitations import invitation_send

    first = invitation_send(patient=unlinked, sent_by=staff)
    invitation_send(patient=unlinked, sent_by=staff)
    assert send_invitation_email(first.pk) is False
    assert mail.outbox == []


def test_a_down_broker_does_not_lose_the_invitation(
    client_for, staff, unlinked, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args):
        raise ConnectionError("broker down")

    monkeypatch.setattr(send_invitation_email, "delay", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).post(url(unlinked))
    assert response.status_code == 302
    assert Invitation.objects.filter(patient=unlinked).count() == 1
    assert User.objects.filter(role=User.Role.PATIENT, patient=unlinked).count() == 0


def test_a_refused_address_is_retried_without_the_address_in_the_error(
    unlinked, staff, monkeypatch
):
    """Celery logs a retried task's exception: it must not carry the patient's address."""
    import smtplib
    import traceback

    from patients.services import invitations
    from patients.services.invitations import invitation_send
    from patients.tasks import InvitationEmailNotSent

    def refuse(*args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({unlinked.email: (550, b"mailbox unavailable")})

    monkeypatch.setattr(invitations, "send_mail", refuse)
    invitation = invitation_send(patient=unlinked, sent_by=staff)
    with pytest.raises(InvitationEmailNotSent) as raised:
        send_invitation_email(invitation.pk)
    logged = "".join(traceback.format_exception(raised.value))
    assert "SMTPRecipientsRefused" in logged
    assert unlinked.email not in logged
    invitation.refresh_from_db()
    assert invitation.sent_at is None  # the retry sends it


def test_an_invitation_left_to_expire_is_not_shown_as_never_sent(
    client_for, staff, unlinked, enqueued
):
    """The patient phones: "I never set up my account." The list and the record must say
    that an invitation went out and its link expired (send a new one), not "Not invited"
    as if nobody had ever sent it."""
    from django.utils import timezone

    client = client_for(staff)
    client.post(url(unlinked))
    expired = timezone.now() - timedelta(days=2)
    Invitation.objects.filter(patient=unlinked).update(expires_at=expired)

    listed = client.get(reverse("patients:patient_list")).content.decode()
    expected = f"Invitation expired {timezone.localtime(expired):%d %b %Y}"
    assert expected in listed and "Not invited" not in listed

    record = client.get(reverse("patients:patient_edit", kwargs={"patient_uuid": unlinked.uuid}))
    html = record.content.decode()
    assert "link expired" in html and "Send a new invitation" in html
