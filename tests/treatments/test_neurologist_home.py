"""The neurologist's start page (treatments:neurologist_home), read from CycleProfile."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinic.models import AuditEvent
from clinic.templatetags.clinic_dates import day_month_year
from patients.models import Patient
from tests.factories import PatientFactory
from tests.treatments.timeline_factories import (
    EARLY_PARAMS,
    TYPICAL_PARAMS,
    dysport_cervical,
    stored_profile,
    stored_summary,
    synthetic_history,
    visit_with_units,
)
from treatments.models import CycleProfile, CycleSummary
from treatments.selectors.charts import PATIENTS_PER_PAGE
from treatments.services.summaries import cycle_summaries_recompute

pytestmark = pytest.mark.django_db

URL = reverse("treatments:neurologist_home")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("patient", 403),
        ("treating_neurologist", 200),
        ("other_neurologist", 200),
        ("staff", 403),
        ("admin", 403),
        ("inactive_user", 302),
    ],
    indirect=["persona"],
)
def test_who_may_open_the_start_page(client_for, persona, status):
    response = client_for(persona).get(URL)
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("login"))


def test_lists_only_the_care_team_patients(client, other_neurologist, patient_record):
    other = PatientFactory(care_team=[other_neurologist], last_name="Zeta-Other")
    client.force_login(other_neurologist)
    html = client.get(URL).content.decode()
    assert other.last_name in html
    assert patient_record.last_name not in html
    assert str(patient_record.uuid) not in html


def test_row_shows_cycle_day_verdict_and_adherence(client, treating_neurologist, patient_record):
    today = timezone.localdate()
    last = today - timedelta(days=50)
    visit_with_units(patient_record, last, [120, 120])
    stored_summary(patient_record, last - timedelta(days=90), "early_wear_off")
    stored_profile(
        patient_record,
        last_injection_date=last,
        current_verdict="early_wear_off",
        predicted_wear_off=today - timedelta(days=3),
        wears_off_before_min_interval=True,
        logged_days_last_14=9,
    )
    client.force_login(treating_neurologist)
    html = client.get(URL).content.decode()
    assert f'href="{reverse("treatments:chart", args=[patient_record.uuid])}"' in html
    assert "day 50" in html
    assert "Botox" in html
    assert "9 of 14 days" in html
    assert 'class="table-warning"' in html  # early wear-off stands out ...
    assert '<span class="badge text-bg-danger"><strong>Early wear-off</strong></span>' in html
    assert "Last cycle wore off early" in html  # ... and the cycle before it too
    assert "Usually wears off before the minimum interval" in html


def test_row_of_a_patient_never_analysed(client, treating_neurologist, patient_record):
    client.force_login(treating_neurologist)
    html = client.get(URL).content.decode()
    assert patient_record.last_name in html
    assert "None recorded" in html
    assert "Being recalculated" in html


def test_a_patient_with_visits_and_no_profile_yet_shows_the_last_injection(
    client, treating_neurologist, patient_record
):
    # Right after seed_demo or a first visit: the worker has not computed the profile yet.
    last = timezone.localdate() - timedelta(days=30)
    visit_with_units(patient_record, last - timedelta(days=90), [100])
    visit_with_units(patient_record, last, [100])
    client.force_login(treating_neurologist)
    response = client.get(URL)
    html = response.content.decode()
    assert "None recorded" not in html
    assert f"{day_month_year(last)} · Botox" in html
    assert "day 30" in html
    assert "Being recalculated" in html
    (row,) = response.context["rows"]
    assert (row.last_injection_date, row.cycle_day) == (last, 30)


def test_a_profile_being_recalculated_does_not_hide_the_newest_visit(
    client, treating_neurologist, patient_record
):
    today = timezone.localdate()
    visit_with_units(patient_record, today - timedelta(days=100), [100])
    stored_profile(
        patient_record,
        last_injection_date=today - timedelta(days=100),
        current_verdict="ongoing",
        stale_since=timezone.now(),
    )
    visit_with_units(patient_record, today - timedelta(days=3), [100])
    client.force_login(treating_neurologist)
    html = client.get(URL).content.decode()
    assert f"{day_month_year(today - timedelta(days=3))} · Botox" in html
    assert "day 3<" in html
    assert "Being recalculated" in html


def test_the_page_reads_what_the_recompute_stored(client, treating_neurologist, patient_record):
    generated = synthetic_history(patient_record, days=300, params=TYPICAL_PARAMS)
    profile = cycle_summaries_recompute(patient_id=patient_record.pk)
    client.force_login(treating_neurologist)
    response = client.get(URL)
    (row,) = response.context["rows"]
    assert row.profile == profile
    assert row.cycle_day == (timezone.localdate() - generated.injections[-1]).days
    assert not row.stale


def test_the_latest_product_is_the_latest_visits(client, treating_neurologist, patient_record):
    today = timezone.localdate()
    visit_with_units(patient_record, today - timedelta(days=120), [100])
    visit_with_units(patient_record, today - timedelta(days=20), [300], dysport_cervical().product)
    visit_with_units(
        patient_record, today - timedelta(days=5), [50], entered_in_error=True
    )  # a Botox visit entered in error does not count
    client.force_login(treating_neurologist)
    (row,) = client.get(URL).context["rows"]
    assert row.last_product == "Dysport"


def test_a_switch_of_product_flags_nothing_from_the_earlier_product(
    client, treating_neurologist, patient_record
):
    generated = synthetic_history(patient_record, days=420, params=EARLY_PARAMS)
    last = patient_record.injections.get(date=generated.injections[-1])
    last.product = dysport_cervical().product
    last.save()
    cycle_summaries_recompute(patient_id=patient_record.pk)
    client.force_login(treating_neurologist)
    response = client.get(URL)
    (row,) = response.context["rows"]
    assert row.last_product == "Dysport"
    # Botox wore off early every time; Dysport has no completed cycle to say so of.
    assert row.previous_early_wear_off
    assert "Usually wears off before the minimum interval" not in response.content.decode()
    assert row.profile.predicted_wear_off is None


def test_paginated_fifty_a_page(client, treating_neurologist):
    add_patients(treating_neurologist, PATIENTS_PER_PAGE + 3)
    client.force_login(treating_neurologist)
    first = client.get(URL)
    assert len(first.context["rows"]) == PATIENTS_PER_PAGE
    second = client.get(URL, {"page": 2})
    assert len(second.context["rows"]) == 3
    assert "Page 2 of 2" in second.content.decode()
    assert client.get(URL, {"page": "nonsense"}).status_code == 200


def test_each_view_is_audited(client, treating_neurologist):
    client.force_login(treating_neurologist)
    client.get(URL)
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW)
    assert event.actor == treating_neurologist
    assert event.path == URL


def add_patients(neurologist, count: int) -> None:
    """``count`` care-team patients, each with a profile and two stored cycles."""
    today = timezone.localdate()
    start = Patient.objects.count()
    numbers = [f"BULK-{start + i:05d}" for i in range(count)]
    Patient.objects.bulk_create(PatientFactory.build(medical_record_number=n) for n in numbers)
    patients = list(Patient.objects.filter(medical_record_number__in=numbers))
    Patient.care_team.through.objects.bulk_create(
        Patient.care_team.through(patient_id=p.pk, user_id=neurologist.pk) for p in patients
    )
    now = timezone.now()
    CycleProfile.objects.bulk_create(
        [
            CycleProfile(
                patient=p,
                computed_at=now,
                last_injection_date=today - timedelta(days=40),
                current_verdict="ongoing",
                logged_days_last_14=12,
            )
            for p in patients
        ],
        ignore_conflicts=True,
    )
    CycleSummary.objects.bulk_create(
        [
            CycleSummary(
                patient=p,
                injection_date=today - timedelta(days=days),
                end_date=today - timedelta(days=days - 89),
                coverage=0.9,
                verdict="as_expected",
                computed_at=now,
            )
            for p in patients
            for days in (130, 220)
        ],
        ignore_conflicts=True,
    )


def test_query_count_does_not_grow_with_the_patients(
    client, treating_neurologist, django_assert_num_queries
):
    add_patients(treating_neurologist, 5)
    client.force_login(treating_neurologist)
    with CaptureQueriesContext(connection) as five:
        assert len(client.get(URL).context["rows"]) == 5
    add_patients(treating_neurologist, 195)
    assert Patient.objects.filter(care_team=treating_neurologist).count() == 200
    with django_assert_num_queries(len(five.captured_queries)):
        assert len(client.get(URL).context["rows"]) == PATIENTS_PER_PAGE
