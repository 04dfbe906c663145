"""Review: what an administrator changes in the admin site (a user's role, an account
switched off, a password set, a lost authenticator deleted, a catalog row) was only in
Django's own admin history, which is not the clinic's audit trail (clinic.audit: who,
when, from where, what). Now each addition, change and deletion made there is an audit
event too, kept with the change. It names the object (type and id) and the admin address
used, never the values: no name, role, password or email is written to the trail."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.models import AuditEvent, User
from tests.clinic.test_admin_accounts import _user_form

pytestmark = pytest.mark.django_db
Action = AuditEvent.Action
PASSWORD = "second-admin-Pass-2026"


def _admin_events():
    return list(AuditEvent.objects.filter(path__startswith="/admin/").order_by("id"))


def _holds_no_values(event: AuditEvent, *values: str) -> None:
    stored = " ".join(str(getattr(event, name)) for name in ("object_type", "object_id", "path"))
    for value in values:
        assert value not in stored


def test_a_role_change_is_an_audit_event(client, admin, staff):
    client.force_login(admin)
    url = f"/admin/clinic/user/{staff.pk}/change/"
    response = client.post(url, _user_form(staff, role=User.Role.NEUROLOGIST, last_name="Zed"))
    assert response.status_code == 302
    [event] = _admin_events()
    assert event.action == Action.UPDATE
    assert event.actor == admin
    assert event.object_type == "clinic.user"
    assert event.object_id == str(staff.uuid)
    assert event.ip_address == "127.0.0.1"
    _holds_no_values(event, "neurologist", "Zed")


def test_an_account_added_is_an_audit_event(client, admin):
    client.force_login(admin)
    response = client.post(
        "/admin/clinic/user/add/",
        {
            "username": "second_admin",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "usable_password": "true",
            "role": User.Role.ADMIN,
        },
    )
    assert response.status_code == 302
    added = User.objects.get(username="second_admin")
    assert [(e.action, e.object_id) for e in _admin_events()] == [(Action.CREATE, str(added.uuid))]


def test_a_password_set_by_an_admin_is_an_audit_event(client, admin, staff):
    client.force_login(admin)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[staff.pk]),
        {"password1": PASSWORD, "password2": PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302
    [event] = _admin_events()
    assert (event.action, event.object_id) == (Action.UPDATE, str(staff.uuid))
    _holds_no_values(event, PASSWORD)


def test_a_deleted_authenticator_is_an_audit_event(client, admin, staff):
    client.force_login(staff)
    device = TOTPDevice.objects.get(user=staff, confirmed=True)
    client.force_login(admin)
    url = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    [event] = _admin_events()
    assert event.action == Action.DELETE
    assert (event.object_type, event.object_id) == ("otp_totp.totpdevice", str(device.pk))


def test_several_deleted_at_once_are_one_event_each(client, admin, staff, treating_neurologist):
    devices = [
        TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
        for user in (staff, treating_neurologist)
    ]
    client.force_login(admin)
    response = client.post(
        reverse("admin:otp_totp_totpdevice_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [d.pk for d in devices],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert sorted(e.object_id for e in _admin_events() if e.action == Action.DELETE) == sorted(
        str(d.pk) for d in devices
    )
