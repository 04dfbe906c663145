"""Editing a patient: the record, care team and affected regions (never losing diary data)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clinic.models import AuditEvent
from patients.models import AffectedRegion, Patient, RegionSeverity
from tests.patients.conftest import TODAY, registration_post
from tests.patients.factories import DiaryEntryFactory
from tests.races import checks_miss_the_other_request

pytestmark = pytest.mark.django_db


def url(record) -> str:
    return reverse("patients:patient_edit", kwargs={"patient_uuid": record.uuid})


def edit_post(record, regions, **overrides) -> dict:
    data = registration_post(
        list(record.care_team.all()),
        regions=regions,
        medical_record_number=record.medical_record_number,
        first_name=record.first_name,
        last_name=record.last_name,
        registered_on=record.registered_on.isoformat(),
        **overrides,
    )
    return data


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("inactive_user", 302),
        ("patient", 403),
        ("other_patient", 403),
        ("treating_neurologist", 200),
        ("other_neurologist", 404),
        ("staff", 200),
        ("admin", 200),
    ],
    indirect=["persona"],
)
def test_who_may_open_a_patient_record(client_for, persona, status, patient_record):
    assert client_for(persona).get(url(patient_record)).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [("patient", 403), ("other_neurologist", 404), ("anonymous", 302)],
    indirect=["persona"],
)
def test_others_cannot_change_a_record(client_for, persona, status, patient_record):
    data = edit_post(patient_record, (("neck", ""),), phone="555-0000")
    assert client_for(persona).post(url(patient_record), data).status_code == status
    patient_record.refresh_from_db()
    assert patient_record.phone == ""


def test_viewing_is_audited(client_for, staff, patient_record):
    client_for(staff).get(url(patient_record))
    assert AuditEvent.objects.get(action=AuditEvent.Action.VIEW).patient_uuid == patient_record.uuid


def test_staff_change_contact_time_zone_and_regions(client_for, staff, patient_record, clock):
    data = edit_post(
        patient_record,
        (("neck", ""), ("eyelids", "both")),
        phone="555-0101",
        time_zone="Asia/Tokyo",
    )
    response = client_for(staff).post(url(patient_record), data)
    assert response.status_code == 302
    patient_record.refresh_from_db()
    assert (patient_record.phone, patient_record.time_zone) == ("555-0101", "Asia/Tokyo")
    assert patient_record.regions.count() == 2
    assert AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).count() == 1


def test_a_region_without_diary_scores_can_be_removed(client_for, staff, patient_record, clock):
    data = edit_post(patient_record, (("tongue", ""),))
    assert client_for(staff).post(url(patient_record), data).status_code == 302
    assert [r.region.code for r in patient_record.regions.all()] == ["tongue"]


def test_a_region_with_diary_scores_is_never_removed(client_for, staff, patient_record, clock):
    entry = DiaryEntryFactory(patient=patient_record, date=TODAY)
    RegionSeverity.objects.create(
        entry=entry, affected_region=patient_record.regions.get(), severity=3
    )
    data = edit_post(patient_record, (("tongue", ""),))
    response = client_for(staff).post(url(patient_record), data)
    assert response.status_code == 200
    assert "already has diary scores" in response.content.decode()
    assert AffectedRegion.objects.filter(patient=patient_record).count() == 1
    assert RegionSeverity.objects.count() == 1


def test_registration_cannot_move_after_the_first_diary_day(
    client_for, staff, patient_record, clock
):
    DiaryEntryFactory(patient=patient_record, date=TODAY.replace(day=1))
    data = edit_post(patient_record, (("neck", ""),))
    data["registered_on"] = TODAY.isoformat()
    response = client_for(staff).post(url(patient_record), data)
    assert response.status_code == 200
    assert "registration cannot be later" in response.content.decode()


def test_a_racing_change_to_a_taken_record_number_shows_the_message_not_a_500(
    client_for, staff, patient_record, other_patient_record, clock, monkeypatch
):
    checks_miss_the_other_request(monkeypatch, Patient)
    data = edit_post(other_patient_record, (("neck", ""), ("tongue", "")), phone="555-0101")
    data["medical_record_number"] = patient_record.medical_record_number
    response = client_for(staff).post(url(other_patient_record), data)
    assert response.status_code == 200
    assert "Patient with this Medical record number already exists." in response.content.decode()
    before = other_patient_record.medical_record_number
    other_patient_record.refresh_from_db()
    assert (other_patient_record.medical_record_number, other_patient_record.phone) == (before, "")
    assert other_patient_record.regions.count() == 1
    assert other_patient_record.history.count() == 1
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).exists()


def test_a_birth_in_year_1_is_refused_on_edit(client_for, staff, patient_record, clock):
    data = edit_post(patient_record, (("neck", ""),), date_of_birth="0001-01-01")
    response = client_for(staff).post(url(patient_record), data)
    assert response.context["form"].errors["date_of_birth"] == [
        "The date of birth cannot be before 1 January 1900."
    ]
    patient_record.refresh_from_db()
    assert patient_record.date_of_birth.year == 1970


EARLIER_LINK = "An invitation sent to the earlier address no longer works."


@pytest.mark.parametrize("before", ["", "old.address@example.invalid"])
def test_an_address_added_or_corrected_before_any_invitation_claims_none(
    client_for, staff, patient_record, clock, before
):
    """A patient first registered without an email address (or never invited) gives one at
    the desk: the page must not tell staff that an invitation went to an earlier address
    (there was none), or they believe the patient was invited and send nothing."""
    patient_record.user = None
    patient_record.email = before
    patient_record.save()
    data = edit_post(patient_record, (("neck", ""),), email="new.address@example.invalid")
    response = client_for(staff).post(url(patient_record), data, follow=True)
    html = response.content.decode().replace("&#x27;", "'")
    assert "The patient's record is saved." in html
    assert EARLIER_LINK not in html


def test_an_address_corrected_after_an_invitation_says_its_link_stopped(
    client_for, staff, patient_record, clock
):
    from patients.services.invitations import invitation_send

    patient_record.user = None
    patient_record.save()
    invitation_send(patient=patient_record, sent_by=staff)
    data = edit_post(patient_record, (("neck", ""),), email="new.address@example.invalid")
    response = client_for(staff).post(url(patient_record), data, follow=True)
    assert EARLIER_LINK in response.content.decode().replace("&#x27;", "'")


def test_a_corrected_name_that_makes_the_record_another_patients_twin_asks_first(
    client_for, staff, patient_record, clock
):
    """Registration asks before a second record of one person is made; a typo corrected
    later ("Silvaa" to "Silva") makes the same second record, and must ask the same."""
    from tests.factories import PatientFactory

    PatientFactory(
        first_name=patient_record.first_name,
        last_name="Silva",
        date_of_birth=patient_record.date_of_birth,
        medical_record_number="MRN-0042",
    )
    data = edit_post(
        patient_record, (("neck", ""),), date_of_birth=patient_record.date_of_birth.isoformat()
    )
    data["last_name"] = "Silva"
    client = client_for(staff)
    response = client.post(url(patient_record), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "already registered" in html and "MRN-0042" in html
    patient_record.refresh_from_db()
    assert patient_record.last_name != "Silva"

    confirmed = client.post(url(patient_record), {**data, "different_person": "on"})
    assert confirmed.status_code == 302
    patient_record.refresh_from_db()
    assert patient_record.last_name == "Silva"


def test_a_switched_off_account_is_not_shown_as_one_the_patient_signs_in_with(
    client_for, staff, patient_record, clock
):
    """The list says "Account switched off"; the record itself must not tell staff that the
    patient signs in with it (the patient phones: "I cannot sign in")."""
    patient_record.user.is_active = False
    patient_record.user.save()
    html = client_for(staff).get(url(patient_record)).content.decode()
    assert "switched off" in html and "signs in as" not in html
