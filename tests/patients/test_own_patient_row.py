"""A patient's own record, read on every patient page in one prebuilt statement
(``clinic.rows.by_unique``), is the row and the instance the scope's ORM query gives."""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from clinic.models import User
from clinic.rows import by_unique
from patients.access import Purpose, own_patient, patients_visible_to
from patients.models import Patient
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def fields(patient: Patient) -> dict:
    return {f.attname: getattr(patient, f.attname) for f in Patient._meta.concrete_fields}


def test_the_row_is_the_scopes_row(patient, patient_record, other_patient_record):
    expected = patients_visible_to(patient, Purpose.CLINICAL).filter(user=patient).first()
    with CaptureQueriesContext(connection) as captured:
        mine = own_patient(patient)
    assert len(captured) == 1
    assert mine == expected == patient_record
    assert fields(mine) == fields(expected)
    assert mine._state.adding is False and mine._state.db == "default"


@pytest.mark.parametrize(
    "who", ["inactive patient", "unlinked patient", "treating_neurologist", "staff"]
)
def test_no_own_record_is_not_found(request, patient, who):
    if who == "inactive patient":
        patient.is_active = False
        user = patient
    elif who == "unlinked patient":
        user = UserFactory(role=User.Role.PATIENT)
    else:
        user = request.getfixturevalue(who)
    assert not patients_visible_to(user, Purpose.CLINICAL).filter(user=user).exists()
    with pytest.raises(Http404):
        own_patient(user)


def test_only_a_unique_field_is_read_this_way(patient_record):
    with pytest.raises(ValueError):
        by_unique(Patient, "last_name", patient_record.last_name)
    with pytest.raises(ValueError):
        by_unique(Patient, "user", None)
