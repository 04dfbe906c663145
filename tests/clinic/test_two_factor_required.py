"""Two-factor is required exactly for the clinical roles (clinic.two_factor middleware)."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from tests.two_factor import confirmed_totp_device, force_login_unverified

CLINICAL = ["treating_neurologist", "other_neurologist", "staff", "admin"]
START = {
    "treating_neurologist": "treatments:neurologist_home",
    "other_neurologist": "treatments:neurologist_home",
    "staff": "treatments:followup_queue",
    "admin": "admin:index",
    "patient": "patients:today",
}


@pytest.mark.parametrize("persona", CLINICAL, indirect=True)
def test_a_clinician_without_a_device_is_sent_to_setup_keeping_next(client, persona):
    force_login_unverified(client, persona)
    page = reverse(START[_name(persona)]) + "?sort=due"
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"] == reverse("two_factor_setup") + "?" + urlencode({"next": page})


@pytest.mark.parametrize("persona", CLINICAL, indirect=True)
def test_a_clinician_with_a_device_is_sent_to_verify(client, persona):
    confirmed_totp_device(persona)
    force_login_unverified(client, persona)
    response = client.get(reverse(START[_name(persona)]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_verify") + "?next=")


@pytest.mark.parametrize("persona", CLINICAL, indirect=True)
def test_a_verified_clinician_reaches_the_start_page(client, persona):
    client.force_login(persona)  # the suite's force_login also verifies two-factor
    assert client.get(reverse(START[_name(persona)])).status_code == 200


def test_a_patient_without_two_factor_is_not_asked(client, patient):
    force_login_unverified(client, patient)
    assert client.get(reverse("patients:today")).status_code == 200


def test_a_patient_who_turned_it_on_must_verify_at_sign_in(client, patient):
    confirmed_totp_device(patient)
    force_login_unverified(client, patient)
    response = client.get(reverse("patients:today"))
    assert response["Location"].startswith(reverse("two_factor_verify") + "?next=")


def test_the_admin_site_is_behind_two_factor_too(client, admin):
    force_login_unverified(client, admin)
    response = client.get("/admin/clinic/auditevent/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))


@pytest.mark.parametrize("name", ["two_factor_setup", "ping"])
def test_setup_and_ping_stay_open_before_verification(client, staff, name):
    force_login_unverified(client, staff)
    assert client.get(reverse(name)).status_code == 200


def test_verify_stays_open_before_verification(client, staff):
    confirmed_totp_device(staff)
    force_login_unverified(client, staff)
    assert client.get(reverse("two_factor_verify")).status_code == 200


def test_healthz_answers_before_verification(client, staff):
    force_login_unverified(client, staff)
    response = client.get(reverse("healthz"))
    assert response["Content-Type"] == "application/json"


def test_the_login_page_sends_a_signed_in_clinician_on_to_verification(client, staff):
    force_login_unverified(client, staff)
    response = client.get(reverse("login"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("two_factor_setup"))


def test_logout_stays_open_before_verification(client, staff):
    force_login_unverified(client, staff)
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")


def test_the_demo_setting_turns_the_requirement_off(client, staff, settings):
    settings.CLINIC_REQUIRE_2FA = False
    force_login_unverified(client, staff)
    assert client.get(reverse("treatments:followup_queue")).status_code == 200


def test_a_post_before_verification_is_redirected_not_served(client, staff):
    force_login_unverified(client, staff)
    response = client.post(reverse("theme_toggle"), {"next": "/"})
    assert response["Location"].startswith(reverse("two_factor_setup"))
    staff.refresh_from_db()
    assert staff.theme == "auto"


def _name(user) -> str:
    return {
        "dr_treating": "treating_neurologist",
        "dr_other": "other_neurologist",
        "staff_member": "staff",
        "clinic_admin": "admin",
    }[user.username]
