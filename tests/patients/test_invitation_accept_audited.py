"""Review: accepting an invitation makes the account that opens a patient's record to
whoever held the link, yet the trail showed only a ``login`` (no patient named) whose
path was the invitation's address, token included: the trail held a secret, and "who got
access to this patient's record, and when" had no answer. Now the account made is a
``create`` event of it (``clinic.user``) naming the patient, and no event keeps the
token (every event's path has its secrets withheld, as in the logs)."""

from __future__ import annotations

import pytest

from clinic.models import AuditEvent, User
from patients.services.invitations import invitation_token
from tests.patients.test_invitation_accept import accept, invitation  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_account_made_is_audited_with_the_patient(client, invitation):  # noqa: F811
    token = invitation_token(invitation)
    assert accept(client, invitation).status_code == 302
    user = User.objects.get(username="ana.silva")
    made = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, object_type="clinic.user")
    assert (made.actor, made.object_id) == (user, str(user.uuid))
    assert made.patient_uuid == invitation.patient.uuid
    assert made.ip_address == "127.0.0.1"
    assert all(token not in event.path for event in AuditEvent.objects.all())
