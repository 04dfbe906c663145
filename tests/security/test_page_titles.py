"""A page's <title> names no patient: titles are kept in the browser's history and shown
in tabs, window lists and shared screens, like an address (README: a name never lands
in the browser history; the chart and visit pages already say "Effect timeline")."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.patients.factories import DiaryEntryFactory
from tests.treatments import followup_data

pytestmark = pytest.mark.django_db


def title_of(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def page_url(name: str, patient_record) -> str:
    if name == "diary_entry_edit":
        day = timezone.localdate() - timedelta(days=1)
        DiaryEntryFactory(patient=patient_record, date=day)
        kwargs = {"patient_uuid": patient_record.uuid, "day": day.isoformat()}
        return reverse("patients:diary_entry_edit", kwargs=kwargs)
    if name == "followup_detail":
        followup_data.diary(patient_record)
        visit = followup_data.visit(patient_record, on=timezone.localdate() - timedelta(days=54))
        followup = followup_data.reinjection_of(visit)
        return reverse("treatments:followup_detail", kwargs={"followup_uuid": followup.uuid})
    return reverse("patients:patient_edit", kwargs={"patient_uuid": patient_record.uuid})


@pytest.mark.parametrize("name", ["diary_entry_edit", "followup_detail", "patient_edit"])
def test_the_title_names_no_patient(client_for, treating_neurologist, patient_record, name):
    response = client_for(treating_neurologist).get(page_url(name, patient_record))
    assert response.status_code == 200
    title = title_of(response.content.decode())
    assert patient_record.last_name not in title
