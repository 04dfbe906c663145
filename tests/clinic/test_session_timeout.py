"""The idle sign-out warning: the seconds left (clinic/sessions.py) and the dialog that
every signed-in page with an idle limit carries (templates/base.html)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.access import PATIENT, STAFF
from clinic.sessions import (
    CLINICIAN_IDLE_SECONDS,
    IDLE_WARNING_SECONDS,
    KEEP_SIGNED_IN_KEY,
    LAST_ACTIVITY_KEY,
    PATIENT_ABSOLUTE_SECONDS,
    PATIENT_IDLE_SECONDS,
    SignOutCountdown,
    expired_reason,
    idle_seconds_left,
    sign_out_countdown,
)
from tests.factories import PASSWORD

NOW = 1_800_000_000.0
INBOX = reverse("inbox")


def session(idle: float, keep: bool = False) -> dict[str, object]:
    """A session last active ``idle`` seconds before NOW."""
    return {"clinic_login_at": NOW - idle, LAST_ACTIVITY_KEY: NOW - idle, KEEP_SIGNED_IN_KEY: keep}


@pytest.mark.parametrize(
    ("role", "idle", "left"),
    [
        (PATIENT, 0, PATIENT_IDLE_SECONDS),
        (PATIENT, 600, PATIENT_IDLE_SECONDS - 600),
        (PATIENT, 600.4, PATIENT_IDLE_SECONDS - 601),  # rounded down: never promise more
        (STAFF, 0, CLINICIAN_IDLE_SECONDS),
        (STAFF, CLINICIAN_IDLE_SECONDS - 1, 1),
        (STAFF, CLINICIAN_IDLE_SECONDS + 300, 0),  # past the limit: 0, never negative
    ],
)
def test_the_idle_seconds_left(role, idle, left):
    assert idle_seconds_left(session(idle), role, NOW) == left


def test_a_kept_patient_sign_in_has_no_idle_limit():
    assert idle_seconds_left(session(3600, keep=True), PATIENT, NOW) is None


def test_a_clinician_cannot_keep_the_sign_in():
    assert idle_seconds_left(session(0, keep=True), STAFF, NOW) == CLINICIAN_IDLE_SECONDS


def test_a_session_without_an_activity_stamp_counts_from_now():
    assert idle_seconds_left({}, PATIENT, NOW) == PATIENT_IDLE_SECONDS


def test_it_agrees_with_the_sign_out_itself():
    """0 left at the limit, still signed in; a second later signed out, still 0."""
    at_limit = session(PATIENT_IDLE_SECONDS)
    assert idle_seconds_left(at_limit, PATIENT, NOW) == 0
    assert expired_reason(at_limit, PATIENT, NOW) == ""
    after = session(PATIENT_IDLE_SECONDS + 1)
    assert idle_seconds_left(after, PATIENT, NOW) == 0
    assert expired_reason(after, PATIENT, NOW) != ""


def test_the_countdown_is_to_the_idle_limit_while_it_comes_first():
    assert sign_out_countdown(session(600), PATIENT, NOW) == SignOutCountdown(
        PATIENT_IDLE_SECONDS - 600, final=False
    )


def test_near_the_absolute_limit_the_countdown_is_to_it_and_final():
    """Signed in 11 h 50 min ago and active just now: the 12-hour limit comes in 10
    minutes, before the idle one, and "Stay signed in" cannot move it."""
    signed_in_long_ago = session(0) | {"clinic_login_at": NOW - (PATIENT_ABSOLUTE_SECONDS - 600)}
    assert sign_out_countdown(signed_in_long_ago, PATIENT, NOW) == SignOutCountdown(600, final=True)


def test_a_kept_sign_in_has_no_countdown():
    assert sign_out_countdown(session(0, keep=True), PATIENT, NOW) is None


def test_the_warning_leaves_more_than_20_seconds_to_act():
    assert 20 < IDLE_WARNING_SECONDS < min(PATIENT_IDLE_SECONDS, CLINICIAN_IDLE_SECONDS)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    return time_machine


def warning_numbers(html: str) -> tuple[int, int] | None:
    """(idle seconds left, warning seconds) from the page's dialog, None without one."""
    match = re.search(
        r'<dialog id="session-timeout"[^>]*?data-seconds-left="(\d+)"\s+'
        r'data-final="false"\s+data-warning-seconds="(\d+)"',
        html,
    )
    return (int(match[1]), int(match[2])) if match else None


def test_a_patients_page_tells_the_script_the_seconds_left(client, patient, clock):
    client.force_login(patient)
    html = client.get(INBOX).content.decode()
    assert warning_numbers(html) == (PATIENT_IDLE_SECONDS, IDLE_WARNING_SECONDS)
    assert 'role="alertdialog"' in html
    assert "/static/js/session-timeout.js" in html
    assert "Stay signed in" in html
    # Within a minute the request is not written back as activity (the resolution), so
    # the page counts from the stamp the server holds, not from the request.
    clock.shift(timedelta(seconds=30))
    html = client.get(INBOX).content.decode()
    assert warning_numbers(html) == (PATIENT_IDLE_SECONDS - 30, IDLE_WARNING_SECONDS)


def test_a_clinicians_page_counts_the_clinicians_limit(client, staff, clock):
    client.force_login(staff)
    html = client.get(reverse("treatments:followup_queue")).content.decode()
    assert warning_numbers(html) == (CLINICIAN_IDLE_SECONDS, IDLE_WARNING_SECONDS)


def test_a_kept_patient_sign_in_has_no_warning(client, patient):
    data = {"username": patient.username, "password": PASSWORD, "keep_signed_in": "on"}
    assert client.post(reverse("login"), data).status_code == 302
    html = client.get(INBOX).content.decode()
    assert 'id="session-timeout"' not in html
    assert "session-timeout.js" not in html


def test_the_sign_in_page_has_no_warning(client, db):
    html = client.get(reverse("login")).content.decode()
    assert 'id="session-timeout"' not in html


def test_an_admin_page_carries_the_warning_with_the_clinicians_limit(client, admin, clock):
    client.force_login(admin)
    html = client.get(reverse("admin:clinic_user_changelist")).content.decode()
    assert warning_numbers(html) == (CLINICIAN_IDLE_SECONDS, IDLE_WARNING_SECONDS)
    assert html.count('id="session-timeout"') == 1
    assert "/static/js/session-timeout.js" in html
    assert "/static/css/session-timeout-admin.css" in html


def test_the_admin_sign_in_page_has_no_warning(client, db):
    html = client.get(reverse("admin:login")).content.decode()
    assert 'id="session-timeout"' not in html
    assert "session-timeout-admin.css" not in html


def test_the_dialog_markup_is_in_one_template():
    """base.html and the admin's base_site.html include it; neither copies it."""
    from django.conf import settings

    templates = settings.BASE_DIR / "templates"
    holders = [
        path.relative_to(templates).as_posix()
        for path in templates.rglob("*.html")
        if 'id="session-timeout"' in path.read_text()
    ]
    assert holders == ["clinic/session_timeout.html"]
    for user in ("base.html", "admin/base_site.html"):
        assert '{% include "clinic/session_timeout.html" %}' in (templates / user).read_text()
