"""The patient list's search as front-desk staff type it: accents, birth dates, record
numbers without their separators."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from patients.selectors.patients import patient_list
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db
URL = reverse("patients:patient_list")


@pytest.fixture
def clinic(catalogs):
    PatientFactory(
        first_name="José",
        last_name="Müller",
        medical_record_number="MRN-0042",
        date_of_birth=date(1980, 3, 15),
    )
    PatientFactory(
        first_name="Ann",
        last_name="Other",
        medical_record_number="X-1",
        date_of_birth=date(1975, 1, 2),
    )


def found(staff, query: str) -> list[str]:
    return [p.medical_record_number for p in patient_list(staff, query)]


@pytest.mark.parametrize(
    "query",
    ["Muller", "muller", "Jose", "jose muller", "Müller", "MÜLLER", "José", "Muller, Jose"],
)
def test_a_name_is_found_without_its_accents(staff, clinic, query):
    """Staff type on a keyboard without the accent (or the patient spelled it without)."""
    assert found(staff, query) == ["MRN-0042"]


def test_a_name_typed_with_an_accent_finds_it_without(staff, catalogs):
    PatientFactory(first_name="Jose", last_name="Alvarez", medical_record_number="A-9")
    assert found(staff, "José Álvarez") == ["A-9"]


@pytest.mark.parametrize("query", ["MRN0042", "mrn0042", "MRN 0042", "MRN-0042", "0042"])
def test_a_record_number_is_found_without_its_separator(staff, clinic, query):
    assert found(staff, query) == ["MRN-0042"]


@pytest.mark.parametrize(
    "query",
    ["1980-03-15", "15/03/1980", "15.03.1980", "15-03-1980", "15 Mar 1980", "15 March 1980"],
)
def test_a_patient_is_found_by_date_of_birth(staff, clinic, query):
    """The list shows "15 Mar 1980"; staff type it as the patient says it, or as written."""
    assert found(staff, query) == ["MRN-0042"]


def test_a_name_and_a_date_of_birth_together(staff, clinic, catalogs):
    PatientFactory(
        first_name="Jose",
        last_name="Muller",
        medical_record_number="MRN-9999",
        date_of_birth=date(1990, 6, 1),
    )
    assert sorted(found(staff, "Muller")) == ["MRN-0042", "MRN-9999"]
    assert found(staff, "Muller 15/03/1980") == ["MRN-0042"]


def test_a_date_that_is_no_birth_date_finds_nobody(staff, clinic):
    assert found(staff, "16/03/1980") == []


def test_the_search_field_says_what_it_finds(client_for, staff, clinic):
    html = client_for(staff).get(URL).content.decode()
    assert "date of birth" in html.split('name="q"')[0].rsplit("<label", 1)[-1]
    page = client_for(staff).post(URL, {"q": "jose muller"}, follow=True).content.decode()
    assert "MRN-0042" in page and "X-1" not in page
