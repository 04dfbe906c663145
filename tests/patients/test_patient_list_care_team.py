"""Review (team changes): a neurologist leaves (account switched off) with a long list of
patients. The patient list named no care team, so staff could not tell which patients were
left with no active neurologist without opening every record: they were orphaned silently.
Now each row names the care team (a member who left marked as such), a patient with no
active neurologist says so, and staff can list just those patients (``?care=none``)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinic.models import User
from tests.factories import PatientFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("patients:patient_list")
ORPHANS = URL + "?care=none"
NO_ACTIVE = "No active neurologist"


@pytest.fixture
def leaver(db) -> User:
    return UserFactory(
        username="dr_leaver", first_name="Ann", last_name="Leaver", role=User.Role.NEUROLOGIST
    )


@pytest.fixture
def successor(db) -> User:
    return UserFactory(
        username="dr_next", first_name="Ben", last_name="Successor", role=User.Role.NEUROLOGIST
    )


@pytest.fixture
def left_alone(catalogs, leaver):
    """Patients whose only neurologist is the leaver."""
    return PatientFactory.create_batch(3, care_team=[leaver])


@pytest.fixture
def shared(catalogs, leaver, successor):
    """A patient the leaver shared with a colleague who stays."""
    return PatientFactory(care_team=[leaver, successor], last_name="Shared")


def switch_off(user: User) -> None:
    user.is_active = False
    user.save()


def row_of(html: str, patient) -> str:
    match = re.search(
        r"<tr>(?:(?!</tr>).)*" + re.escape(patient.medical_record_number) + r".*?</tr>",
        html,
        re.S,
    )
    assert match, f"{patient.medical_record_number} not listed"
    return match.group(0)


def test_each_row_names_the_care_team(client, staff, left_alone, leaver, successor, shared):
    client.force_login(staff)
    html = client.get(URL).text
    assert "Care team" in html
    assert "Ann Leaver" in row_of(html, left_alone[0])
    assert "Ben Successor" in row_of(html, shared)


def test_a_patient_whose_only_neurologist_left_says_so(client, staff, left_alone, leaver, shared):
    switch_off(leaver)
    client.force_login(staff)
    html = client.get(URL).text
    row = row_of(html, left_alone[0])
    assert "Ann Leaver (account switched off)" in row
    assert NO_ACTIVE in row
    assert NO_ACTIVE not in row_of(html, shared)


def test_staff_are_told_how_many_have_no_active_neurologist(
    client, staff, left_alone, leaver, shared
):
    switch_off(leaver)
    client.force_login(staff)
    html = client.get(URL).text
    assert "3 patients have no active neurologist" in html
    assert f'href="{ORPHANS}"' in html


def test_a_new_patient_with_an_empty_care_team_counts_too(client, staff, catalogs):
    PatientFactory(care_team=[])
    client.force_login(staff)
    assert "1 patient has no active neurologist" in client.get(URL).text


def test_the_orphans_view_lists_only_them(client, staff, left_alone, leaver, shared):
    switch_off(leaver)
    client.force_login(staff)
    html = client.get(ORPHANS).text
    for patient in left_alone:
        assert patient.medical_record_number in html
    assert shared.medical_record_number not in html
    assert "3 patients with no active neurologist" in html
    assert f'href="{URL}"' in html  # back to every patient


def test_nothing_to_say_when_every_patient_has_a_neurologist(client, staff, left_alone, shared):
    client.force_login(staff)
    html = client.get(URL).text
    assert "no active neurologist" not in html.lower()


def test_a_colleague_made_staff_counts_as_gone(client, staff, left_alone, leaver):
    leaver.role = User.Role.STAFF
    leaver.save()
    client.force_login(staff)
    html = client.get(URL).text
    assert "Ann Leaver (no longer a neurologist)" in row_of(html, left_alone[0])
    assert "3 patients have no active neurologist" in html


def test_query_count_does_not_grow_with_care_teams(client, staff, catalogs, leaver, successor):
    client.force_login(staff)
    PatientFactory.create_batch(2, care_team=[leaver])
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    PatientFactory.create_batch(20, care_team=[leaver, successor])
    switch_off(leaver)
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(few.captured_queries) == len(many.captured_queries)


def test_the_orphans_view_keeps_its_filter_from_page_to_page(client, staff, catalogs):
    PatientFactory.create_batch(30, care_team=[])
    client.force_login(staff)
    html = client.get(ORPHANS).text
    assert 'href="?care=none&amp;page=2"' in html


def test_a_search_in_the_orphans_view_stays_in_it(client, staff, left_alone, leaver, shared):
    switch_off(leaver)
    shared.last_name = left_alone[0].last_name + "x"
    shared.save()
    client.force_login(staff)
    response = client.post(ORPHANS, {"q": left_alone[0].last_name})
    assert response.status_code == 302
    assert response["Location"] == ORPHANS
    html = client.get(response["Location"]).text
    assert left_alone[0].medical_record_number in html
    assert shared.medical_record_number not in html
    assert f'action="{ORPHANS}"' in client.get(ORPHANS).text


def leave_care(patient, reason: str = "died") -> None:
    patient.left_care_on, patient.left_care_reason = timezone.localdate(), reason
    patient.save()


def test_a_patient_who_left_care_is_no_orphan(client, staff, left_alone, leaver, shared):
    # Merge review: a patient who died or was discharged needs no new neurologist; counting
    # them sent staff looking for a neurologist for somebody the clinic no longer treats.
    switch_off(leaver)
    leave_care(left_alone[0])
    client.force_login(staff)
    assert "2 patients have no active neurologist" in client.get(URL).text
    html = client.get(ORPHANS).text
    assert left_alone[0].medical_record_number not in html
    assert left_alone[1].medical_record_number in html
