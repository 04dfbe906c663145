"""Dose limits the catalog states (TIMELINE.md) and the confirmation they call for.

The app never suggests a dose, but a total above the usual maximum needs the
neurologist's explicit, stored confirmation (DESIGN §2, README "Neurologists").
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.treatments.factories import visit_with_sites
from tests.treatments.helpers import days_ago, visit_payload
from treatments.models import InjectionVisit

pytestmark = pytest.mark.django_db


def create_url(patient) -> str:
    return reverse("treatments:visit_create", args=[patient.uuid])


def test_botox_for_blepharospasm_above_200_units_within_30_days_needs_a_confirmation(
    client, patient_record, treating_neurologist
):
    """TIMELINE.md: Botox for blepharospasm, "at most 200 U in 30 days" (the catalog row's
    maximum says so: "Maximum = label's 200 U in 30 days"). 150 U twenty days after 150 U
    of the same product is 300 U in 30 days: it is saved without any confirmation."""
    _earlier_blepharospasm_visit(patient_record, days_ago(21))
    client.force_login(treating_neurologist)
    data = visit_payload(
        indication="blepharospasm",
        sites=(("orbicularis-oculi-pretarsal", "left", "150", "10"),),
        early_reason="Spasms back after three weeks",
    )
    response = client.post(create_url(patient_record), data)
    assert InjectionVisit.objects.filter(date=days_ago(1)).count() == 0
    assert response.status_code == 200
    assert "usual maximum" in response.content.decode()


def test_a_correction_does_not_come_with_the_over_maximum_confirmation_already_ticked(
    client, patient_record, treating_neurologist
):
    """The confirmation is of one total (350 U Botox here). The correction page comes back
    with the box already ticked, so a corrected total of any size (3500 U after a slipped
    zero) is saved as "confirmed" without the neurologist being asked about it."""
    visit = visit_with_sites(
        patient_record,
        date=days_ago(10),
        sites=(("sternocleidomastoid", "left", "350"),),
        over_maximum_confirmed=True,
    )
    client.force_login(treating_neurologist)
    url = reverse("treatments:visit_edit", args=[patient_record.uuid, visit.uuid])
    page = client.get(url).content.decode()
    box = re.search(r'<input[^>]*name="over_maximum_confirmed"[^>]*>', page).group(0)
    assert " checked" not in box


@pytest.mark.parametrize(
    ("indication", "muscle_code"),
    [
        ("spasmodic_dysphonia", "thyroarytenoid"),
        ("oromandibular", "masseter"),
        ("limb", "flexor-carpi-radialis"),
    ],
)
def test_an_absurd_total_is_not_saved_unconfirmed_where_the_catalog_has_no_maximum(
    client, patient_record, treating_neurologist, indication, muscle_code
):
    """Where the catalog leaves the dose to the clinician (no maximum per session), any
    total up to 99,999.99 U is recorded without a single question: 5000 U of Botox into
    one muscle, e.g. a thyroarytenoid (TIMELINE.md: 1.25-2.5 U per vocal fold; Botox's
    highest catalog maximum is 300 U), goes through as typed ("5000" for "5.000")."""
    client.force_login(treating_neurologist)
    data = visit_payload(indication=indication, sites=((muscle_code, "left", "5000", "1"),))
    response = client.post(create_url(patient_record), data)
    assert InjectionVisit.objects.count() == 0
    assert response.status_code == 200


def _earlier_blepharospasm_visit(patient_record, day) -> None:
    visit_with_sites(
        patient_record,
        date=day,
        indication="blepharospasm",
        sites=(("orbicularis-oculi-pretarsal", "left", "150"),),
    )


def _blepharospasm_visit(client, patient_record, units: str, **fields):
    data = visit_payload(
        indication="blepharospasm",
        sites=(("orbicularis-oculi-pretarsal", "left", units, "10"),),
        early_reason="Spasms back after three weeks",
        **fields,
    )
    return client.post(create_url(patient_record), data)


def test_the_thirty_day_total_is_named_and_can_be_confirmed(
    client, patient_record, treating_neurologist
):
    _earlier_blepharospasm_visit(patient_record, days_ago(21))
    client.force_login(treating_neurologist)
    response = _blepharospasm_visit(client, patient_record, "60")
    (message,) = response.context["entry"].form.errors["over_maximum_confirmed"]
    assert message == (
        "With the patient's other Botox visits for blepharospasm within 30 days, this makes "
        "210 U Botox in 30 days, above the usual maximum of 200 U. Tick the box to confirm "
        "this total."
    )
    confirmed = _blepharospasm_visit(client, patient_record, "60", over_maximum_confirmed="on")
    assert confirmed.status_code == 302
    assert InjectionVisit.objects.get(date=days_ago(1)).over_maximum_confirmed is True


def test_a_visit_thirty_days_after_another_starts_a_new_span(
    client, patient_record, treating_neurologist
):
    _earlier_blepharospasm_visit(patient_record, days_ago(31))
    client.force_login(treating_neurologist)
    response = _blepharospasm_visit(client, patient_record, "150")
    assert response.status_code == 302  # day 31 is outside the 30 days (30 days apart)
    assert InjectionVisit.objects.get(date=days_ago(1)).over_maximum_confirmed is False


@pytest.mark.parametrize(
    ("others", "expected"),
    [
        ([], "50"),
        ([(-29, "100"), (29, "100")], "150"),  # each within 30 days, never both at once
        ([(-10, "100"), (10, "100")], "250"),
        ([(-30, "500"), (30, "500")], "50"),
    ],
)
def test_the_largest_total_in_any_span_holding_the_visit(others, expected):
    from datetime import date, timedelta
    from decimal import Decimal

    from treatments.services.visits import largest_total_in_span

    day = date(2026, 5, 1)
    dated = [(day + timedelta(days=offset), Decimal(units)) for offset, units in others]
    assert largest_total_in_span(day, Decimal("50"), dated, 30) == Decimal(expected)
