"""Review (team changes): a locum neurologist covers for a month. Nothing ended their
account when the cover did: it signed in, saw the patients still on its care teams and
kept its sessions until an administrator remembered to switch it off. Now an account may
carry *Access until* (the clinic's date of its last day): from the next day it no longer
signs in, a signed-in session ends at its next request, and beat's early-morning job
switches it off (so the patient list and queue show it as gone, and its calendar feed ends)."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from clinic import account_end
from clinic.backends import UsernameAnyCaseBackend
from clinic.celery import BEAT_SCHEDULE
from clinic.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
LAST_DAY = date(2026, 3, 31)


def clinic_time(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def locum(db) -> User:
    return UserFactory(username="dr_locum", role=User.Role.NEUROLOGIST, access_until=LAST_DAY)


def signs_in(user: User) -> bool:
    return UsernameAnyCaseBackend().authenticate(None, user.username, PASSWORD) is not None


def test_the_locum_signs_in_to_the_end_of_the_last_day(locum):
    with time_machine.travel(clinic_time(LAST_DAY, 23, 59), tick=False):
        assert signs_in(locum)
    with time_machine.travel(clinic_time(date(2026, 4, 1), 0, 1), tick=False):
        assert not signs_in(locum)


def test_a_signed_in_session_ends_at_its_next_request(client, locum):
    url = reverse("treatments:neurologist_home")
    with time_machine.travel(clinic_time(LAST_DAY, 17), tick=False):
        client.force_login(locum)
        assert client.get(url).status_code == 200
    with time_machine.travel(clinic_time(date(2026, 4, 1), 8), tick=False):
        response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_beat_switches_ended_accounts_off(locum):
    permanent = UserFactory(role=User.Role.NEUROLOGIST)
    with time_machine.travel(clinic_time(LAST_DAY, 12), tick=False):
        assert account_end.switch_off_ended_accounts() == 0
    with time_machine.travel(clinic_time(date(2026, 4, 1), 0, 5), tick=False):
        assert account_end.switch_off_ended_accounts() == 1
    locum.refresh_from_db()
    permanent.refresh_from_db()
    assert not locum.is_active
    assert permanent.is_active
    tasks = {entry["task"] for entry in BEAT_SCHEDULE.values()}
    assert "clinic.tasks.switch_off_ended_accounts" in tasks


def test_the_admin_sets_it(client, admin, locum):
    client.force_login(admin)
    html = client.get(reverse("admin:clinic_user_change", args=[locum.pk])).text
    assert 'name="access_until"' in html
    assert settings.TIME_ZONE  # the date is the clinic's


def test_a_temporary_staff_members_calendar_feed_ends_with_the_account(client, catalogs):
    from treatments.services.followups import calendar_token_create

    temp = UserFactory(role=User.Role.STAFF, access_until=LAST_DAY)
    token = calendar_token_create(user=temp)
    feed = reverse("treatments:followup_calendar_feed", kwargs={"token": token})
    with time_machine.travel(clinic_time(LAST_DAY, 12), tick=False):
        assert client.get(feed).status_code == 200
    with time_machine.travel(clinic_time(date(2026, 4, 1), 0, 5), tick=False):
        account_end.switch_off_ended_accounts()
        assert client.get(feed).status_code == 404
    temp.is_active = True
    temp.save()
    assert client.get(feed).status_code == 404  # switching it back does not revive it


def test_the_feed_ends_at_midnight_before_beat_switches_the_account_off(client, catalogs):
    """The feed address is a credential like a password: it stops when sign-in does (the
    day after the last), not at 00:05 when beat's job runs, nor never if beat is down."""
    from treatments.services.followups import calendar_token_create

    temp = UserFactory(role=User.Role.STAFF, access_until=LAST_DAY)
    token = calendar_token_create(user=temp)
    feed = reverse("treatments:followup_calendar_feed", kwargs={"token": token})
    with time_machine.travel(clinic_time(LAST_DAY, 23, 59), tick=False):
        assert client.get(feed).status_code == 200
    with time_machine.travel(clinic_time(date(2026, 4, 1), 0, 1), tick=False):
        assert client.get(feed).status_code == 404
    temp.refresh_from_db()
    assert temp.is_active  # beat has not run: the feed ended all the same
