"""The queue names a patient's care team in one order: by surname, then first name."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from clinic.models import User
from tests.factories import PatientFactory, UserFactory
from tests.treatments import followup_data as data
from treatments.selectors import followups as selectors
from treatments.selectors.followups import Section

pytestmark = pytest.mark.django_db


def neurologist(first: str, last: str) -> User:
    return UserFactory(first_name=first, last_name=last, role=User.Role.NEUROLOGIST)


def test_the_care_team_is_named_by_surname_then_first_name(staff):
    # Created (and added) in the reverse of the names' order, so that neither the keys
    # nor the order of adding give the names' order by chance.
    team = [
        neurologist("Zoe", "Zimmer"),
        neurologist("Bea", "Adams"),
        neurologist("Al", "Adams"),
        neurologist("Mia", "Mertens"),
    ]
    today = timezone.localdate()
    patient = PatientFactory()
    for member in team:
        patient.care_team.add(member)
    data.visit(patient, on=today - timedelta(days=60))  # its follow-ups are due
    queue = selectors.followup_queue(user=staff, today=today, section=Section.UNSCHEDULED)
    shown = {row.neurologists for row in queue.rows if row.patient.pk == patient.pk}
    assert shown == {("Al Adams", "Bea Adams", "Mia Mertens", "Zoe Zimmer")}
