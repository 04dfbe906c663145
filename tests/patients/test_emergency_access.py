"""Emergency access (break-glass): patients:emergency_access and the grant it opens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from clinic import notify
from clinic.models import AuditEvent, Delivery, EmergencyAccess, Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("patients:emergency_access")
START = datetime(2025, 6, 10, 12, 0, tzinfo=UTC)
REASON = "Unconscious in the emergency department, needs the last doses"


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def admins(admin):
    """The admin persona and a second administrator: both are told."""
    second = UserFactory(username="second_admin", role="admin", is_staff=True)
    return [admin, second]


def chart(patient) -> str:
    return reverse("treatments:chart", kwargs={"patient_uuid": patient.uuid})


def form(patient, reason: str = REASON, **extra) -> dict:
    return {
        "medical_record_number": patient.medical_record_number,
        "reason": reason,
        "confirm": "on",
        **extra,
    }


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("patient", 403),
        ("other_patient", 403),
        ("treating_neurologist", 200),
        ("other_neurologist", 200),
        ("staff", 403),
        ("admin", 403),
        ("inactive_user", 302),
    ],
    indirect=["persona"],
)
def test_who_may_open_the_page(client_for, persona, status):
    response = client_for(persona).get(URL)
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["patient", "staff", "admin"], indirect=True)
def test_other_roles_cannot_break_the_glass(client_for, persona, patient_record):
    response = client_for(persona).post(URL, form(patient_record))
    assert response.status_code == 403
    assert not EmergencyAccess.objects.exists()
    assert not AuditEvent.objects.exclude(action=AuditEvent.Action.LOGIN).exists()


def test_404_before_200_during_404_after(
    client_for, other_neurologist, patient_record, admins, clock
):
    client = client_for(other_neurologist)
    assert client.get(chart(patient_record)).status_code == 404

    response = client.post(URL, form(patient_record))
    assert response.status_code == 302
    assert response["Location"] == chart(patient_record)

    grant = EmergencyAccess.objects.get()
    assert grant.neurologist == other_neurologist
    assert grant.patient_uuid == patient_record.uuid
    assert grant.reason == REASON
    assert grant.started == START
    assert grant.expires == START + timedelta(minutes=60)

    page = client.get(chart(patient_record))
    assert page.status_code == 200
    html = page.content.decode()
    assert "emergency-banner" in html
    assert "reason recorded" in html

    # The neurologist keeps working (a request every 10 minutes, inside the idle limit).
    for minutes in (10, 20, 30, 40, 50, 59):
        clock.move_to(START + timedelta(minutes=minutes))
        assert client.get(chart(patient_record)).status_code == 200
    clock.move_to(START + timedelta(minutes=60, seconds=1))
    assert client.get(chart(patient_record)).status_code == 404


def test_the_banner_names_the_end_in_the_clinic_time(
    client_for, other_neurologist, patient_record, settings, clock
):
    settings.TIME_ZONE = "UTC"
    client = client_for(other_neurologist)
    client.post(URL, form(patient_record))
    html = client.get(chart(patient_record)).content.decode()
    assert "Emergency access until 13:00" in html


def test_the_grant_is_audited_and_the_pages_stay_ordinary_views(
    client_for, other_neurologist, patient_record, clock
):
    client = client_for(other_neurologist)
    client.post(URL, form(patient_record))
    client.get(chart(patient_record))
    client.get(reverse("treatments:visit_list", kwargs={"patient_uuid": patient_record.uuid}))
    events = AuditEvent.objects.filter(patient_uuid=patient_record.uuid).order_by("id")
    assert [e.action for e in events] == [
        AuditEvent.Action.BREAK_GLASS,
        AuditEvent.Action.VIEW,
        AuditEvent.Action.VIEW,
    ]
    glass = events[0]
    assert glass.actor == other_neurologist
    assert glass.object_type == "clinic.emergencyaccess"
    assert glass.object_id == str(EmergencyAccess.objects.get().pk)
    assert REASON not in glass.path


def test_the_grant_opens_clinical_pages_only(client_for, other_neurologist, patient_record, clock):
    client = client_for(other_neurologist)
    client.post(URL, form(patient_record))
    edit = reverse("patients:patient_edit", kwargs={"patient_uuid": patient_record.uuid})
    assert client.get(edit).status_code == 404  # contact details stay with the care team
    assert client.get(reverse("patients:patient_list")).status_code == 200
    assert (
        patient_record.last_name
        not in client.get(reverse("patients:patient_list")).content.decode()
    )


RECORDING_PAGES = [
    "treatments:visit_create",
    "treatments:course_create",
    "treatments:assessment_create",
]


def test_the_grant_opens_pages_but_recording_stays_with_the_care_team(
    client_for, other_neurologist, treating_neurologist, patient_record, clock
):
    """DESIGN §4: a grant lets its neurologist open the patient's pages; recording and
    correcting visits, treatments, ratings and diary days is the care team's."""
    client = client_for(other_neurologist)
    client.post(URL, form(patient_record))
    uuid = patient_record.uuid
    visits = client.get(reverse("treatments:visit_list", kwargs={"patient_uuid": uuid}))
    assert visits.status_code == 200
    assert "Record a visit" not in visits.content.decode()
    for name in RECORDING_PAGES:
        page = reverse(name, kwargs={"patient_uuid": uuid})
        assert client.get(page).status_code == 404, name
        assert client.post(page, {}).status_code == 404, name
    day = reverse("patients:diary_entry_edit", kwargs={"patient_uuid": uuid, "day": "2025-06-09"})
    assert client.post(day, {"reason": "x"}).status_code == 404
    # Nor does the patient join the neurologist's own list of care-team patients.
    home = client.get(reverse("treatments:neurologist_home")).content.decode()
    assert patient_record.last_name not in home
    # The care team records as before.
    team = client_for(treating_neurologist)
    page = team.get(reverse("treatments:visit_list", kwargs={"patient_uuid": uuid}))
    assert "Record a visit" in page.content.decode()
    for name in RECORDING_PAGES:
        assert team.get(reverse(name, kwargs={"patient_uuid": uuid})).status_code == 200, name


def test_every_admin_is_told_without_health_data(
    client_for,
    other_neurologist,
    patient_record,
    admins,
    clock,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks:
        client_for(other_neurologist).post(URL, form(patient_record))
    assert len(callbacks) == 1  # the deliveries are published after the commit
    deliveries = Delivery.objects.filter(kind=notify.EMERGENCY_ACCESS)
    assert {d.recipient for d in deliveries} == set(admins)
    for delivery in deliveries:
        assert notify.deliver(delivery.pk) is True
    assert len(mailoutbox) == 2
    secrets = (
        REASON,
        patient_record.first_name,
        patient_record.last_name,
        patient_record.medical_record_number,
        str(patient_record.uuid),
    )
    for message in mailoutbox:
        text = message.subject + message.body
        assert not any(secret in text for secret in secrets)
    for note in Notification.objects.filter(kind=notify.EMERGENCY_ACCESS):
        assert "Emergency access was used" in note.text
        assert not any(secret in note.text + note.link for secret in secrets)
        assert note.link == reverse("admin:clinic_emergencyaccess_changelist")


def test_an_unknown_number_is_explained_next_to_the_field(
    client_for, other_neurologist, patient_record
):
    response = client_for(other_neurologist).post(
        URL, form(patient_record, medical_record_number="MRN-NOBODY")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["medical_record_number"] == [
        "No patient has that medical record number. Check the number and try again."
    ]
    assert not EmergencyAccess.objects.exists()
    events = AuditEvent.objects.exclude(action=AuditEvent.Action.LOGIN)
    assert [(e.action, e.actor, e.patient_uuid) for e in events] == [
        (AuditEvent.Action.BREAK_GLASS_MISS, other_neurologist, None)
    ]
    assert "MRN-NOBODY" not in (events[0].path + events[0].object_id)


def test_only_the_exact_number_matches(client_for, other_neurologist, patient_record):
    partial = patient_record.medical_record_number[:-1]
    response = client_for(other_neurologist).post(
        URL, form(patient_record, medical_record_number=partial)
    )
    assert "medical_record_number" in response.context["form"].errors
    assert not EmergencyAccess.objects.exists()


@pytest.mark.parametrize("reason", ["", "   ", "too short", "         short     "])
def test_a_reason_is_required(client_for, other_neurologist, patient_record, reason):
    response = client_for(other_neurologist).post(URL, form(patient_record, reason=reason))
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert not EmergencyAccess.objects.exists()
    assert client_for(other_neurologist).get(chart(patient_record)).status_code == 404


def test_the_confirmation_is_required(client_for, other_neurologist, patient_record):
    data = form(patient_record)
    del data["confirm"]
    response = client_for(other_neurologist).post(URL, data)
    assert "confirm" in response.context["form"].errors
    assert not EmergencyAccess.objects.exists()


def test_the_care_team_needs_no_grant(client_for, treating_neurologist, patient_record):
    response = client_for(treating_neurologist).post(URL, form(patient_record))
    assert response.status_code == 302
    assert response["Location"] == chart(patient_record)
    assert not EmergencyAccess.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.BREAK_GLASS).exists()


def test_a_grant_is_for_its_neurologist_only(client_for, other_neurologist, patient_record, clock):
    client_for(other_neurologist).post(URL, form(patient_record))
    third = UserFactory(username="dr_third", role="neurologist")
    client = client_for(third)
    assert client.get(chart(patient_record)).status_code == 404


def test_a_care_team_page_shows_no_banner(client_for, treating_neurologist, patient_record):
    html = client_for(treating_neurologist).get(chart(patient_record)).content.decode()
    assert "emergency-banner" not in html
