"""Review: the sign-out warning must come before the sign-out that actually happens next.
Near the 12-hour absolute limit that is the absolute one (WCAG 2.2.1: 12 hours is under
the 20-hour exception), which the page's seconds left ignore."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.sessions import CLINICIAN_ABSOLUTE_SECONDS, LOGIN_AT_KEY

pytestmark = pytest.mark.django_db

INBOX = reverse("inbox")


def test_the_page_counts_down_to_the_absolute_limit_when_it_comes_first(
    client, staff, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    client.force_login(staff)
    session = client.session
    # Signed in 11 h 59 min ago, active all along: the absolute limit ends it in 60 s.
    session[LOGIN_AT_KEY] = timezone.now().timestamp() - (CLINICIAN_ABSOLUTE_SECONDS - 60)
    session.save()

    page = client.get(INBOX).content.decode()
    left = int(re.search(r'data-seconds-left="(\d+)"', page).group(1))
    time_machine.shift(timedelta(seconds=61))
    signed_out = client.get(INBOX).status_code == 302

    assert signed_out  # the server does end it then
    assert left <= 60, f"the page promises {left} s; the sign-out comes in 60 s, unwarned"
