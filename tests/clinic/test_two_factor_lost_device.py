"""A clinician who lost phone and recovery codes: an admin deletes their device under
"TOTP devices", and the next sign-in sets up a new one (README "Security: sign-in").

Their recovery codes (a django-otp static device) are left behind by that deletion; the
account must not stay stuck on a verify page that only the lost codes can pass."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic import two_factor
from tests.two_factor import force_login_unverified

pytestmark = pytest.mark.django_db


def test_after_the_admin_deletes_the_device_the_next_sign_in_sets_up_a_new_one(client, staff):
    device = TOTPDevice.objects.create(user=staff, name="lost phone", confirmed=True)
    two_factor.regenerate_recovery_codes(user=staff)  # shown once at setup, lost with the phone
    device.delete()  # the admin, under "TOTP devices" (which ends the user's sessions)

    staff.refresh_from_db()  # a new sign-in reads the user as the database has it now
    force_login_unverified(client, staff)
    response = client.get(reverse("treatments:followup_queue"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))


def test_the_only_admin_who_lost_their_phone_gets_in_with_a_code_from_addstatictoken(client, admin):
    """No other admin can delete their device: ``manage.py addstatictoken <username>``
    (README "Security: sign-in") prints a one-time code the verify page takes."""
    TOTPDevice.objects.create(user=admin, name="lost phone", confirmed=True)
    force_login_unverified(client, admin)
    out = StringIO()
    call_command("addstatictoken", admin.username, stdout=out)
    code = out.getvalue().strip()

    response = client.post(
        reverse("two_factor_verify") + "?next=/admin/", {"code": code, "next": "/admin/"}
    )

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
