"""The neurologist's chart page of one patient (treatments:chart)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import orjson
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import _json_script_escapes

from clinic.models import AuditEvent
from tests.factories import AffectedRegionFactory, PatientFactory
from tests.treatments.timeline_factories import (
    EARLY_PARAMS,
    TYPICAL_PARAMS,
    AssessmentFactory,
    TreatmentCourseFactory,
    dysport_cervical,
    synthetic_history,
    visit_with_units,
    write_diary,
)
from treatments.selectors.charts import CHART_RANGES
from treatments.templatetags.timeline_tags import escape_json_for_script, figure_script

pytestmark = pytest.mark.django_db

FIGURE = re.compile(
    r'<script type="application/json" id="([\w-]+)-data" data-plotly-target="\1">(.*?)</script>',
    re.S,
)


def chart_url(patient, range_key: str | None = None) -> str:
    url = reverse("treatments:chart", args=[patient.uuid])
    return f"{url}?range={range_key}" if range_key else url


def figures(response) -> dict[str, dict]:
    """Figure JSON by target id, as the page embeds it."""
    html = response.content.decode()
    return {target: orjson.loads(body) for target, body in FIGURE.findall(html)}


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("patient", 403),  # in scope (their own record) but the wrong role
        ("other_patient", 404),
        ("treating_neurologist", 200),
        ("other_neurologist", 404),
        ("staff", 404),  # no clinical scope at all: the patient is not revealed
        ("admin", 404),
        ("inactive_user", 302),
    ],
    indirect=["persona"],
)
def test_who_may_open_the_chart(client_for, persona, status, patient_record):
    response = client_for(persona).get(chart_url(patient_record))
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("login"))


def test_unknown_patient_is_404(client, treating_neurologist):
    client.force_login(treating_neurologist)
    assert client.get(chart_url(PatientFactory.build())).status_code == 404


def test_only_get(client, treating_neurologist, patient_record):
    client.force_login(treating_neurologist)
    assert client.post(chart_url(patient_record)).status_code == 405


@pytest.fixture
def early_patient(patient_record):
    synthetic_history(patient_record, days=420, params=EARLY_PARAMS, units=240)
    TreatmentCourseFactory(patient=patient_record, name="Trihexyphenidyl", dose_text="2 mg")
    AssessmentFactory(patient=patient_record, total=41)
    return patient_record


def test_chart_shows_cycles_profile_and_says_early_wear_off_plainly(
    client, treating_neurologist, early_patient
):
    client.force_login(treating_neurologist)
    response = client.get(chart_url(early_patient, "all"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Wore off early" in html
    assert re.search(r"worn off by day \d+, earlier than the expected 70–112 days", html)
    assert 'id="cycle-table"' in html
    assert "Early wear-off" in html
    # The profile states the minimum-interval fact and no dose advice.
    assert "before the minimum reinjection interval of 84 days" in html
    assert "never before its minimum interval of 12 weeks" in html  # the reinjection window
    assert not re.search(r"(increase|raise|reduce|lower) the dose", html, re.I)
    # The expected timeline is stated.
    assert "Botox, cervical dystonia: onset 3–7–14 days" in html
    # Injections, other treatments and assessments on the same page.
    assert "240 U Botox" in html
    assert "Trihexyphenidyl" in html and "2 mg" in html
    assert "TWSTRS" in html


def test_figures_are_embedded_as_json_for_the_static_script(
    client, treating_neurologist, early_patient
):
    client.force_login(treating_neurologist)
    response = client.get(chart_url(early_patient, "all"))
    html = response.content.decode()
    found = figures(response)
    assert set(found) == {"chart-timeline", "chart-overlay-1", "chart-regions"}
    for target in found:
        assert f'id="{target}"' in html  # the element the figure is drawn into
    timeline = found["chart-timeline"]
    names = {trace["name"] for trace in timeline["data"]}
    assert {"Daily entry", "Injection", "Onset", "Peak", "Wear-off"} <= names
    injection = next(t for t in timeline["data"] if t["name"] == "Injection")
    assert injection["text"] and set(injection["text"]) == {"Botox 240 U"}
    expected = "Botox, cervical dystonia: onset 3–7–14 days"
    assert expected in timeline["layout"]["meta"]["expected_timeline"]
    assert expected in found["chart-overlay-1"]["layout"]["meta"]["expected_timeline"]
    # Only external scripts and JSON data: nothing inline runs (CSP script-src 'self').
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "/static/vendor/plotly/plotly.min.js" in html
    assert "/static/js/plotly-figures.js" in html


def test_each_product_keeps_its_own_units(client, treating_neurologist, patient_record):
    today = timezone.localdate()
    dysport = dysport_cervical().product
    visit_with_units(patient_record, today - timedelta(days=200), [100, 100])
    visit_with_units(patient_record, today - timedelta(days=100), [250, 250], dysport)
    client.force_login(treating_neurologist)
    response = client.get(chart_url(patient_record))
    html = response.content.decode()
    labels = next(
        t for t in figures(response)["chart-timeline"]["data"] if t["name"] == "Injection"
    )
    assert labels["text"] == ["Botox 200 U", "Dysport 500 U"]
    assert "700 U" not in html  # never a sum across products
    # Each cycle is compared with its own product's timeline: one overlay per product.
    overlays = [t for t in figures(response) if t.startswith("chart-overlay")]
    assert len(overlays) == 2
    assert "Dysport, cervical dystonia" in html


def test_range_limits_the_cycles_shown(client, treating_neurologist, patient_record):
    generated = synthetic_history(patient_record, days=800, params=TYPICAL_PARAMS)
    client.force_login(treating_neurologist)
    everything = client.get(chart_url(patient_record, "all")).context["rows"]
    half_year = client.get(chart_url(patient_record, "6m")).context["rows"]
    assert len(everything) == len(generated.injections)
    assert 1 <= len(half_year) < len(everything)
    start = timezone.localdate() - timedelta(days=183)
    assert all(row["end_date"] >= start for row in half_year)
    unknown = client.get(chart_url(patient_record, "5y"))
    assert unknown.status_code == 200
    assert unknown.context["chart"].range_key == "1y"


def test_a_visit_stored_in_year_1_still_gets_a_chart(client, treating_neurologist, patient_record):
    """Stored before clinical dates had a floor: the analysis clamps at the calendar's start."""
    write_diary(patient_record, {date(1, 1, 1) + timedelta(days=n): 7 for n in range(30)})
    visit_with_units(patient_record, date(1, 1, 5), [100, 100])
    visit_with_units(patient_record, timezone.localdate() - timedelta(days=30), [100, 100])
    client.force_login(treating_neurologist)
    for range_key in CHART_RANGES:
        assert client.get(chart_url(patient_record, range_key)).status_code == 200


def test_a_patient_without_data_gets_a_page(client, treating_neurologist, patient_record):
    client.force_login(treating_neurologist)
    response = client.get(chart_url(patient_record))
    assert response.status_code == 200
    assert "No injection cycle in this range." in response.content.decode()
    assert "chart-overlay-1" not in figures(response)


def test_each_view_is_audited(client, treating_neurologist, patient_record):
    client.force_login(treating_neurologist)
    client.get(chart_url(patient_record))
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW)
    assert event.actor == treating_neurologist
    assert event.patient_uuid == patient_record.uuid
    assert event.path == reverse("treatments:chart", args=[patient_record.uuid])


def test_refused_views_write_no_view_event(client, staff, patient_record):
    client.force_login(staff)
    client.get(chart_url(patient_record))
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).exists()


def test_dark_theme_gives_light_text(client, treating_neurologist, patient_record):
    treating_neurologist.theme = "dark"
    treating_neurologist.save()
    client.force_login(treating_neurologist)
    layout = figures(client.get(chart_url(patient_record)))["chart-timeline"]["layout"]
    assert layout["font"]["color"] == "#dee2e6"
    assert layout["paper_bgcolor"] == "rgba(0,0,0,0)"


def test_figure_json_cannot_close_its_script_element():
    html = figure_script({"data": [{"name": "</script><script>alert(1)</script>&"}]}, "x")
    assert html.count("</script>") == 1
    assert "\\u003C/script\\u003E" in html and "\\u0026" in html
    body = FIGURE.search(str(html)).group(2)
    assert orjson.loads(body)["data"][0]["name"] == "</script><script>alert(1)</script>&"


@pytest.mark.parametrize(
    "text", ["", "plain", "<>&", "&&<<>>", "a</script>b<!--c-->&amp;", "\u003c<\u0026&é€"]
)
def test_the_script_escape_is_json_scripts(text):
    # Django's own table for json_script, which figure_script promises to match.
    assert escape_json_for_script(text) == text.translate(_json_script_escapes)


def test_query_count_does_not_grow_with_the_diary(
    client, treating_neurologist, patient_record, django_assert_num_queries
):
    short = patient_record
    long = PatientFactory(care_team=[treating_neurologist])
    AffectedRegionFactory(patient=long)  # the short one has its region from the fixture
    for patient, days in ((short, 30), (long, 1100)):
        TreatmentCourseFactory(patient=patient)
        AssessmentFactory(patient=patient)
        synthetic_history(patient, days=days, params=TYPICAL_PARAMS)
    assert long.diary.count() > 900 and long.injections.count() >= 8
    client.force_login(treating_neurologist)
    with CaptureQueriesContext(connection) as small:
        assert client.get(chart_url(short, "all")).status_code == 200
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(chart_url(long, "all")).status_code == 200


def switch_to_dysport(patient, count: int) -> None:
    """The patient's last ``count`` visits become Dysport visits."""
    dysport = dysport_cervical().product
    for visit in patient.injections.order_by("-date")[:count]:
        visit.product = dysport
        visit.save()


def overlay_medians(response) -> dict[str, list[str]]:
    """Per overlay (by the timeline it compares with), the names of its median traces."""
    return {
        figure["layout"]["meta"]["expected_timeline"]: [
            t["name"] for t in figure["data"] if t["name"].startswith("Patient's median")
        ]
        for target, figure in figures(response).items()
        if target.startswith("chart-overlay")
    }


def test_a_product_without_completed_cycles_shows_no_median_of_another_product(
    client, treating_neurologist, patient_record
):
    synthetic_history(patient_record, days=700, params=TYPICAL_PARAMS)
    switch_to_dysport(patient_record, 1)  # the open cycle: no Dysport cycle is complete
    client.force_login(treating_neurologist)
    response = client.get(chart_url(patient_record, "all"))
    analysis = response.context["analysis"]
    botox_done = [c for c in analysis.cycles[:-1] if c.completed]
    assert len(botox_done) >= 3
    medians = {label.split(":")[0]: names for label, names in overlay_medians(response).items()}
    assert medians == {
        "Botox, cervical dystonia": [f"Patient's median ({len(botox_done)} completed cycles)"],
        "Dysport, cervical dystonia": [],
    }
    own = analysis.profile
    assert (own.completed_cycles, own.median_wear_off_day, own.median_curve) == (0, None, ())
    assert own.predicted_wear_off_date is None and own.reinjection_window_start is None
    assert own.wears_off_before_min_interval is None
    html = response.content.decode()
    assert "No completed cycle of Dysport, cervical dystonia yet" in html
    assert "None: no completed cycle of Dysport, cervical dystonia yet" in html


def test_a_products_median_and_prediction_come_from_its_own_cycles_only(
    client, treating_neurologist, patient_record
):
    synthetic_history(patient_record, days=700, params=TYPICAL_PARAMS)
    switch_to_dysport(patient_record, 2)  # one completed Dysport cycle and the open one
    client.force_login(treating_neurologist)
    response = client.get(chart_url(patient_record, "all"))
    analysis = response.context["analysis"]
    dysport_done, current = analysis.cycles[-2], analysis.cycles[-1]
    assert dysport_done.completed and not current.completed
    medians = {label.split(":")[0]: names for label, names in overlay_medians(response).items()}
    assert medians["Dysport, cervical dystonia"] == ["Patient's median (1 completed cycle)"]
    own = analysis.profile
    assert (own.completed_cycles, own.median_wear_off_day) == (1, dysport_done.wear_off_day)
    assert own.predicted_wear_off_date == current.date_of(dysport_done.wear_off_day)
    assert own.median_curve == analysis.profile_for(analysis.current_expected).median_curve
    facts = response.context["profile_facts"]
    assert facts[0].startswith("Dysport, cervical dystonia: 1 completed cycle: ")
    assert any(f.startswith("Botox, cervical dystonia (earlier injections): ") for f in facts)
