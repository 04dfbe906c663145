"""Review of the neurologist's injection-visit pages (review-neuro): failing tests for what a
clinic would meet."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.treatments.helpers import days_ago, visit_payload
from treatments.models import InjectionVisit
from treatments.services import visits as visit_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(lot_visit):
    return lot_visit


def correction(**fields):
    values = {"date": days_ago(10).isoformat(), "change_reason": "Lot misread"} | fields
    return visit_payload(sites=(("sternocleidomastoid", "left", "50", "2"),), **values)


def test_a_correction_racing_entered_in_error_is_refused_not_saved_onto_the_struck_visit(
    client, treating_neurologist, visit, monkeypatch
):
    """Two neurologists at once: one marks the visit entered in error while the other's
    correction is being checked. The correction must not be saved onto a visit that is
    now struck out of every analysis and reported as saved ("The correction was saved"):
    the corrector believes the injection is on record, yet it counts nowhere."""
    checked = visit_services.visit_rules

    def colleague_marks_it_in_error_meanwhile(**kwargs):
        if not InjectionVisit.objects.get(pk=visit.pk).entered_in_error:
            visit_services.visit_mark_entered_in_error(
                visit=InjectionVisit.objects.get(pk=visit.pk),
                user=treating_neurologist,
                reason="Recorded on the wrong patient",
            )
        return checked(**kwargs)

    monkeypatch.setattr(visit_services, "visit_rules", colleague_marks_it_in_error_meanwhile)
    client.force_login(treating_neurologist)
    url = reverse("treatments:visit_edit", args=[visit.patient.uuid, visit.uuid])
    response = client.post(url, correction(lot_number="D9999ZZ"))

    visit.refresh_from_db()
    assert visit.entered_in_error
    assert visit.lot_number == "C1234AB", "the correction was written onto a struck-out visit"
    assert response.status_code == 200


def test_the_lot_number_a_correction_replaced_stays_readable_in_the_visits_history(
    client, treating_neurologist, visit
):
    """A lot is recorded for recalls: after a correction of the lot number (or the
    dilution, the date, the product), the visit's history must still show the value that
    was recorded before, not only the name of the field that changed."""
    client.force_login(treating_neurologist)
    url = reverse("treatments:visit_edit", args=[visit.patient.uuid, visit.uuid])
    assert client.post(url, correction(lot_number="D9999ZZ")).status_code == 302

    detail = reverse("treatments:visit_detail", args=[visit.patient.uuid, visit.uuid])
    page = client.get(detail).content.decode()
    history = page[page.index('id="visit-history"') :]
    assert "D9999ZZ" in page
    assert "C1234AB" in history, "the earlier lot number is shown nowhere on the visit"
