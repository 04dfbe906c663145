"""A printed clinical page (a referral letter's attachment, the paper chart) names whose
record it is by two identifiers, not by a name alone, and leaves the menu off the paper."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.treatments.factories import AssessmentFactory, TreatmentCourseFactory, visit_with_sites

pytestmark = pytest.mark.django_db


def pages(patient_record) -> list[str]:
    visit = visit_with_sites(patient_record)
    AssessmentFactory(patient=patient_record, visit=visit)
    TreatmentCourseFactory(patient=patient_record)
    uuid = patient_record.uuid
    return [
        reverse("treatments:chart", args=[uuid]),
        reverse("treatments:visit_list", args=[uuid]),
        reverse("treatments:visit_detail", args=[uuid, visit.uuid]),
        reverse("treatments:course_list", args=[uuid]),
        reverse("treatments:assessment_list", args=[uuid]),
    ]


def print_identity(html: str) -> str:
    match = re.search(r'<p class="[^"]*\bprint-identity\b[^"]*"[^>]*>(.*?)</p>', html, re.S)
    assert match, "no print identity line"
    assert "d-print-block" in match.group(0) and "d-none" in match.group(0), match.group(0)
    return re.sub(r"\s+", " ", match.group(1))


def test_each_printed_page_names_the_patient_by_name_birth_date_and_record_number(
    client, treating_neurologist, patient_record
):
    client.force_login(treating_neurologist)
    for path in pages(patient_record):
        response = client.get(path)
        assert response.status_code == 200, path
        line = print_identity(response.content.decode())
        assert patient_record.full_name in line, path
        assert "born 17 May 1970" in line, path
        assert patient_record.medical_record_number in line, path
        assert "Printed" in line, path


def test_the_menu_is_left_off_the_paper(client, treating_neurologist, patient_record):
    client.force_login(treating_neurologist)
    html = client.get(reverse("treatments:visit_list", args=[patient_record.uuid])).content
    assert re.search(rb'<header class="[^"]*\bd-print-none\b', html)
