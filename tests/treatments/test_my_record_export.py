"""The patient's own record as a file (treatments:my_record_export): the right of access.

Everything the clinic keeps about the patient that the patient is shown (their details,
diary, injections, ratings, other treatments), in JSON; nothing of anyone else, and no
visit entered in error (most often another person's treatment recorded on the wrong
patient, which the patient is not shown either).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from clinic.models import AuditEvent, User
from patients.days import patient_today
from patients.models import DiaryEntry, RegionSeverity
from tests.factories import UserFactory
from tests.patients.factories import DiaryEntryFactory, diary_for
from tests.treatments.factories import (
    AssessmentFactory,
    TreatmentCourseFactory,
    visit_with_sites,
)

pytestmark = pytest.mark.django_db

URL = reverse("treatments:my_record_export")


def exported(response) -> dict:
    assert response.status_code == 200, response.status_code
    return json.loads(
        b"".join(response.streaming_content) if response.streaming else response.content
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("patient", 200),
        ("other_patient", 200),  # their own record: the address takes no patient id
        ("treating_neurologist", 403),
        ("other_neurologist", 403),
        ("staff", 403),
        ("admin", 403),
        ("inactive_user", 302),
    ],
    indirect=["persona"],
)
def test_who_may_download_their_record(client_for, persona, status):
    response = client_for(persona).get(URL)
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("login"))


def test_a_patient_user_without_a_record_gets_404(client, db):
    client.force_login(UserFactory(role=User.Role.PATIENT))
    assert client.get(URL).status_code == 404


def test_only_get(client, patient):
    client.force_login(patient)
    assert client.post(URL).status_code == 405


def test_the_file_holds_the_patients_details_diary_injections_ratings_and_treatments(
    client, patient, patient_record, treating_neurologist
):
    region = patient_record.regions.get()
    entry = DiaryEntryFactory(
        patient=patient_record,
        date=date.today() - timedelta(days=1),
        severity=7,
        pain=2,
        interference=6,
        triggers=["stress", "poor_sleep"],
        note="Bad night, neck pulling right",
        entered_by=patient,
    )
    RegionSeverity.objects.create(entry=entry, affected_region=region, severity=8)
    visit = visit_with_sites(
        patient_record,
        date=date.today() - timedelta(days=20),
        injector=treating_neurologist,
        lot_number="C1234AB",
        notes="Tolerated well",
        sites=(("sternocleidomastoid", "left", "40"), ("splenius-capitis", "right", "60")),
    )
    AssessmentFactory(patient=patient_record, visit=visit, total=Decimal("40"))
    TreatmentCourseFactory(patient=patient_record, name="Clonazepam", dose_text="0.5 mg at night")

    client.force_login(patient)
    record = exported(client.get(URL))

    details = record["patient"]
    assert details["medical_record_number"] == patient_record.medical_record_number
    assert details["last_name"] == patient_record.last_name
    assert details["date_of_birth"] == "1970-05-17"
    assert details["affected_regions"] == [{"region": "Neck", "side": ""}]

    [day] = record["diary"]
    assert day["date"] == entry.date.isoformat()
    assert (day["overall_severity"], day["pain"], day["interference"]) == (7, 2, 6)
    assert day["triggers"] == ["Stress", "Poor sleep"]
    assert day["note"] == "Bad night, neck pulling right"
    assert day["regions"] == [{"region": "Neck", "side": "", "severity": 8}]

    [injection] = record["injections"]
    assert injection["date"] == visit.date.isoformat()
    assert injection["product"] == "Botox"
    assert injection["lot_number"] == "C1234AB"
    assert injection["notes"] == "Tolerated well"
    # Units are the visit's own product's, and say so; never summed across visits.
    assert injection["units_of"] == "Botox"
    assert injection["total_units"] == "100"
    assert sorted((s["muscle"], s["side"], s["units"]) for s in injection["sites"]) == [
        ("Splenius capitis", "Right", "60"),
        ("Sternocleidomastoid", "Left", "40"),
    ]

    [rating] = record["ratings"]
    assert (rating["scale"], rating["total"], rating["visit_date"]) == (
        "TWSTRS",
        "40",
        visit.date.isoformat(),
    )
    assert rating["subscores"] == {"Severity": 20, "Disability": 12, "Pain": 8}

    [course] = record["other_treatments"]
    assert (course["name"], course["dose"]) == ("Clonazepam", "0.5 mg at night")


def test_every_diary_day_is_in_the_file(client, patient, patient_record):
    diary_for(patient_record, date.today(), 60)
    client.force_login(patient)
    record = exported(client.get(URL))
    assert len(record["diary"]) == 60 == DiaryEntry.objects.filter(patient=patient_record).count()
    # Oldest first, as a diary reads.
    dates = [day["date"] for day in record["diary"]]
    assert dates == sorted(dates)


def test_nothing_of_another_patient(client, patient, patient_record, other_patient_record):
    DiaryEntryFactory(patient=other_patient_record, note="OTHER-PATIENT-NOTE")
    visit_with_sites(other_patient_record, lot_number="OTHERLOT9")
    TreatmentCourseFactory(patient=other_patient_record, name="Other-patient-medicine")
    AssessmentFactory(patient=other_patient_record, total=Decimal("77.77"))
    client.force_login(patient)
    response = client.get(URL)
    text = json.dumps(exported(response))
    for marker in (
        "OTHER-PATIENT-NOTE",
        "OTHERLOT9",
        "Other-patient-medicine",
        "77.77",
        other_patient_record.last_name,
        other_patient_record.medical_record_number,
    ):
        assert marker not in text


def test_a_visit_entered_in_error_is_left_out(
    client, patient, patient_record, treating_neurologist
):
    kept = visit_with_sites(patient_record, date=date.today() - timedelta(days=30))
    wrong = visit_with_sites(
        patient_record,
        date=date.today() - timedelta(days=10),
        lot_number="WRONGPATIENTLOT",
        notes="Another person's treatment",
        entered_in_error=True,
        entered_in_error_reason="Recorded on the wrong patient",
    )
    AssessmentFactory(patient=patient_record, visit=wrong, date=wrong.date)
    client.force_login(patient)
    record = exported(client.get(URL))
    assert [v["date"] for v in record["injections"]] == [kept.date.isoformat()]
    text = json.dumps(record)
    assert "WRONGPATIENTLOT" not in text
    assert "wrong patient" not in text
    # The rating itself is the patient's; the visit it was linked to is not shown.
    [rating] = record["ratings"]
    assert rating["visit_date"] is None


def test_a_download_with_no_health_data_in_its_name_and_never_cached(client, patient):
    client.force_login(patient)
    response = client.get(URL)
    assert response["Content-Type"].startswith("application/json")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    filename = disposition.split("filename=", 1)[1].strip('"')
    assert filename == f"dystonia-clinic-record-{patient_today(patient.patient).isoformat()}.json"
    record = patient.patient
    for private in (record.last_name, record.first_name, record.medical_record_number):
        assert private.lower() not in disposition.lower()
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_each_download_writes_one_export_event(client, patient, patient_record):
    client.force_login(patient)
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    client.get(URL)
    events = list(AuditEvent.objects.filter(id__gt=last))
    assert [(e.action, e.patient_uuid, e.actor_id) for e in events] == [
        (AuditEvent.Action.EXPORT, patient_record.uuid, patient.pk)
    ]


def test_a_fixed_number_of_queries_whatever_the_record_holds(
    client, patient, patient_record, django_assert_max_num_queries
):
    diary_for(patient_record, date.today(), 200)
    for weeks in range(1, 6):
        visit = visit_with_sites(
            patient_record,
            date=date.today() - timedelta(weeks=12 * weeks),
            sites=(("sternocleidomastoid", "left", "40"), ("splenius-capitis", "right", "60")),
        )
        AssessmentFactory(patient=patient_record, visit=visit, date=visit.date)
        TreatmentCourseFactory(patient=patient_record, name=f"Medicine {weeks}")
    client.force_login(patient)
    client.get(URL)  # the session and user are loaded once
    with django_assert_max_num_queries(13):
        exported(client.get(URL))


def test_history_links_to_the_download(client, patient):
    client.force_login(patient)
    html = client.get(reverse("patients:history")).content.decode()
    assert f'href="{URL}"' in html


def test_booked_appointments_are_in_the_file_without_staffs_reasons(
    client, patient, patient_record, staff
):
    from django.utils import timezone

    from treatments.models import FollowUp

    visit = visit_with_sites(patient_record, date=date.today() - timedelta(days=30))
    at = timezone.now().replace(microsecond=0) + timedelta(days=40)
    FollowUp.objects.create(
        patient=patient_record,
        source_visit=visit,
        kind=FollowUp.Kind.REINJECTION,
        due_from=date.today() + timedelta(days=30),
        due_until=date.today() + timedelta(days=60),
        scheduled_at=at,
        status=FollowUp.Status.SCHEDULED,
        assignee=staff,
    )
    FollowUp.objects.create(
        patient=patient_record,
        source_visit=visit,
        kind=FollowUp.Kind.REVIEW,
        due_from=date.today() - timedelta(days=5),
        due_until=date.today() + timedelta(days=5),
        status=FollowUp.Status.CANCELLED,
        status_reason="STAFF-INTERNAL-REASON",
    )
    client.force_login(patient)
    response = client.get(URL)
    record = exported(response)
    assert record["appointments"] == [
        {"kind": "Reinjection", "time": at.isoformat(), "status": "Scheduled"}
    ]
    assert "STAFF-INTERNAL-REASON" not in response.content.decode()


def test_every_canary_marker_the_patient_is_shown_is_in_their_file(
    client, patient, patient_record, treating_neurologist, staff
):
    """Completeness against the canary's world (tests/security/world.py): each marked value
    of the diary, visit, site, rating and course is in the file. The region-severity marker
    is a sequence of days, which the canary looks for as a list; the file has it per day
    (checked above)."""
    from tests.security import canary
    from tests.security.world import build_world

    build_world(
        patient=patient_record,
        neurologist=treating_neurologist,
        staff=staff,
        markers=canary.markers(),
    )
    client.force_login(patient)
    shown = set(canary.found_in(json.dumps(exported(client.get(URL)))))
    assert sorted(set(canary.NEEDLES) - {"region severities"} - shown) == []
