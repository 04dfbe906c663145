"""seed_demo's treatment histories: diaries, 4-6 visits ~12 weeks apart, the stories the
demo promises (typical, early wear-off, one non-responding cycle), idempotent and fast."""

from __future__ import annotations

import time
from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.utils import timezone

from patients.models import DiaryEntry, Patient, RegionSeverity
from treatments.cycles import analyse_cycles
from treatments.demo import DEMO_HISTORIES, DEMO_PATIENTS, expected_timeline
from treatments.models import (
    Assessment,
    FollowUp,
    InjectionSite,
    InjectionVisit,
    TreatmentCourse,
)
from treatments.selectors.visits import visits_for_analysis
from treatments.services.followups import followups_sweep
from treatments.services.visits import SiteInput, VisitInput, visit_rules

pytestmark = pytest.mark.django_db

INDICATION_OF_REGION = {
    "neck": "cervical",
    "eyelids": "blepharospasm",
    "larynx": "spasmodic_dysphonia",
    "arm-hand": "limb",
}


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True  # the demo clinic is for development only
    started = time.perf_counter()
    call_command("seed_demo", stdout=StringIO())
    return time.perf_counter() - started


def snapshot() -> tuple:
    return (
        tuple(InjectionVisit.objects.order_by("uuid").values_list("uuid", "date", "updated")),
        InjectionSite.objects.count(),
        tuple(DiaryEntry.objects.order_by("uuid").values_list("uuid", "severity", "updated")),
        RegionSeverity.objects.count(),
        Assessment.objects.count(),
        TreatmentCourse.objects.count(),
        InjectionVisit.history.count(),
    )


def test_it_is_fast_and_a_second_run_changes_nothing(seeded):
    assert seeded < 10, f"seed_demo took {seeded:.1f} s"
    first = snapshot()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert snapshot() == first
    assert "0 new injection visits, 0 new diary days" in out.getvalue()


def test_every_demo_patient_has_a_year_of_diary_and_4_to_6_visits(seeded):
    for spec in DEMO_PATIENTS:
        check_patient(Patient.objects.get(medical_record_number=spec.mrn))


def check_patient(patient: Patient) -> None:
    today = timezone.localdate()
    days = sorted(patient.diary.values_list("date", flat=True))
    assert (days[-1] - days[0]).days >= 365
    assert (today - days[-1]).days <= 3  # up to date, today not yet logged
    assert 0.6 < len(days) / ((days[-1] - days[0]).days + 1) < 0.95  # gaps, not holes
    visits = list(visits_for_analysis(patient))
    assert 4 <= len(visits) <= 6
    gaps = [(b.date - a.date).days for a, b in pairwise(visits)]
    assert all(63 <= gap <= 120 for gap in gaps), gaps  # about 12 weeks (9-17)
    assert 14 <= (today - visits[-1].date).days <= 70  # the last cycle is ongoing
    regions = {r.region.code for r in patient.regions.all()}
    indications = {INDICATION_OF_REGION[code] for code in regions if code in INDICATION_OF_REGION}
    assert {v.indication for v in visits} <= indications
    entry = patient.diary.first()
    assert entry.regions.count() == len(regions)


def _verdicts(mrn: str) -> tuple[list[str], list[InjectionVisit]]:
    history = next(h for h in DEMO_HISTORIES if h.mrn == mrn)
    patient = Patient.objects.get(medical_record_number=mrn)
    diary = {e.date: float(e.severity) for e in patient.diary.all()}
    visits = list(visits_for_analysis(patient))
    expected = expected_timeline(history.product, history.indication)
    results = analyse_cycles(diary, [v.date for v in visits], expected, timezone.localdate())
    return [str(r.verdict) for r in results], visits


def test_the_stories_the_demo_tells(seeded):
    # the typical course
    verdicts, _ = _verdicts("DEMO-0001")
    assert verdicts[:-1] == ["as_expected"] * (len(verdicts) - 1)
    assert verdicts[-1] == "ongoing"
    # the patient whose effect wears off early
    verdicts, visits = _verdicts("DEMO-0002")
    assert verdicts[:-1] == ["early_wear_off"] * (len(verdicts) - 1)
    assert all(v.early_reason for v in visits[1:])  # reinjected before 12 weeks, with reason
    # the patient with one non-responding cycle, switched to another product after it
    verdicts, visits = _verdicts("DEMO-0003")
    assert verdicts.count("no_response") == 1
    miss = verdicts.index("no_response")
    assert {v.product.code for v in visits[: miss + 1]} == {"botox"}
    assert {v.product.code for v in visits[miss + 1 :]} == {"dysport"}
    assert "switched to Dysport" in visits[miss + 1].notes


def test_seeded_visits_and_ratings_obey_the_recording_rules(seeded):
    for visit in InjectionVisit.objects.select_related("patient", "product"):
        sites = [
            SiteInput(muscle=s.muscle, side=s.side, units=s.units, points=s.points)
            for s in visit.sites.select_related("muscle")
        ]
        data = VisitInput(
            date=visit.date, indication=visit.indication, product=visit.product,
            lot_number=visit.lot_number, dilution_units_per_ml=visit.dilution_units_per_ml,
            guidance=visit.guidance, early_reason=visit.early_reason,
            over_maximum_confirmed=visit.over_maximum_confirmed,
            over_site_maximum_confirmed=visit.over_site_maximum_confirmed,
        )  # fmt: skip
        check = visit_rules(patient=visit.patient, visit=data, sites=sites, exclude=visit)
        assert check.errors == {}, (visit.patient.medical_record_number, visit.date, check.errors)
        assert bool(visit.early_reason) == check.is_early
        for site in visit.sites.all():
            site.full_clean()
    assert Assessment.objects.filter(scale="twstrs").count() >= 8
    for rating in Assessment.objects.all():
        rating.full_clean()  # in range, total = sum of subscores
    assert TreatmentCourse.objects.filter(end__isnull=True).exists()


def test_after_the_nightly_sweep_only_the_latest_cycles_have_open_follow_ups(seeded):
    # The sweep adds the follow-ups of the older seeded visits (seed_demo syncs the latest
    # only, after commit): the reinjected cycles get no overdue review calls.
    assert followups_sweep(now=timezone.now())["visits"] > len(DEMO_HISTORIES)
    in_order = InjectionVisit.objects.filter(entered_in_error=False).order_by("date", "created")
    latest = {visit.patient_id: visit.pk for visit in in_order}  # the last one wins
    open_followups = FollowUp.objects.filter(
        status__in=(FollowUp.Status.DUE, FollowUp.Status.SCHEDULED)
    )
    assert open_followups.exists()
    for followup in open_followups:
        assert followup.source_visit_id == latest[followup.patient_id], followup
    closed = FollowUp.objects.exclude(source_visit_id__in=latest.values())
    assert set(closed.values_list("status", flat=True)) == {FollowUp.Status.DONE}
    assert all(
        r.startswith("Reinjected on ") for r in closed.values_list("status_reason", flat=True)
    )
