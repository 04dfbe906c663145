"""An early reason is given once per clinic session (the patient's visits on one date:
Botox for the neck and for the eyelids recorded as two visits). The session's second
visit is not asked again, and a reason written about a visit of the previous session
still holds when that visit is marked entered in error while another visit of its
session remains: the interval it explains is unchanged."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.treatments.factories import visit_with_sites
from tests.treatments.helpers import days_ago, visit_payload
from treatments.models import InjectionVisit
from treatments.selectors.visits import visit_is_early_now, visits_for_patient
from treatments.services.visits import visit_mark_entered_in_error

pytestmark = pytest.mark.django_db
REASON = "Neck pain back at week 6"
EYELIDS = (("orbicularis-oculi-pretarsal", "left", "5", "1"),)


def create(client, patient, **fields):
    url = reverse("treatments:visit_create", args=[patient.uuid])
    return client.post(url, visit_payload(**fields))


@pytest.fixture
def signed_in(client, treating_neurologist):
    client.force_login(treating_neurologist)
    return client


def test_the_sessions_second_visit_is_not_asked_again(signed_in, patient_record):
    visit_with_sites(patient_record, date=days_ago(60))
    day = days_ago(10).isoformat()
    assert create(signed_in, patient_record, date=day, early_reason=REASON).status_code == 302
    response = create(
        signed_in, patient_record, date=day, indication="blepharospasm", sites=EYELIDS
    )
    assert response.status_code == 302, response.context["form"].errors
    second = InjectionVisit.objects.get(indication="blepharospasm")
    assert second.early_reason == ""


def test_the_sessions_second_visit_is_asked_when_the_first_has_no_reason(signed_in, patient_record):
    """The first visit was not early (none before it): the second one is not either."""
    visit_with_sites(patient_record, date=days_ago(60), indication="blepharospasm",
                     sites=(("orbicularis-oculi-pretarsal", "left", "5"),))  # fmt: skip
    day = days_ago(10).isoformat()
    assert create(signed_in, patient_record, date=day, early_reason=REASON).status_code == 302
    response = create(signed_in, patient_record, date=days_ago(5).isoformat(),
                      indication="blepharospasm", sites=EYELIDS)  # fmt: skip
    assert response.status_code == 200
    assert "early_reason" in response.context["form"].errors


@pytest.fixture
def earlier_session(patient_record):
    """Two visits on one date, 60 days ago: the neck, then the eyelids."""
    neck = visit_with_sites(patient_record, date=days_ago(60))
    eyelids = visit_with_sites(patient_record, date=days_ago(60), indication="blepharospasm",
                               sites=(("orbicularis-oculi-pretarsal", "left", "5"),))  # fmt: skip
    return neck, eyelids


def test_a_reason_holds_when_its_pair_is_entered_in_error_and_its_session_remains(
    signed_in, patient_record, treating_neurologist, earlier_session
):
    day = days_ago(10).isoformat()
    assert create(signed_in, patient_record, date=day, early_reason=REASON).status_code == 302
    early = InjectionVisit.objects.get(date=days_ago(10))
    pair = early.early_reason_pair
    [remaining] = [v for v in earlier_session if v.pk != pair.pk]
    visit_mark_entered_in_error(visit=pair, user=treating_neurologist, reason="Wrong patient")

    assert visit_is_early_now(early)
    assert not visit_is_early_now(remaining)
    listed = {v.pk: v.is_early_now for v in visits_for_patient(patient_record)}
    assert listed[early.pk] and not listed[remaining.pk]
    detail = reverse("treatments:visit_detail", args=[patient_record.uuid, early.uuid])
    assert "Recorded as early" not in signed_in.get(detail).content.decode()


def test_correcting_the_early_visit_then_needs_no_new_reason(
    signed_in, patient_record, treating_neurologist, earlier_session
):
    day = days_ago(10).isoformat()
    assert create(signed_in, patient_record, date=day, early_reason=REASON).status_code == 302
    early = InjectionVisit.objects.get(date=days_ago(10))
    visit_mark_entered_in_error(
        visit=early.early_reason_pair, user=treating_neurologist, reason="Wrong patient"
    )
    edit = reverse("treatments:visit_edit", args=[patient_record.uuid, early.uuid])
    data = visit_payload(date=day, lot_number="X9999", early_reason=REASON,
                         change_reason="Lot typed wrong")  # fmt: skip
    response = signed_in.post(edit, data)
    assert response.status_code == 302, response.context["form"].errors
