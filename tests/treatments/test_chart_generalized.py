"""A generalized dystonia patient injected in some regions only (the neck): the overall
severity is the whole body's, and an injection in the neck hardly moves it. The cycle is
judged on the severity of the regions injected (the patient logs each region daily),
and the chart says so; a patient whose injections reach every affected region keeps the
overall severity. Day numbers count from the injection (day 0)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from patients.models import AffectedRegion, BodyRegion, DiaryEntry, Patient, RegionSeverity
from tests.factories import AffectedRegionFactory
from tests.treatments.factories import visit_with_sites
from treatments.cycles import Verdict
from treatments.selectors.charts import patient_chart
from treatments.services.summaries import cycle_summaries_recompute

pytestmark = pytest.mark.django_db

FIRST = date(2026, 1, 5)
TODAY = FIRST + timedelta(days=130)


def on(n: int) -> date:
    return FIRST + timedelta(days=n)


def neck_better(n: int) -> bool:
    """The neck is better from day 7 to day 79 of the first cycle, and again from day 107
    (day 7 of the second)."""
    return 7 <= n < 80 or n >= 107


def log(patient: Patient, *, neck_only: bool) -> None:
    regions = {r.region.code: r for r in AffectedRegion.objects.filter(patient=patient)}
    for n in range(-20, 131):
        better = neck_better(n)
        overall = 7 if better and not neck_only else 8
        overall = 3 if better and neck_only else overall
        entry = DiaryEntry.objects.create(
            patient=patient, date=on(n), severity=overall, pain=2, interference=3
        )
        for code, region in regions.items():
            value = 3 if better and code == "neck" else 8
            RegionSeverity.objects.create(entry=entry, affected_region=region, severity=value)


@pytest.fixture
def generalized(patient_record):
    patient_record.distribution = Patient.Distribution.GENERALIZED
    patient_record.save()
    for code, side in (("trunk", ""), ("leg-foot", "both"), ("arm-hand", "both")):
        region = BodyRegion.objects.get(code=code)
        AffectedRegionFactory(patient=patient_record, region=region, side=side)
    for n in (0, 100):
        visit_with_sites(patient_record, date=on(n))  # the sternocleidomastoid: the neck
    log(patient_record, neck_only=False)
    return patient_record


def test_a_neck_injection_is_judged_on_the_neck_not_the_whole_body(generalized):
    chart = patient_chart(patient=generalized, range_key="all", today=TODAY)
    first = chart.analysis.cycles[0]
    # The whole body is 1 point (12 %) better: "no response" on the overall severity.
    assert first.verdict is Verdict.AS_EXPECTED
    assert first.wear_off_day == 80
    assert chart.analysis.judged_on[FIRST] == ("Neck",)


def test_the_chart_says_which_regions_a_cycle_was_judged_on(
    client, treating_neurologist, generalized
):
    client.force_login(treating_neurologist)
    url = reverse("treatments:chart", args=[generalized.uuid]) + "?range=all"
    html = client.get(url).content.decode()
    assert "No response" not in html
    assert "judged on the severity of the regions injected: Neck" in html


def test_the_summaries_use_the_same_judgement(generalized):
    cycle_summaries_recompute(patient_id=generalized.pk, today=TODAY)
    first = generalized.cycles.order_by("injection_date").first()
    assert first.verdict == Verdict.AS_EXPECTED


def test_every_affected_region_injected_keeps_the_overall_severity(patient_record):
    for n in (0, 100):
        visit_with_sites(patient_record, date=on(n))
    log(patient_record, neck_only=True)
    chart = patient_chart(patient=patient_record, range_key="all", today=TODAY)
    assert chart.analysis.judged_on == {}
    assert chart.analysis.cycles[0].verdict is Verdict.AS_EXPECTED


def test_the_overlay_caption_says_which_cycles_show_the_regions_injected(
    client, treating_neurologist, generalized
):
    client.force_login(treating_neurologist)
    url = reverse("treatments:chart", args=[generalized.uuid]) + "?range=all"
    html = client.get(url).content.decode()
    start = html.index('id="chart-overlay-1-caption"')
    caption = html[start : html.index("</figcaption>", start)]
    assert "The injections of 5 Jan 2026 and 15 Apr 2026 show the improvement of the regions" in (
        caption
    )


def test_the_patient_is_told_which_regions_their_cycle_was_judged_on(client, patient, generalized):
    client.force_login(patient)
    html = client.get(reverse("treatments:my_chart") + "?range=all").content.decode()
    assert "from your diary scores for the parts of the body injected: Neck" in html


def test_the_chart_reads_as_many_queries_whether_or_not_a_cycle_is_judged_on_regions(
    client, treating_neurologist, generalized
):
    # Merge review (issue 8's query counts): the injected regions' severities were read
    # only when some cycle was judged on them, so the chart's query count depended on the
    # patient's injections (the bench's small and full clinics gave 15 and 14).
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(treating_neurologist)
    url = reverse("treatments:chart", args=[generalized.uuid]) + "?range=all"

    def queries() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    judged = queries()
    # Without the neck among the affected regions, the neck injections reach none of them.
    AffectedRegion.objects.filter(patient=generalized, region__code="neck").delete()
    assert patient_chart(patient=generalized, range_key="all", today=TODAY).analysis.judged_on == {}
    assert queries() == judged
