"""Review: "Stay signed in" on a page that a signed-in clinician sees before finishing
two-factor (the setup or verify page) must keep the session, not read as "signed out"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.two_factor import force_login_unverified

pytestmark = pytest.mark.django_db


def test_stay_signed_in_answers_on_the_two_factor_setup_page(client, staff):
    force_login_unverified(client, staff)  # password done, authenticator not set up yet
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200
    assert b'id="session-timeout"' in page.content  # the warning is on this page

    response = client.post(reverse("keep_alive"))

    # The script reads anything but 200 as "You have been signed out".
    assert response.status_code == 200, response.get("Location")
