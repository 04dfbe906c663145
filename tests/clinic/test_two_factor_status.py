"""The two-factor page: state, recovery codes left, and who may turn it off."""

from __future__ import annotations

from django.urls import reverse

from clinic.two_factor import regenerate_recovery_codes
from tests.two_factor import confirmed_totp_device

URL = reverse("two_factor_status")


def test_anonymous_is_sent_to_login(client, db):
    assert client.get(URL)["Location"].startswith(reverse("login"))


def test_a_patient_sees_it_off_with_a_way_to_turn_it_on(client, patient):
    client.force_login(patient)
    html = client.get(URL).content.decode()
    assert "is <strong>off</strong>" in html
    assert reverse("two_factor_setup") in html


def test_a_patient_with_it_on_may_turn_it_off(client, patient):
    confirmed_totp_device(patient)
    regenerate_recovery_codes(user=patient)
    client.force_login(patient)
    html = client.get(URL).content.decode()
    assert "is <strong>on</strong>" in html
    assert "Recovery codes left: 10" in html
    assert reverse("two_factor_disable") in html


def test_a_clinician_cannot_turn_it_off(client, staff):
    client.force_login(staff)
    html = client.get(URL).content.decode()
    assert "is <strong>on</strong>" in html
    assert reverse("two_factor_disable") not in html
    assert "cannot turn two-factor off" in html
