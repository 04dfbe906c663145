"""Correcting a visit: who may, a reason is required, the history keeps every value."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clinic.models import AuditEvent
from tests.races import checks_miss_the_other_request
from tests.treatments.factories import visit_with_sites
from tests.treatments.helpers import (
    PERSONAS,
    WRITE_STATUS,
    check_status,
    days_ago,
    sign_in,
    visit_payload,
)
from treatments.models import InjectionSite, InjectionVisit
from treatments.signals import injection_visit_changed

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(patient_record, treating_neurologist):
    return visit_with_sites(
        patient_record,
        date=days_ago(10),
        injector=treating_neurologist,
        sites=(("sternocleidomastoid", "left", "50"), ("splenius-capitis", "right", "60")),
    )


def url(visit) -> str:
    return reverse("treatments:visit_edit", args=[visit.patient.uuid, visit.uuid])


def correction(**fields):
    sites = (
        ("sternocleidomastoid", "left", "45", "2"),  # units changed
        ("trapezius", "right", "40", "2"),  # added; splenius capitis removed
    )
    values = {"date": days_ago(10).isoformat(), "change_reason": "Units misread"} | fields
    return visit_payload(sites=sites, **values)


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_who_may_open_the_correction(client, persona, request, visit):
    sign_in(client, persona)
    check_status(client.get(url(visit)), WRITE_STATUS[request.node.callspec.id])


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_who_may_correct(client, persona, request, visit):
    sign_in(client, persona)
    response = client.post(url(visit), correction(lot_number="NEW-LOT"))
    expected = WRITE_STATUS[request.node.callspec.id]
    visit.refresh_from_db()
    if expected == 200:
        assert response.status_code == 302
        assert visit.lot_number == "NEW-LOT"
    else:
        check_status(response, expected)
        assert visit.lot_number != "NEW-LOT"


def test_the_form_starts_from_the_recorded_values(client, treating_neurologist, visit):
    client.force_login(treating_neurologist)
    page = client.get(url(visit)).content.decode()
    assert 'name="sites-TOTAL_FORMS" value="2"' in page
    assert 'name="sites-1-units" value="50"' in page
    assert f'value="{visit.lot_number}"' in page
    assert "Reason for the correction" in page


def test_a_correction_keeps_the_history(
    client, treating_neurologist, visit, django_capture_on_commit_callbacks
):
    client.force_login(treating_neurologist)
    seen = []
    receiver = lambda sender, visit, **kw: seen.append(visit.pk)  # noqa: E731
    injection_visit_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url(visit), correction(lot_number="NEW-LOT"))
    finally:
        injection_visit_changed.disconnect(receiver)
    assert response.status_code == 302
    assert seen == [visit.pk]
    visit.refresh_from_db()
    current = {(s.muscle.code, s.side): s.units for s in visit.sites.all()}
    assert current == {("sternocleidomastoid", "left"): 45, ("trapezius", "right"): 40}
    latest, first = visit.history.all()[:2]
    assert latest.history_change_reason == "Units misread"
    assert latest.history_user == treating_neurologist
    assert first.lot_number != "NEW-LOT"
    site_history = InjectionSite.history.filter(visit_id=visit.pk)
    assert {r.history_type for r in site_history} == {"+", "~", "-"}
    assert AuditEvent.objects.filter(action="update", object_id=str(visit.uuid)).exists()
    detail = client.get(reverse("treatments:visit_detail", args=[visit.patient.uuid, visit.uuid]))
    page = detail.content.decode()
    assert "Units misread" in page
    assert "Lot number" in page  # the changed field is named in the history
    assert "Site removed" in page
    assert "Splenius capitis, right: 60 U Botox in 2 points" in page


def test_a_reason_is_required(client, treating_neurologist, visit):
    client.force_login(treating_neurologist)
    response = client.post(url(visit), correction(change_reason="", lot_number="NEW-LOT"))
    assert "Say why the visit is corrected." in response.content.decode()
    visit.refresh_from_db()
    assert visit.lot_number != "NEW-LOT"
    assert visit.history.count() == 1


def test_a_correction_follows_the_same_rules(client, treating_neurologist, visit):
    client.force_login(treating_neurologist)
    data = correction()
    data["sites-0-units"] = "0"
    response = client.post(url(visit), data)
    assert "Units must be more than 0" in response.content.decode()
    assert visit.sites.count() == 2
    assert visit.history.count() == 1


def test_a_correction_before_the_patients_birth_is_refused(client, treating_neurologist, visit):
    client.force_login(treating_neurologist)
    response = client.post(url(visit), correction(date="1901-01-01"))
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == [
        "The date cannot be before the patient's date of birth (17 May 1970)."
    ]
    visit.refresh_from_db()
    assert visit.date == days_ago(10)


def test_the_visit_itself_does_not_make_it_early(client, treating_neurologist, visit):
    client.force_login(treating_neurologist)
    response = client.post(url(visit), correction(date=days_ago(8).isoformat()))
    assert response.status_code == 302


def test_a_visit_entered_in_error_cannot_be_corrected(client, treating_neurologist, visit):
    InjectionVisit.objects.filter(pk=visit.pk).update(
        entered_in_error=True, entered_in_error_reason="duplicate"
    )
    client.force_login(treating_neurologist)
    response = client.post(url(visit), correction(lot_number="NEW-LOT"))
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.lot_number != "NEW-LOT"


def product_select(page: str) -> str:
    start = page.index('name="product"')
    return page[start : page.index("</select>", start)]


def test_a_visit_of_a_product_since_retired_is_corrected_on_its_own_product(
    client, treating_neurologist, visit
):
    """Units are not interchangeable: a correction must not force another product."""
    product = visit.product
    product.active = False
    product.save()
    client.force_login(treating_neurologist)
    page = client.get(url(visit)).content.decode()
    assert f'<option value="{product.pk}" selected' in product_select(page)
    response = client.post(url(visit), correction(lot_number="NEW-LOT"))
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.lot_number, visit.product) == ("NEW-LOT", product)


def test_a_new_visit_is_not_offered_a_retired_product(client, treating_neurologist, visit):
    product = visit.product
    product.active = False
    product.save()
    client.force_login(treating_neurologist)
    new = reverse("treatments:visit_create", args=[visit.patient.uuid])
    assert f'<option value="{product.pk}"' not in product_select(client.get(new).content.decode())
    response = client.post(new, visit_payload(date=days_ago(1).isoformat()))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_a_racing_correction_onto_a_recorded_visit_shows_the_message_not_a_500(
    client, treating_neurologist, visit, monkeypatch, django_capture_on_commit_callbacks
):
    earlier = visit_with_sites(visit.patient, date=days_ago(200), injector=treating_neurologist)
    checks_miss_the_other_request(monkeypatch, InjectionVisit)
    client.force_login(treating_neurologist)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(url(earlier), correction())
    assert response.status_code == 200
    assert "already recorded: correct that one instead" in response.content.decode()
    assert callbacks == []
    earlier.refresh_from_db()
    assert earlier.date == days_ago(200)
    assert earlier.history.count() == 1
    assert earlier.sites.count() == 1
    assert not AuditEvent.objects.filter(action="update").exists()
