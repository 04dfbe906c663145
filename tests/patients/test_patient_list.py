"""The patient list: staff and admins see all, neurologists their care team; no clinical data."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PatientFactory
from tests.patients.conftest import TODAY
from tests.patients.factories import DiaryEntryFactory

pytestmark = pytest.mark.django_db
URL = reverse("patients:patient_list")


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
def test_who_may_open_the_list(client_for, persona, status, patient_record):
    assert client_for(persona).get(URL).status_code == status


@pytest.mark.parametrize(
    ("persona", "sees_patient", "sees_other"),
    [
        ("treating_neurologist", True, False),
        ("other_neurologist", False, True),
        ("staff", True, True),
        ("admin", True, True),
    ],
    indirect=["persona"],
)
def test_each_role_sees_its_patients(
    client_for, persona, sees_patient, sees_other, patient_record, other_patient_record
):
    html = client_for(persona).get(URL).content.decode()
    assert (patient_record.medical_record_number in html) is sees_patient
    assert (other_patient_record.medical_record_number in html) is sees_other


def test_no_clinical_data_is_listed(client_for, staff, patient_record, clock):
    DiaryEntryFactory(patient=patient_record, date=TODAY, note="very private note")
    html = client_for(staff).get(URL).content.decode()
    assert "very private note" not in html
    assert "diary" not in html.lower()  # staff get no diary links either


def test_neurologists_get_a_diary_link(client_for, treating_neurologist, patient_record, clock):
    html = client_for(treating_neurologist).get(URL).content.decode()
    expected = reverse(
        "patients:diary_entry_edit",
        kwargs={"patient_uuid": patient_record.uuid, "day": TODAY.isoformat()},
    )
    assert expected in html


@pytest.mark.parametrize("query", ["pearson", "PEAR", "leroy pear", "MRN-777"])
def test_search_by_name_or_record_number(client_for, staff, catalogs, query):
    PatientFactory(first_name="Leroy", last_name="Pearson", medical_record_number="MRN-777")
    PatientFactory(first_name="Ann", last_name="Other", medical_record_number="X-1")
    html = client_for(staff).post(URL, {"q": query}, follow=True).content.decode()
    assert "Pearson, Leroy" in html
    assert "Other, Ann" not in html


@pytest.mark.parametrize("query", ["Pearson, Leroy", "Pearson,Leroy", "Pearson,"])
def test_search_by_the_name_as_the_list_writes_it(client_for, staff, catalogs, query):
    """The list writes "Last, First": staff type (or paste) a name that way back into the
    search, and the comma belongs to neither name."""
    PatientFactory(first_name="Leroy", last_name="Pearson", medical_record_number="MRN-777")
    PatientFactory(first_name="Ann", last_name="Other", medical_record_number="X-1")
    html = client_for(staff).post(URL, {"q": query}, follow=True).content.decode()
    assert "MRN-777" in html and "1 patient match" in html
    assert "Other, Ann" not in html


def test_the_list_is_alphabetical_whatever_the_letter_case_of_a_surname(
    client_for, staff, catalogs
):
    """Staff page through the list by surname: "de Vries" belongs between "Dawson" and
    "Evans", not after "Young" because its first letter is lower case."""
    for last_name in ("Young", "de Vries", "Evans", "Dawson", "van Dijk"):
        PatientFactory(last_name=last_name, first_name="Kim")
    html = client_for(staff).get(URL).content.decode()
    rows = re.findall(r'<th scope="row"><a [^>]*>([^<]*), Kim</a>', html)
    assert rows == ["Dawson", "de Vries", "Evans", "van Dijk", "Young"]


def test_search_without_match_says_so(client_for, staff, patient_record):
    html = client_for(staff).post(URL, {"q": "nobody-like-this"}, follow=True).content.decode()
    assert "No patient matches" in html


def test_the_search_term_never_travels_in_an_address(client_for, staff, catalogs):
    """A name or record number in a URL lands in access logs, proxies and browser history."""
    PatientFactory.create_batch(30, last_name="Pearson")
    client = client_for(staff)
    form = client.get(URL).content.decode()
    form_tag = form[form.rindex("<form", 0, form.index("patient-search")) :]
    assert form_tag.startswith('<form method="post"') and "csrfmiddlewaretoken" in form_tag
    response = client.post(URL, {"q": "Pearson"})
    assert response.status_code == 302 and response["Location"] == URL
    page = client.get(response["Location"]).content.decode()
    assert "30 patients match “Pearson”" in page and "Page 1 of 2" in page
    assert 'href="?page=2"' in page and "Pearson&" not in page and "q=" not in page
    second = client.get(URL, {"page": 2}).content.decode()  # the search holds across pages
    assert "Page 2 of 2" in second and 'value="Pearson"' in second


def test_show_all_clears_the_search(client_for, staff, patient_record, other_patient_record):
    client = client_for(staff)
    client.post(URL, {"q": patient_record.medical_record_number})
    narrowed = client.get(URL).content.decode()
    assert other_patient_record.medical_record_number not in narrowed
    response = client.post(URL, {"q": "x" * 500, "clear": "1"})  # clears even a bad term
    assert response.status_code == 302
    everyone = client.get(URL).content.decode()
    assert other_patient_record.medical_record_number in everyone


def test_a_search_term_too_long_is_explained_next_to_the_field(client_for, staff, patient_record):
    response = client_for(staff).post(URL, {"q": "x" * 101})
    assert response.status_code == 200
    assert "at most 100 characters" in response.content.decode()


def test_list_is_paginated(client_for, staff, catalogs):
    PatientFactory.create_batch(30)
    html = client_for(staff).get(URL).content.decode()
    assert "Page 1 of 2" in html
    assert html.count('<th scope="row">') == 25


def test_query_count_does_not_grow_with_patients(client_for, staff, catalogs):
    from patients.services.invitations import invitation_send

    client = client_for(staff)
    for patient in PatientFactory.create_batch(3):
        invitation_send(patient=patient, sent_by=staff)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for patient in PatientFactory.create_batch(40):
        invitation_send(patient=patient, sent_by=staff)
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(few.captured_queries) == len(many.captured_queries)
