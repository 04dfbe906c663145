"""A correction that changes nothing corrected nothing: it is refused with a message that
says so (reason still typed), and no empty "Visit changed" line joins the visit's history,
nor is the visit announced as changed (as the diary's correction page does)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.treatments.helpers import days_ago, visit_payload
from treatments.models import InjectionVisit
from treatments.signals import injection_visit_changed

pytestmark = pytest.mark.django_db
NOTHING = "Nothing was corrected"


@pytest.fixture
def recorded(client, treating_neurologist, patient_record):
    client.force_login(treating_neurologist)
    create = reverse("treatments:visit_create", args=[patient_record.uuid])
    assert client.post(create, visit_payload(date=days_ago(100).isoformat())).status_code == 302
    return InjectionVisit.objects.get()


def edit(client, visit, **fields):
    url = reverse("treatments:visit_edit", args=[visit.patient.uuid, visit.uuid])
    values = {"date": visit.date.isoformat(), "change_reason": "Checked the lot"} | fields
    return client.post(url, visit_payload(**values))


def test_an_unchanged_correction_is_refused_and_adds_no_history(client, recorded):
    heard = []

    def listen(**kwargs):
        heard.append(kwargs)

    injection_visit_changed.connect(listen)
    try:
        response = edit(client, recorded)
    finally:
        injection_visit_changed.disconnect(listen)
    assert response.status_code == 200
    assert NOTHING in response.content.decode()
    assert "Checked the lot" in response.content.decode()  # the reason stays typed
    assert recorded.history.count() == 1
    assert heard == []


def test_a_changed_lot_is_saved(client, recorded):
    assert edit(client, recorded, lot_number="D5678EF").status_code == 302
    recorded.refresh_from_db()
    assert recorded.lot_number == "D5678EF"


def test_a_changed_site_alone_is_saved(client, recorded):
    sites = (("sternocleidomastoid", "left", "40", "2"),)
    assert edit(client, recorded, sites=sites).status_code == 302
    assert recorded.sites.get().units == 40
