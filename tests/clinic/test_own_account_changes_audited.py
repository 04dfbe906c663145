"""Review: an administrator's change to an account (a new password, an authenticator
deleted) was an audit event, but the account holder's own were not: a password changed,
or set through a reset link, an authenticator paired, two-factor turned off or its
recovery codes replaced left nothing in the trail, so an auditor looking into a taken-over
account could not see when its password or second factor changed, nor from where. Now
each is an ``update`` event of the account (``clinic.user``, with the patient's UUID for
a patient's), by the holder from their address, at the page that made it (a reset link's
secret withheld)."""

from __future__ import annotations

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.models import AuditEvent
from clinic.two_factor import regenerate_recovery_codes
from tests.two_factor import confirmed_totp_device, current_code

pytestmark = pytest.mark.django_db
Action = AuditEvent.Action
OLD, NEW = "old-Patient-pass-2026", "new-Patient-pass-2026"


def _account_events(user):
    return list(
        AuditEvent.objects.filter(object_type="clinic.user", object_id=str(user.uuid)).order_by(
            "id"
        )
    )


@pytest.fixture
def with_password(patient):
    patient.set_password(OLD)
    patient.save()
    return patient


def test_a_password_change_is_audited(client, with_password, patient_record):
    client.force_login(with_password)
    response = client.post(
        reverse("password_change"),
        {"old_password": OLD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    [event] = _account_events(with_password)
    assert (event.action, event.actor, event.path) == (
        Action.UPDATE,
        with_password,
        reverse("password_change"),
    )
    assert event.patient_uuid == patient_record.uuid
    assert event.ip_address == "127.0.0.1"


def test_a_password_set_through_a_reset_link_is_audited(with_password):
    client = Client()
    uid = urlsafe_base64_encode(force_bytes(with_password.pk))
    token = default_token_generator.make_token(with_password)
    form = client.get(reverse("password_reset_confirm", args=[uid, token]))["Location"]
    assert client.post(form, {"new_password1": NEW, "new_password2": NEW}).status_code == 302
    [event] = _account_events(with_password)
    assert (event.action, event.actor) == (Action.UPDATE, with_password)
    assert token not in event.path and uid not in event.path


def test_two_factor_turned_off_is_audited(client, patient):
    device = confirmed_totp_device(patient)
    client.force_login(patient)
    assert client.post(reverse("two_factor_disable"), {"code": current_code(device)}).status_code
    [event] = _account_events(patient)
    assert (event.action, event.path) == (Action.UPDATE, reverse("two_factor_disable"))


def test_new_recovery_codes_are_audited(client, staff):
    regenerate_recovery_codes(user=staff)
    client.force_login(staff)
    assert client.post(reverse("two_factor_recovery_codes")).status_code == 200
    [event] = _account_events(staff)
    assert (event.action, event.path) == (Action.UPDATE, reverse("two_factor_recovery_codes"))
    assert event.patient_uuid is None


def test_a_wrong_code_changes_nothing_and_records_nothing(client, patient):
    confirmed_totp_device(patient)
    client.force_login(patient)
    client.post(reverse("two_factor_disable"), {"code": "000000"})
    assert _account_events(patient) == []


def test_an_authenticator_paired_is_audited(client, patient):
    client.force_login(patient)
    client.get(reverse("two_factor_setup"))
    pending = TOTPDevice.objects.get(user=patient, confirmed=False)
    response = client.post(reverse("two_factor_setup"), {"code": current_code(pending)})
    assert response.status_code == 200
    [event] = _account_events(patient)
    assert (event.action, event.path) == (Action.UPDATE, reverse("two_factor_setup"))
