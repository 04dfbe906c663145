"""A staff member's calendar feed address is a credential (calendar apps cannot sign in), so
it ends with the trust it was made under: a new password (changed, reset by link or by an
admin), the account switched off, the role no longer staff, or the authenticator phone
deleted as lost. Switching the account on again, or the role back, does not revive it: the
user makes a new address under Follow-ups → Calendar."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.models import CalendarFeedToken, User
from tests.clinic.test_admin_accounts import _user_form

pytestmark = pytest.mark.django_db

OLD_PASSWORD = "old-Staff-pass-2026"
NEW_PASSWORD = "new-Staff-pass-2026"


def _new_feed(user: User) -> str:
    """The feed path ``user`` makes under Follow-ups → Calendar."""
    client = Client()
    client.force_login(user)
    response = client.post(reverse("treatments:followup_calendar"), {"action": "create"})
    match = re.search(r'value="https?://[^"]*(/calendar/[A-Za-z0-9_-]+\.ics)"', response.text)
    assert match, "the new address is shown once"
    assert Client().get(match.group(1)).status_code == 200
    return match.group(1)


@pytest.fixture
def staff_with_password(staff) -> User:
    staff.set_password(OLD_PASSWORD)
    staff.save()
    return staff


def test_changing_the_password_revokes_the_feed(staff_with_password):
    feed = _new_feed(staff_with_password)
    client = Client()
    client.force_login(staff_with_password)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": OLD_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert Client().get(feed).status_code == 404


def test_a_password_reset_by_link_revokes_the_feed(staff_with_password):
    feed = _new_feed(staff_with_password)
    client = Client()
    uid = urlsafe_base64_encode(force_bytes(staff_with_password.pk))
    token = default_token_generator.make_token(staff_with_password)
    # Django swaps the token for a session marker first, then shows the form.
    response = client.get(reverse("password_reset_confirm", args=[uid, token]))
    response = client.post(
        response["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert Client().get(feed).status_code == 404


def test_an_admin_setting_a_new_password_revokes_the_feed(client, admin, staff_with_password):
    feed = _new_feed(staff_with_password)
    client.force_login(admin)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[staff_with_password.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302, response.text[:2000]
    assert Client().get(feed).status_code == 404


def test_a_switched_off_account_switched_on_again_keeps_its_feed_revoked(client, admin, staff):
    feed = _new_feed(staff)
    client.force_login(admin)
    url = f"/admin/clinic/user/{staff.pk}/change/"
    assert client.post(url, _user_form(staff, is_active="")).status_code == 302
    staff.refresh_from_db()
    assert client.post(url, _user_form(staff, is_active="on")).status_code == 302
    assert Client().get(feed).status_code == 404
    assert not CalendarFeedToken.objects.filter(user=staff, revoked_at__isnull=True).exists()


def test_a_role_changed_away_from_staff_and_back_keeps_its_feed_revoked(client, admin, staff):
    feed = _new_feed(staff)
    client.force_login(admin)
    url = f"/admin/clinic/user/{staff.pk}/change/"
    assert client.post(url, _user_form(staff, role=User.Role.NEUROLOGIST)).status_code == 302
    staff.refresh_from_db()
    assert client.post(url, _user_form(staff, role=User.Role.STAFF)).status_code == 302
    assert Client().get(feed).status_code == 404


def test_deleting_a_lost_authenticator_revokes_the_feed(client, admin, staff):
    feed = _new_feed(staff)
    device = TOTPDevice.objects.get(user=staff, confirmed=True)
    client.force_login(admin)
    url = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert Client().get(feed).status_code == 404


def test_an_ordinary_admin_edit_keeps_the_feed(client, admin, staff):
    """Only a change of trust ends it: a corrected name does not."""
    feed = _new_feed(staff)
    client.force_login(admin)
    url = f"/admin/clinic/user/{staff.pk}/change/"
    assert client.post(url, _user_form(staff, last_name="Corrected")).status_code == 302
    assert Client().get(feed).status_code == 200


def test_the_calendar_page_says_what_revokes_the_address(client, staff):
    client.force_login(staff)
    page = client.get(reverse("treatments:followup_calendar")).text
    assert "new password" in page


def test_an_admin_switching_off_password_sign_in_revokes_the_feed(
    client, admin, staff_with_password
):
    feed = _new_feed(staff_with_password)
    client.force_login(admin)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[staff_with_password.pk]),
        {"usable_password": "false", "unset-password": "1"},
    )
    assert response.status_code == 302, response.text[:2000]
    staff_with_password.refresh_from_db()
    assert not staff_with_password.has_usable_password()
    assert Client().get(feed).status_code == 404
