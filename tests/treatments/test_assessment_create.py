"""Recording a rating: who may, ranges per scale validated, numbers only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clinic.models import AuditEvent
from tests.treatments.factories import visit_with_sites
from tests.treatments.helpers import PERSONAS, WRITE_STATUS, check_status, days_ago, sign_in
from treatments.models import Assessment

pytestmark = pytest.mark.django_db
# The patient persona was born on 17 May 1970 (tests/factories.py); the page escapes "'".
BEFORE_BIRTH = "before the patient&#x27;s date of birth (17 May 1970)"


def url(patient) -> str:
    return reverse("treatments:assessment_create", args=[patient.uuid])


def twstrs(**overrides):
    return {
        "date": days_ago(1).isoformat(),
        "scale": "twstrs",
        "visit": "",
        "total": "40",
        "twstrs__severity": "20",
        "twstrs__disability": "12",
        "twstrs__pain": "8",
    } | overrides


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_who_may_open_the_form(client, persona, request, patient_record):
    sign_in(client, persona)
    check_status(client.get(url(patient_record)), WRITE_STATUS[request.node.callspec.id])


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_who_may_record(client, persona, request, patient_record):
    sign_in(client, persona)
    response = client.post(url(patient_record), twstrs())
    if WRITE_STATUS[request.node.callspec.id] == 200:
        assert response.status_code == 302
        assert Assessment.objects.count() == 1
    else:
        check_status(response, WRITE_STATUS[request.node.callspec.id])
        assert Assessment.objects.count() == 0


def test_a_twstrs_rating_is_stored_as_numbers(client, treating_neurologist, patient_record):
    visit = visit_with_sites(patient_record, date=days_ago(3))
    client.force_login(treating_neurologist)
    client.post(url(patient_record), twstrs(visit=str(visit.pk), total="", twstrs__pain="8.5"))
    rating = Assessment.objects.get()
    assert rating.total == 40.5  # the sum, since the total was left empty
    assert rating.subscores == {"severity": 20, "disability": 12, "pain": 8.5}
    assert rating.visit == visit
    assert rating.rated_by == treating_neurologist
    assert AuditEvent.objects.filter(action="create", object_id=str(rating.uuid)).exists()


def test_a_scale_without_subscores(client, treating_neurologist, patient_record):
    client.force_login(treating_neurologist)
    response = client.post(
        url(patient_record),
        {"date": days_ago(1).isoformat(), "scale": "bfmdrs", "total": "37.5"},
    )
    assert response.status_code == 302
    assert Assessment.objects.get().subscores == {}


RULES = [
    pytest.param(twstrs(total="86", twstrs__severity="", twstrs__disability="", twstrs__pain=""),
                 "must be between 0 and 85", id="twstrs-total"),
    pytest.param(twstrs(twstrs__severity="36"), "less than or equal to 35", id="severity"),
    pytest.param(twstrs(twstrs__disability="31"), "less than or equal to 30", id="disability"),
    pytest.param(twstrs(twstrs__pain="21"), "less than or equal to 20", id="pain"),
    pytest.param(twstrs(total="41"), "must equal the sum of the subscores (40)", id="sum"),
    pytest.param(twstrs(twstrs__pain=""), "Give every TWSTRS subscore or none", id="partial"),
    pytest.param({"date": "2025-01-01", "scale": "tsui", "total": "26"}, "between 0 and 25",
                 id="tsui"),
    pytest.param({"date": "2025-01-01", "scale": "bfmdrs", "total": "121"}, "between 0 and 120",
                 id="bfmdrs"),
    pytest.param({"date": "2025-01-01", "scale": "jankovic", "total": "9"}, "between 0 and 8",
                 id="jankovic"),
    pytest.param({"date": "2025-01-01", "scale": "bsdi", "total": "", "bsdi__item1": "5"},
                 "less than or equal to 4", id="bsdi-item"),
    pytest.param({"date": "2025-01-01", "scale": "gdrs", "total": "11", "gdrs__neck": "11"},
                 "less than or equal to 10", id="gdrs-region"),
    pytest.param({"date": "2025-01-01", "scale": "tsui", "total": "abc"}, "Enter a number",
                 id="numbers-only"),
    pytest.param({"date": "2025-01-01", "scale": "tsui", "total": "5", "twstrs__pain": "3"},
                 "This is a TWSTRS subscore", id="subscore-of-another-scale"),
    pytest.param(twstrs(date=days_ago(-1).isoformat()), "cannot be in the future", id="future"),
    pytest.param(twstrs(date="1970-05-16"), BEFORE_BIRTH, id="before-birth"),
    pytest.param(twstrs(date="0001-01-01"), BEFORE_BIRTH, id="year-1"),
    pytest.param({"date": "2025-01-01", "scale": "tsui", "total": ""}, "Enter the total",
                 id="no-total"),
]  # fmt: skip


@pytest.mark.parametrize(("data", "message"), RULES)
def test_each_range_rule_shows_its_error_and_saves_nothing(
    client, treating_neurologist, patient_record, data, message
):
    client.force_login(treating_neurologist)
    response = client.post(url(patient_record), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Assessment.objects.count() == 0


def test_a_visit_of_another_patient_cannot_be_chosen(
    client, treating_neurologist, patient_record, other_patient_record
):
    theirs = visit_with_sites(other_patient_record)
    client.force_login(treating_neurologist)
    response = client.post(url(patient_record), twstrs(visit=str(theirs.pk)))
    assert "Select a valid choice" in response.content.decode()
    assert Assessment.objects.count() == 0
