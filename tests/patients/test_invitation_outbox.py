"""An invitation whose email never went out (its task lost: a worker's process died, the
broker was down when it was saved, the mail server stayed down past the last retry) is sent
by beat's sweep, not left for staff to believe it went: the patient's record shows an
invitation, and nothing tells anyone that the patient never got it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from clinic.celery import BEAT_SCHEDULE
from patients.models import Invitation
from patients.services.invitations import invitation_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(monkeypatch) -> list[int]:
    from patients.tasks import send_invitation_email

    ids: list[int] = []
    monkeypatch.setattr(send_invitation_email, "delay", ids.append)
    return ids


@pytest.fixture
def unsent(patient_record, staff, published) -> Invitation:
    patient_record.user = None
    patient_record.save()
    invitation = invitation_send(patient=patient_record, sent_by=staff)
    published.clear()  # its own task: lost
    return invitation


def sweep(now) -> None:
    from patients.tasks import resend_unsent_invitations

    assert any(entry["task"] == resend_unsent_invitations.name for entry in BEAT_SCHEDULE.values())
    resend_unsent_invitations.run(now=now.isoformat())


def test_an_invitation_whose_email_never_went_is_sent_by_the_sweep(unsent, published, mailoutbox):
    sweep(timezone.now())  # its own task may still be on its way
    assert published == []
    sweep(timezone.now() + timedelta(minutes=15))
    assert published == [unsent.pk]


def test_the_sweep_leaves_sent_used_revoked_and_expired_invitations(unsent, published):
    later = timezone.now() + timedelta(minutes=15)
    for change in (
        {"sent_at": timezone.now()},
        {"used_at": timezone.now()},
        {"revoked_at": timezone.now()},
    ):
        Invitation.objects.filter(pk=unsent.pk).update(sent_at=None, used_at=None, revoked_at=None)
        Invitation.objects.filter(pk=unsent.pk).update(**change)
        sweep(later)
    Invitation.objects.filter(pk=unsent.pk).update(revoked_at=None)
    sweep(unsent.expires_at + timedelta(minutes=1))
    assert published == []
