"""New recovery codes: shown once, the old ones stop working."""

from __future__ import annotations

from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken

from clinic.two_factor import regenerate_recovery_codes

URL = reverse("two_factor_recovery_codes")


def test_anonymous_is_sent_to_login(client, db):
    assert client.post(URL)["Location"].startswith(reverse("login"))


def test_get_is_not_allowed(client, staff):
    client.force_login(staff)
    assert client.get(URL).status_code == 405


def test_new_codes_replace_the_old_ones(client, staff):
    old = regenerate_recovery_codes(user=staff)  # (which ends the sessions signed in before)
    client.force_login(staff)
    response = client.post(URL)
    new = response.context["codes"]
    stored = set(StaticToken.objects.filter(device__user=staff).values_list("token", flat=True))
    assert len(new) == 10 and stored == set(new)
    assert not stored & set(old)
    assert "shown only now" in response.content.decode()


def test_without_two_factor_there_is_nothing_to_regenerate(client, patient):
    client.force_login(patient)
    response = client.post(URL)
    assert response["Location"] == reverse("two_factor_status")
    assert not StaticToken.objects.exists()
