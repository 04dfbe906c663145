"""Registering a patient: staff, neurologists and admins; record, regions, care team."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from clinic.models import AuditEvent
from patients.models import AffectedRegion, Patient
from tests.patients.conftest import TODAY, registration_post
from tests.races import checks_miss_the_other_request

pytestmark = pytest.mark.django_db
URL = reverse("patients:patient_create")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("inactive_user", 302),
        ("patient", 403),
        ("other_patient", 403),
        ("treating_neurologist", 200),
        ("other_neurologist", 200),
        ("staff", 200),
        ("admin", 200),
    ],
    indirect=["persona"],
)
def test_who_may_open_the_registration_form(client_for, persona, status, catalogs):
    assert client_for(persona).get(URL).status_code == status


@pytest.mark.parametrize("persona", ["patient", "anonymous"], indirect=True)
def test_others_cannot_register(client_for, persona, treating_neurologist, catalogs):
    before = Patient.objects.count()
    client_for(persona).post(URL, registration_post([treating_neurologist]))
    assert Patient.objects.count() == before


def test_form_defaults_registration_to_today(client_for, staff, catalogs, clock):
    html = client_for(staff).get(URL).content.decode()
    assert f'value="{TODAY.isoformat()}"' in html
    assert 'name="regions-0-region"' in html


@pytest.mark.parametrize("persona", ["staff", "admin", "treating_neurologist"], indirect=True)
def test_registering_creates_the_patient_with_regions_and_care_team(
    client_for, persona, treating_neurologist, catalogs, clock
):
    data = registration_post([treating_neurologist], regions=(("neck", ""), ("arm-hand", "right")))
    response = client_for(persona).post(URL, data)
    assert response.status_code == 302
    patient = Patient.objects.get(medical_record_number="MRN-NEW-1")
    assert response["Location"] == reverse(
        "patients:patient_edit", kwargs={"patient_uuid": patient.uuid}
    )
    assert patient.time_zone == "Europe/Lisbon"
    assert patient.registered_on == TODAY
    assert list(patient.care_team.all()) == [treating_neurologist]
    assert sorted((r.region.code, r.side) for r in patient.regions.all()) == [
        ("arm-hand", "right"),
        ("neck", ""),
    ]
    assert patient.user is None
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE)
    assert event.patient_uuid == patient.uuid


def test_a_neurologist_outside_the_new_care_team_lands_on_the_list(
    client_for, other_neurologist, treating_neurologist, catalogs, clock
):
    response = client_for(other_neurologist).post(URL, registration_post([treating_neurologist]))
    assert response["Location"] == reverse("patients:patient_list")


INVALID = [
    ("unknown_time_zone", {"time_zone": "Mars/Olympus"}, "time_zone"),
    ("time_zone_offset", {"time_zone": "+02:00"}, "time_zone"),
    ("taken_record_number", {"medical_record_number": "TAKEN"}, "medical_record_number"),
    ("future_birth", {"date_of_birth": "2030-01-01"}, "date_of_birth"),
    ("diagnosis_before_birth", {"diagnosis_date": "1960-01-01"}, "diagnosis_date"),
    ("future_registration", {"registered_on": "2025-06-12"}, "registered_on"),
    ("birth_before_1900", {"date_of_birth": "1899-12-31"}, "date_of_birth"),
    ("birth_in_year_1", {"date_of_birth": "0001-01-01"}, "date_of_birth"),
    ("registration_in_year_1", {"registered_on": "0001-01-01"}, "registered_on"),
    ("no_care_team", {"care_team": None}, "care_team_0"),
    ("lateral_region_without_side", None, "regions-0-side"),
    ("side_on_a_region_without_sides", {"regions-0-side": "left"}, "regions-0-side"),
    ("no_region", {"regions-0-region": ""}, "regions"),
    # Found by tests/security/test_fuzz_registration.py: a key beyond 64 bits was a 500.
    ("care_team_key_too_large", {"care_team": [str(2**63)]}, "care_team_0"),
    ("care_team_key_too_small", {"care_team": [str(-(2**63) - 1)]}, "care_team_0"),
]


@pytest.mark.parametrize(
    ("overrides", "anchor"), [c[1:] for c in INVALID], ids=[c[0] for c in INVALID]
)
def test_invalid_registration_saves_nothing_and_says_why(
    client_for, staff, treating_neurologist, catalogs, clock, overrides, anchor
):
    from tests.factories import PatientFactory

    PatientFactory(medical_record_number="TAKEN")
    if overrides is None:
        data = registration_post([treating_neurologist], regions=(("eyelids", ""),))
    else:
        data = registration_post([treating_neurologist])
        data.update(overrides)
        data = {key: value for key, value in data.items() if value is not None}
    before = (Patient.objects.count(), AffectedRegion.objects.count())
    response = client_for(staff).post(URL, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert f'href="#id_{anchor}"' in html or f'href="#{anchor}"' in html
    assert (Patient.objects.count(), AffectedRegion.objects.count()) == before
    assert 'value="Ana"' in html  # what was typed stays


@pytest.mark.parametrize(
    ("field", "what"), [("date_of_birth", "date of birth"), ("registered_on", "registration date")]
)
def test_a_date_before_1900_is_refused_next_to_its_field(
    client_for, staff, treating_neurologist, catalogs, clock, field, what
):
    data = registration_post([treating_neurologist], **{field: "1899-12-31"})
    response = client_for(staff).post(URL, data)
    assert response.context["form"].errors[field] == [
        f"The {what} cannot be before 1 January 1900."
    ]
    assert not Patient.objects.filter(medical_record_number="MRN-NEW-1").exists()


def test_a_patient_born_on_1_january_1900_is_registered(
    client_for, staff, treating_neurologist, catalogs, clock
):
    data = registration_post([treating_neurologist], date_of_birth="1900-01-01")
    assert client_for(staff).post(URL, data).status_code == 302


def test_the_same_region_twice_is_refused(client_for, staff, treating_neurologist, catalogs, clock):
    data = registration_post([treating_neurologist], regions=(("neck", ""), ("neck", "")))
    response = client_for(staff).post(URL, data)
    assert "listed twice" in response.content.decode()
    assert not Patient.objects.filter(medical_record_number="MRN-NEW-1").exists()


def test_both_sides_and_one_side_of_a_region_are_refused(
    client_for, staff, treating_neurologist, catalogs, clock
):
    regions = (("eyelids", "left"), ("eyelids", "both"))
    response = client_for(staff).post(
        URL, registration_post([treating_neurologist], regions=regions)
    )
    assert "listed for both sides and for one side" in response.content.decode()
    assert not Patient.objects.filter(medical_record_number="MRN-NEW-1").exists()
    both = (("eyelids", "left"), ("eyelids", "right"))
    response = client_for(staff).post(URL, registration_post([treating_neurologist], regions=both))
    assert response.status_code == 302


def test_only_neurologists_can_be_on_the_care_team(client_for, staff, catalogs, clock):
    response = client_for(staff).post(URL, registration_post([staff]))
    assert response.status_code == 200
    assert not Patient.objects.filter(medical_record_number="MRN-NEW-1").exists()


def test_a_racing_double_registration_shows_the_message_not_a_500(
    client_for, staff, treating_neurologist, catalogs, clock, monkeypatch
):
    checks_miss_the_other_request(monkeypatch, Patient)
    client = client_for(staff)
    data = registration_post([treating_neurologist])
    assert client.post(URL, data).status_code == 302
    again = client.post(URL, data)
    assert again.status_code == 200
    html = again.content.decode()
    assert "Patient with this Medical record number already exists." in html
    assert 'href="#id_medical_record_number"' in html
    assert 'value="Ana"' in html  # what was typed stays
    assert Patient.objects.filter(medical_record_number="MRN-NEW-1").count() == 1
    assert Patient.history.filter(medical_record_number="MRN-NEW-1").count() == 1
    assert AffectedRegion.objects.filter(patient__medical_record_number="MRN-NEW-1").count() == 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE).count() == 1


def test_the_forms_own_default_date_registers_a_patient_still_on_yesterday(
    client_for, staff, treating_neurologist, catalogs
):
    """The form offers the clinic's today as the registration date (the clinic's record of
    when it registered the patient, as a visit's date is). For a patient west of the
    clinic that is still their tomorrow; the form must not refuse its own default: the
    diary starts on the patient's own today (``patients.days.diary_start``)."""
    import time_machine

    from patients.days import diary_start, patient_today

    with time_machine.travel("2025-06-10 02:00Z", tick=False):  # 22:00 on the 9th in New York
        data = registration_post([treating_neurologist])
        data.update(registered_on="2025-06-10", time_zone="America/New_York")
        response = client_for(staff).post(URL, data)
        assert response.status_code == 302
        patient = Patient.objects.get()
        assert patient.registered_on == date(2025, 6, 10)
        assert diary_start(patient, patient_today(patient)) == date(2025, 6, 9)


def test_a_registration_after_the_clinics_today_is_still_refused_and_says_why(
    client_for, staff, treating_neurologist, catalogs
):
    import time_machine

    with time_machine.travel("2025-06-10 02:00Z", tick=False):  # 22:00 on the 9th in New York
        data = registration_post([treating_neurologist])
        data.update(registered_on="2025-06-11", time_zone="America/New_York")
        response = client_for(staff).post(URL, data)
    assert response.context["form"].errors["registered_on"] == [
        "The registration date cannot be in the future."
    ]
    assert not Patient.objects.exists()


def test_the_registered_message_names_nobody(
    client_for, staff, treating_neurologist, catalogs, clock
):
    """Flash messages ride in a signed, readable cookie: they name no patient."""
    client = client_for(staff)
    response = client.post(URL, registration_post([treating_neurologist]))
    assert response.status_code == 302
    cookie = response.cookies["messages"].value
    assert "Silva" not in cookie and "Ana" not in cookie
    shown = client.get(response["Location"]).content.decode()
    assert "The patient is registered." in shown
    assert "Ana Silva" in shown  # the record the message leads to names the patient


@pytest.mark.parametrize("typed", ["mrn-0042", "Mrn-0042"])
def test_a_record_number_taken_in_other_letter_case_is_refused(
    client_for, staff, treating_neurologist, catalogs, clock, typed
):
    """A record number names one person whatever the case it is typed in: "mrn-0042"
    registers a second record for the patient of "MRN-0042" (two charts, two diaries,
    follow-ups split between them)."""
    from tests.factories import PatientFactory

    PatientFactory(medical_record_number="MRN-0042")
    data = registration_post([treating_neurologist], medical_record_number=typed)
    response = client_for(staff).post(URL, data)
    assert response.status_code == 200
    assert Patient.objects.filter(medical_record_number__iexact="MRN-0042").count() == 1


@pytest.mark.parametrize("first_name", ["Ana", "ANA", " ana "])
def test_a_patient_registered_twice_under_another_record_number_is_stopped(
    client_for, staff, treating_neurologist, catalogs, clock, first_name
):
    """The front desk registers a patient who already has a record (another record number:
    a typo, the referral letter's number): two charts, two diaries, the injections and
    follow-ups split between them. The form says who is already registered and saves
    nothing until staff confirm that this is another person."""
    from tests.factories import PatientFactory

    PatientFactory(
        first_name="Ana",
        last_name="Silva",
        date_of_birth="1970-02-03",
        medical_record_number="MRN-0042",
    )
    data = registration_post(
        [treating_neurologist], first_name=first_name, medical_record_number="MRN-0099"
    )
    client = client_for(staff)
    response = client.post(URL, data)
    assert response.status_code == 200
    assert not Patient.objects.filter(medical_record_number="MRN-0099").exists()
    html = response.content.decode()
    assert "already registered" in html and "MRN-0042" in html
    assert 'name="different_person"' in html

    confirmed = client.post(URL, {**data, "different_person": "on"})
    assert confirmed.status_code == 302
    assert Patient.objects.filter(medical_record_number="MRN-0099").exists()


def test_a_namesake_born_on_another_day_is_registered_without_question(
    client_for, staff, treating_neurologist, catalogs, clock
):
    from tests.factories import PatientFactory

    PatientFactory(first_name="Ana", last_name="Silva", date_of_birth="1970-02-04")
    data = registration_post([treating_neurologist], medical_record_number="MRN-0099")
    assert client_for(staff).post(URL, data).status_code == 302
