"""Review: a wrong password was a ``login_failed`` audit event, but a wrong second-factor
code after the right password was not: the one sign that someone else knows a clinician's
password (they get past the password, then guess codes) never reached the trail. Now each
wrong code at the two-factor step is a ``login_failed`` event naming the account, its
address and the page; the code typed is not kept, and the right code records none."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clinic.models import AuditEvent
from tests.two_factor import confirmed_totp_device, current_code, force_login_unverified

pytestmark = pytest.mark.django_db
URL = reverse("two_factor_verify")
WRONG = "000000"


def _failures():
    return list(AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED))


def test_a_wrong_code_is_a_failed_login(client, staff):
    confirmed_totp_device(staff)
    force_login_unverified(client, staff)
    assert client.post(URL, {"code": WRONG}).status_code == 200
    [event] = _failures()
    assert (event.actor, event.actor_username, event.path) == (staff, staff.username, URL)
    assert event.ip_address == "127.0.0.1"
    assert WRONG not in " ".join((event.path, event.object_id))


def test_the_right_code_records_no_failure(client, staff):
    device = confirmed_totp_device(staff)
    force_login_unverified(client, staff)
    assert client.post(URL, {"code": current_code(device)}).status_code == 302
    assert _failures() == []
