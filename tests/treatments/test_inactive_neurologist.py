"""Review: a neurologist whose account is switched off stays on their patients' care teams.
They no longer see the patients nor get their alerts (access and notifications check the
account), but staff were not told: the follow-up queue listed them like any colleague, and
the record's page dropped them from the care-team boxes without a word, so a patient whose
only neurologist left looked after. Now the queue marks them "(account switched
off)", and the record's page names them and asks staff to choose another neurologist."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.treatments import followup_data as data

pytestmark = pytest.mark.django_db
SWITCHED_OFF = "account switched off"


@pytest.fixture
def neurologist_left(treating_neurologist, patient_record):
    """The patient's only neurologist's account is switched off; a reinjection is due."""
    data.diary(patient_record)
    data.reinjection_of(data.visit(patient_record, on=timezone.localdate() - timedelta(84)))
    treating_neurologist.last_name = "Leftclinic"
    treating_neurologist.is_active = False
    treating_neurologist.save()
    return treating_neurologist


def test_the_queue_marks_a_switched_off_neurologist(client, staff, neurologist_left):
    client.force_login(staff)
    html = client.get(reverse("treatments:followup_queue")).text
    assert f"{neurologist_left.get_full_name()} ({SWITCHED_OFF})" in html


def test_the_queue_marks_no_active_colleague(client, staff, patient_record, other_neurologist):
    data.diary(patient_record)
    data.reinjection_of(data.visit(patient_record, on=timezone.localdate() - timedelta(84)))
    client.force_login(staff)
    assert SWITCHED_OFF not in client.get(reverse("treatments:followup_queue")).text


def test_the_record_page_asks_staff_to_choose_another_neurologist(
    client, staff, neurologist_left, patient_record
):
    client.force_login(staff)
    url = reverse("patients:patient_edit", kwargs={"patient_uuid": patient_record.uuid})
    html = client.get(url).text
    assert neurologist_left.get_full_name() in html
    assert SWITCHED_OFF in html
    assert "Choose another neurologist" in html
