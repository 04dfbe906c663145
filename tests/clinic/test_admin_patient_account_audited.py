"""Review: an administrator's change to a patient's account in the admin site (switched
off, a new password, the patient's lost authenticator deleted) was an audit event without
the patient's UUID, which every other event about a patient carries: "who touched this
patient's record" (the trail filtered by ``patient_uuid``) missed it. Now those events
name the patient; a clinician's account stays without one."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.models import AuditEvent
from tests.clinic.test_admin_accounts import _user_form

pytestmark = pytest.mark.django_db
PASSWORD = "patient-new-Pass-2026"


def _admin_events():
    return list(AuditEvent.objects.filter(path__startswith="/admin/").order_by("id"))


def test_a_patient_account_switched_off_names_the_patient(client, admin, patient, patient_record):
    client.force_login(admin)
    url = f"/admin/clinic/user/{patient.pk}/change/"
    assert client.post(url, _user_form(patient, is_active="")).status_code == 302
    [event] = _admin_events()
    assert event.patient_uuid == patient_record.uuid


def test_a_password_set_for_a_patient_names_the_patient(client, admin, patient, patient_record):
    client.force_login(admin)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[patient.pk]),
        {"password1": PASSWORD, "password2": PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302
    [event] = _admin_events()
    assert event.patient_uuid == patient_record.uuid


def test_a_patient_authenticator_deleted_names_the_patient(client, admin, patient, patient_record):
    device = TOTPDevice.objects.create(user=patient, name="phone", confirmed=True)
    client.force_login(admin)
    url = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    [event] = _admin_events()
    assert event.patient_uuid == patient_record.uuid


def test_a_clinician_account_names_no_patient(client, admin, staff):
    client.force_login(admin)
    url = f"/admin/clinic/user/{staff.pk}/change/"
    assert client.post(url, _user_form(staff, is_active="")).status_code == 302
    [event] = _admin_events()
    assert event.patient_uuid is None
