"""The admin's audit log and emergency-access list: read-only, filtered by patient, actor, date."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from clinic.audit import record_event
from clinic.models import AuditEvent, EmergencyAccess

pytestmark = pytest.mark.django_db
Action = AuditEvent.Action
CHANGELIST = "admin:clinic_auditevent_changelist"
PATIENT_A = uuid.UUID("11111111-1111-4111-8111-111111111111")
PATIENT_B = uuid.UUID("22222222-2222-4222-8222-222222222222")


@pytest.fixture
def events(treating_neurologist, other_neurologist):
    """Four events: two patients, two actors, two days."""
    made = {}
    with time_machine.travel(datetime(2025, 6, 9, 10, 0, tzinfo=UTC), tick=False):
        made["a_treating_9th"] = record_event(
            request=None, action=Action.VIEW, actor=treating_neurologist, patient_uuid=PATIENT_A
        )
        made["b_other_9th"] = record_event(
            request=None, action=Action.VIEW, actor=other_neurologist, patient_uuid=PATIENT_B
        )
    with time_machine.travel(datetime(2025, 6, 10, 10, 0, tzinfo=UTC), tick=False):
        made["a_other_10th"] = record_event(
            request=None, action=Action.UPDATE, actor=other_neurologist, patient_uuid=PATIENT_A
        )
        made["b_treating_10th"] = record_event(
            request=None, action=Action.VIEW, actor=treating_neurologist, patient_uuid=PATIENT_B
        )
    return made


def listed(response) -> set[int]:
    assert response.status_code == 200
    return {event.pk for event in response.context["cl"].result_list}


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("staff", 302), ("treating_neurologist", 302), ("patient", 302)],
    indirect=["persona"],
)
def test_only_admins_open_the_audit_log(client_for, persona, status):
    response = client_for(persona).get(reverse(CHANGELIST))
    assert response.status_code == status
    if status == 302:
        assert reverse("admin:login") in response["Location"]


def test_the_admin_cannot_add_change_or_delete(client_for, admin, events):
    client = client_for(admin)
    before = AuditEvent.objects.count()  # the seeded events and the admin's sign-in
    event = events["a_treating_9th"]
    change = reverse("admin:clinic_auditevent_change", args=[event.pk])
    assert client.get(reverse("admin:clinic_auditevent_add")).status_code == 403
    assert client.get(change).status_code == 200  # view only
    assert client.post(change, {"action": "delete", "path": "/x"}).status_code == 403
    delete = reverse("admin:clinic_auditevent_delete", args=[event.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    page = client.get(reverse(CHANGELIST))
    assert "delete_selected" not in page.content.decode()
    bulk = client.post(
        reverse(CHANGELIST), {"action": "delete_selected", "_selected_action": [event.pk]}
    )
    assert bulk.status_code in (200, 302)
    assert AuditEvent.objects.count() == before
    assert AuditEvent.objects.get(pk=event.pk).action == Action.VIEW


def test_the_log_filters_by_patient(client_for, admin, events):
    client = client_for(admin)
    by_search = client.get(reverse(CHANGELIST), {"q": str(PATIENT_A)})
    assert listed(by_search) == {events["a_treating_9th"].pk, events["a_other_10th"].pk}
    by_param = client.get(reverse(CHANGELIST), {"patient_uuid": str(PATIENT_B)})
    assert listed(by_param) == {events["b_other_9th"].pk, events["b_treating_10th"].pk}


def test_the_log_filters_by_actor(client_for, admin, events):
    client = client_for(admin)
    by_search = client.get(reverse(CHANGELIST), {"q": "dr_other"})
    assert listed(by_search) == {events["b_other_9th"].pk, events["a_other_10th"].pk}
    by_param = client.get(reverse(CHANGELIST), {"actor_username": "dr_treating"})
    assert listed(by_param) == {events["a_treating_9th"].pk, events["b_treating_10th"].pk}


def test_the_log_filters_by_date(client_for, admin, events):
    client = client_for(admin)
    day = {"created__year": "2025", "created__month": "6", "created__day": "10"}
    assert listed(client.get(reverse(CHANGELIST), day)) == {
        events["a_other_10th"].pk,
        events["b_treating_10th"].pk,
    }
    span = {"created__gte": "2025-06-09 00:00:00+00:00", "created__lt": "2025-06-10 00:00:00+00:00"}
    assert listed(client.get(reverse(CHANGELIST), span)) == {
        events["a_treating_9th"].pk,
        events["b_other_9th"].pk,
    }


def test_patient_actor_and_date_combine(client_for, admin, events):
    query = {
        "patient_uuid": str(PATIENT_A),
        "actor_username": "dr_other",
        "created__year": "2025",
        "created__month": "6",
        "created__day": "10",
    }
    assert listed(client_for(admin).get(reverse(CHANGELIST), query)) == {events["a_other_10th"].pk}


def test_the_log_filters_by_action(client_for, admin, events):
    response = client_for(admin).get(reverse(CHANGELIST), {"action__exact": "update"})
    assert listed(response) == {events["a_other_10th"].pk}


def test_emergency_grants_are_listed_read_only(client_for, admin, other_neurologist):
    from django.utils import timezone

    now = timezone.now()
    grant = EmergencyAccess.objects.create(
        neurologist=other_neurologist,
        patient_uuid=PATIENT_A,
        reason="Seizure in the emergency room",
        started=now,
        expires=now + timedelta(minutes=60),
    )
    client = client_for(admin)
    page = client.get(reverse("admin:clinic_emergencyaccess_changelist"))
    assert page.status_code == 200
    assert "Seizure in the emergency room" in page.content.decode()
    assert "delete_selected" not in page.content.decode()
    assert client.get(reverse("admin:clinic_emergencyaccess_add")).status_code == 403
    change = reverse("admin:clinic_emergencyaccess_change", args=[grant.pk])
    assert client.post(change, {"reason": "changed later"}).status_code == 403
    delete = reverse("admin:clinic_emergencyaccess_delete", args=[grant.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    grant.refresh_from_db()
    assert grant.reason == "Seizure in the emergency room"


def _row_of(html: str, event: AuditEvent) -> str:
    change = reverse("admin:clinic_auditevent_change", args=[event.pk])
    start = html.index(f'href="{change}')
    return html[start : html.index("</tr>", start)]


@pytest.fixture
def the_night_clocks_go_back(settings, treating_neurologist):
    """London, 26 October 2025: 01:30 happens twice, first in BST, then in GMT."""
    settings.TIME_ZONE = "Europe/London"
    made = []
    for moment in (
        datetime(2025, 10, 26, 0, 30, tzinfo=UTC),
        datetime(2025, 10, 26, 1, 30, tzinfo=UTC),
    ):
        with time_machine.travel(moment, tick=False):
            made.append(
                record_event(
                    request=None,
                    action=Action.VIEW,
                    actor=treating_neurologist,
                    patient_uuid=PATIENT_A,
                )
            )
    return made


def test_each_listed_time_names_its_offset_so_a_repeated_hour_is_not_ambiguous(
    client_for, admin, the_night_clocks_go_back
):
    first, second = the_night_clocks_go_back
    html = client_for(admin).get(reverse(CHANGELIST), {"q": str(PATIENT_A)}).content.decode()
    assert "01:30:00 BST (UTC+01:00)" in _row_of(html, first)
    assert "01:30:00 GMT (UTC+00:00)" in _row_of(html, second)


def test_an_events_own_page_names_the_offset_of_its_time(
    client_for, admin, the_night_clocks_go_back
):
    _, second = the_night_clocks_go_back
    change = reverse("admin:clinic_auditevent_change", args=[second.pk])
    html = client_for(admin).get(change).content.decode()
    assert "26 Oct 2025, 01:30:00 GMT (UTC+00:00)" in html


def test_emergency_grant_times_name_their_offset(client_for, admin, other_neurologist, settings):
    settings.TIME_ZONE = "Europe/London"
    started = datetime(2025, 10, 26, 0, 30, tzinfo=UTC)  # 01:30 BST; it expires 01:30 GMT
    EmergencyAccess.objects.create(
        neurologist=other_neurologist,
        patient_uuid=PATIENT_A,
        reason="Seizure in the emergency room",
        started=started,
        expires=started + timedelta(minutes=60),
    )
    html = client_for(admin).get(reverse("admin:clinic_emergencyaccess_changelist")).content
    html = html.decode()
    assert "01:30:00 BST (UTC+01:00)" in html
    assert "01:30:00 GMT (UTC+00:00)" in html
