"""Pages that list patients (clinic/audit.py ``audited_list``): one VIEW event per page shown,
about no one patient, its path without the query string (a search may be a patient's name)."""

from __future__ import annotations

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from clinic.models import AuditEvent
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db
NAME = "Pearson"


def events_after(client_for, user, get) -> tuple[list[AuditEvent], object]:
    """Sign in (which writes a LOGIN event of its own), then the events ``get`` writes."""
    client = client_for(user)
    before = AuditEvent.objects.count()
    response = get(client)
    return list(AuditEvent.objects.order_by("pk")[before:]), response


@pytest.mark.parametrize(
    ("url_name", "persona"),
    [
        ("patients:patient_list", "staff"),
        ("patients:patient_list", "treating_neurologist"),
        ("treatments:followup_queue", "staff"),
        ("treatments:followup_queue", "treating_neurologist"),
        ("treatments:neurologist_home", "treating_neurologist"),
    ],
    indirect=["persona"],
)
def test_a_list_page_writes_one_view_event_about_no_patient(
    client_for, persona, patient_record, url_name
):
    url = reverse(url_name)
    events, response = events_after(
        client_for, persona, lambda c: c.get(url, {"q": NAME, "page": "1"})
    )
    assert response.status_code == 200
    assert len(events) == 1
    (event,) = events
    assert event.action == AuditEvent.Action.VIEW
    assert event.actor == persona and event.actor_username == persona.get_username()
    assert event.patient_uuid is None
    assert event.object_type == "" and event.object_id == ""
    assert event.path == url, "the path only, never the query string"


def test_a_refused_list_page_writes_no_view(client_for, patient):
    events, response = events_after(
        client_for, patient, lambda c: c.get(reverse("treatments:followup_queue"))
    )
    assert response.status_code == 403
    assert events == []


def test_a_search_is_never_stored_in_the_trail(client_for, staff, catalogs):
    PatientFactory(last_name=NAME)
    url = reverse("patients:patient_list")

    def search(client):
        sent = client.post(url, {"q": NAME})  # a redirect: shows nothing, audits nothing
        assert sent.status_code == 302 and not AuditEvent.objects.filter(path=url).exists()
        refused = client.post(url, {"q": NAME * 30})  # too long: the page shown again
        assert refused.status_code == 200
        return client.get(url)

    events, response = events_after(client_for, staff, search)

    assert f"{NAME}, " in response.content.decode()  # the search held
    assert [(e.action, e.path) for e in events] == [(AuditEvent.Action.VIEW, url)] * 2
    for event in events:
        assert NAME not in str(model_to_dict(event).values())
