"""Review: when the clinic's last neurologist was switched off (left, or an admin's
mistake), nothing said so: patients' review calls had nobody to hold them, cycle alerts
reached nobody and a new patient's care team offered no one, while staff's queue and the
administration looked as usual. Now staff's start page (the follow-up queue), the
patient form's care team and the administration's start page say that the clinic has no
active neurologist and what to do; none of them says it while one is active."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
WARNING = "no active neurologist"
PAGES = (
    ("staff", "treatments:followup_queue"),
    ("staff", "patients:patient_create"),
    ("admin", "admin:index"),
)


@pytest.fixture
def last_neurologist_left(treating_neurologist):
    treating_neurologist.is_active = False
    treating_neurologist.save()


@pytest.mark.parametrize(("persona", "url_name"), PAGES, indirect=["persona"])
def test_a_clinic_without_a_neurologist_is_told(client, persona, url_name, last_neurologist_left):
    client.force_login(persona)
    page = client.get(reverse(url_name))
    assert page.status_code == 200
    assert WARNING in page.text


@pytest.mark.parametrize(("persona", "url_name"), PAGES, indirect=["persona"])
def test_a_clinic_with_a_neurologist_is_not_warned(client, persona, url_name, treating_neurologist):
    client.force_login(persona)
    assert WARNING not in client.get(reverse(url_name)).text
