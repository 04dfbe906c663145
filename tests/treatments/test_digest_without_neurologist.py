"""Review (team changes): patients whose only neurologist left are named nowhere unless
staff look for them. The staff's morning digest, the one message every staff member reads,
counted follow-ups only; a patient with no active neurologist and nothing due stayed
unnoticed. Now the digest counts them too (a number, no names), and is sent for them alone."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.factories import PatientFactory
from tests.treatments.followup_data import at
from treatments.services import followups as services

pytestmark = pytest.mark.django_db


def digest_texts() -> list[str]:
    return [item.text for item in services.staff_digests(at(timezone.localdate(), hour=8))]


def test_the_digest_counts_patients_with_no_active_neurologist(
    staff, catalogs, treating_neurologist
):
    PatientFactory.create_batch(2, care_team=[treating_neurologist])
    treating_neurologist.is_active = False
    treating_neurologist.save()
    texts = digest_texts()
    assert texts and all("2 patients have no active neurologist" in text for text in texts)


def test_nothing_is_said_when_every_patient_has_one(staff, catalogs, treating_neurologist):
    PatientFactory.create_batch(2, care_team=[treating_neurologist])
    assert all("no active neurologist" not in text for text in digest_texts())


def test_a_patient_who_left_care_is_not_counted(staff, catalogs, treating_neurologist):
    # Merge review: the digest asked staff to find a neurologist for a patient who had died.
    gone, _ = PatientFactory.create_batch(2, care_team=[treating_neurologist])
    gone.left_care_on, gone.left_care_reason = timezone.localdate(), "died"
    gone.save()
    treating_neurologist.is_active = False
    treating_neurologist.save()
    texts = digest_texts()
    assert texts and all("1 patient has no active neurologist" in text for text in texts)
