"""The patient search finds a phone number as staff type it from a caller's display or a
note: with or without spaces, dashes, dots or brackets, with the country prefix (+44,
0044) or the trunk 0 instead, whichever way the record holds it."""

from __future__ import annotations

import pytest

from patients.selectors.patients import patient_list
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic(catalogs):
    PatientFactory(
        first_name="Ann", last_name="Local", medical_record_number="L-1", phone="020 7946 0123"
    )
    PatientFactory(
        first_name="Bo", last_name="Intl", medical_record_number="I-2", phone="+44 7700-900 456"
    )
    PatientFactory(first_name="Cy", last_name="None", medical_record_number="N-3", phone="")


def found(staff, query: str) -> list[str]:
    return sorted(p.medical_record_number for p in patient_list(staff, query))


@pytest.mark.parametrize(
    "query",
    [
        "020 7946 0123",
        "02079460123",
        "020-7946-0123",
        "(020) 7946 0123",
        "+44 20 7946 0123",
        "+442079460123",
        "0044 20 7946 0123",
        "7946 0123",
    ],
)
def test_a_local_number_is_found_however_typed(staff, clinic, query):
    assert found(staff, query) == ["L-1"]


@pytest.mark.parametrize(
    "query", ["+44 7700 900456", "+447700900456", "07700 900456", "07700-900-456", "7700900456"]
)
def test_a_number_stored_with_its_country_prefix_is_found_without(staff, clinic, query):
    assert found(staff, query) == ["I-2"]


def test_a_phone_and_a_name_together(staff, clinic):
    assert found(staff, "Ann 020 7946 0123") == ["L-1"]
    assert found(staff, "Bo 020 7946 0123") == []


def test_a_short_run_of_digits_is_no_phone(staff, clinic):
    """Four digits are a record number's, not a phone's: "0123" finds no phone."""
    assert found(staff, "0123") == []


def test_a_number_nobody_has_finds_nobody(staff, clinic):
    assert found(staff, "020 7946 0999") == []
