"""Review (team changes): a neurologist leaves with 200 patients, a locum covers for a
month, a new neurologist takes over part of the list. The only way to change a care team
was to open and save each patient's record, one by one, 200 times for the locum's start and
200 more for their end. Now staff hand a neurologist's patients over on one page
(``patients:care_team_handover``): all of them or those ticked, to another active
neurologist who joins the care team (a cover: the first stays) or takes their place."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clinic.models import AuditEvent, User
from tests.factories import PatientFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("patients:care_team_handover")


@pytest.fixture
def leaver(db) -> User:
    return UserFactory(
        username="dr_leaver", first_name="Ann", last_name="Leaver", role=User.Role.NEUROLOGIST
    )


@pytest.fixture
def locum(db) -> User:
    return UserFactory(
        username="dr_locum", first_name="Lou", last_name="Locum", role=User.Role.NEUROLOGIST
    )


@pytest.fixture
def hers(catalogs, leaver):
    return PatientFactory.create_batch(4, care_team=[leaver])


def team(patient) -> set[str]:
    return set(patient.care_team.values_list("username", flat=True))


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("inactive_user", 302),
        ("patient", 403),
        ("treating_neurologist", 403),
        ("staff", 200),
        ("admin", 200),
    ],
    indirect=["persona"],
)
def test_who_may_open_the_page(client_for, persona, status):
    assert client_for(persona).get(URL).status_code == status


def test_the_page_lists_the_chosen_neurologists_patients(client, staff, leaver, hers):
    leaver.is_active = False
    leaver.save()
    client.force_login(staff)
    html = client.get(URL, {"from": str(leaver.uuid)}).text
    assert "Ann Leaver (account switched off)" in html
    for patient in hers:
        assert patient.medical_record_number in html


def test_a_locum_covers_all_of_them_and_the_first_stays(client, staff, leaver, locum, hers):
    client.force_login(staff)
    data = {"from": str(leaver.uuid), "to": str(locum.uuid), "how": "add", "which": "all"}
    response = client.post(URL, data)
    assert response.status_code == 302
    for patient in hers:
        assert team(patient) == {"dr_leaver", "dr_locum"}
    updates = AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE, actor=staff)
    assert {event.patient_uuid for event in updates} == {p.uuid for p in hers}


def test_a_new_neurologist_takes_over_the_ticked_ones(client, staff, leaver, locum, hers):
    client.force_login(staff)
    ticked = [str(p.uuid) for p in hers[:2]]
    data = {
        "from": str(leaver.uuid),
        "to": str(locum.uuid),
        "how": "replace",
        "which": "ticked",
        "patients": ticked,
    }
    assert client.post(URL, data).status_code == 302
    assert [team(p) for p in hers] == [{"dr_locum"}, {"dr_locum"}, {"dr_leaver"}, {"dr_leaver"}]


def test_at_the_end_of_the_cover_the_locum_hands_back(client, staff, leaver, locum, hers):
    for patient in hers:
        patient.care_team.add(locum)
    client.force_login(staff)
    data = {"from": str(locum.uuid), "to": str(leaver.uuid), "how": "replace", "which": "all"}
    assert client.post(URL, data).status_code == 302
    assert all(team(p) == {"dr_leaver"} for p in hers)


def test_ticking_none_is_explained_and_nothing_changes(client, staff, leaver, locum, hers):
    client.force_login(staff)
    data = {"from": str(leaver.uuid), "to": str(locum.uuid), "how": "add", "which": "ticked"}
    response = client.post(URL, data)
    assert response.status_code == 200
    assert "Tick the patients to hand over" in response.text
    assert all(team(p) == {"dr_leaver"} for p in hers)


def test_only_an_active_neurologist_takes_them(client, staff, leaver, hers):
    gone = UserFactory(role=User.Role.NEUROLOGIST, is_active=False)
    client.force_login(staff)
    data = {"from": str(leaver.uuid), "to": str(gone.uuid), "how": "add", "which": "all"}
    response = client.post(URL, data)
    assert response.status_code == 200
    assert all(team(p) == {"dr_leaver"} for p in hers)


def test_a_neurologist_is_never_put_on_their_own_care_team(client, staff, leaver, locum, hers):
    own = PatientFactory(email=locum.email, care_team=[leaver])
    client.force_login(staff)
    data = {"from": str(leaver.uuid), "to": str(locum.uuid), "how": "replace", "which": "all"}
    response = client.post(URL, data, follow=True)
    assert team(own) == {"dr_leaver"}
    assert all(team(p) == {"dr_locum"} for p in hers)
    assert "their own record" in response.text


def test_the_patient_list_leads_staff_there(client, staff, treating_neurologist):
    client.force_login(staff)
    assert f'href="{URL}"' in client.get(reverse("patients:patient_list")).text
    client.force_login(treating_neurologist)
    assert f'href="{URL}"' not in client.get(reverse("patients:patient_list")).text


def test_the_neurologist_who_takes_them_is_told(client, staff, leaver, locum, hers):
    from clinic.models import Delivery

    client.force_login(staff)
    data = {"from": str(leaver.uuid), "to": str(locum.uuid), "how": "add", "which": "all"}
    assert client.post(URL, data).status_code == 302
    told = Delivery.objects.get(recipient=locum)
    assert "care team of 4 patients" in told.text
    assert "Ann Leaver" in told.text
    assert told.link == reverse("treatments:neurologist_home")
    assert all(p.last_name not in told.text for p in hers)  # no patient named
