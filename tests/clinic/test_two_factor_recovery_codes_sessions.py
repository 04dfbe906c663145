"""Review: new recovery codes are made when the old ones may be known to someone else; a
session signed in with one of them must end then, as for the other two-factor changes."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_new_recovery_codes_end_the_users_other_sessions(client, staff):
    other = Client()
    other.force_login(staff)  # e.g. signed in with a leaked recovery code
    client.force_login(staff)

    assert client.post(reverse("two_factor_recovery_codes")).status_code == 200

    assert client.get(reverse("inbox")).status_code == 200  # this session stays
    assert other.get(reverse("inbox")).status_code == 302  # the other one ends
