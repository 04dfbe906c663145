"""The chart's cycle and injection rows built by ``chart_rows`` are the text the template
loops printed.

The reference files beside this module hold the two ``{% for %}`` loops of
templates/treatments/chart.html before the rows were built in Python
(treatments/templatetags/chart_rows.py); every branch of them is rendered both ways.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template

from treatments.models import Indication, InjectionSite, InjectionVisit, Muscle, Side, ToxinProduct

HERE = Path(__file__).parent
CYCLE_LOOP = (HERE / "chart_cycle_rows_reference.html").read_text()
INJECTION_LOOP = (HERE / "chart_injection_rows_reference.html").read_text()
LOADS = "{% load timeline_tags treatment_tags %}"


def cycle(**changes) -> dict:
    row = {
        "injection_date": date(2026, 3, 9),
        "end_date": date(2026, 6, 1),
        "product": "Botox",
        "units": "200 U Botox",
        "label": "",
        "onset_day": 5,
        "peak_day": 30,
        "peak_improvement_pct": 42,
        "wear_off_day": 80,
        "duration_days": 84,
        "coverage_pct": 93,
        "verdict": "as_expected",
        "verdict_label": "As expected",
        "cut_short": False,
        "summary": "",
        "expected": "Botox, cervical dystonia",
    }
    return {**row, **changes}


CYCLES = [
    cycle(),
    cycle(verdict="early_wear_off", verdict_label="Early wear-off", cut_short=True),
    cycle(product="", units="", onset_day=None, peak_day=None, peak_improvement_pct=None),
    cycle(wear_off_day=None, duration_days=None, coverage_pct=0, onset_day=0),
    cycle(peak_improvement_pct=-12, verdict="no_response", verdict_label="No response"),
    cycle(verdict="unknown", product="<b>Brand & Co</b>", expected="Tom's <i>"),
    {key: value for key, value in cycle().items() if key != "expected"},
    cycle(judged_on="Neck, Eyelids"),
    cycle(judged_on="<b>Neck</b> & jaw"),
    cycle(judged_on=""),
]


def visit(
    brand: str = "Botox",
    total: Decimal | None = Decimal("200.00"),
    sites: tuple[tuple[str, str, Decimal], ...] = (("Splenius capitis", Side.LEFT, Decimal("50")),),
    indication: str = Indication.CERVICAL,
    guidance: str = InjectionVisit.Guidance.EMG,
    early_reason: str = "",
) -> InjectionVisit:
    product = ToxinProduct(brand_name=brand)
    shown = InjectionVisit(
        pk=1,
        date=date(2026, 3, 9),
        product=product,
        indication=indication,
        guidance=guidance,
        early_reason=early_reason,
    )
    shown.total_units = total  # the sum of its sites, as the chart's selector annotates it
    rows = [
        InjectionSite(visit=shown, muscle=Muscle(name=name), side=side, units=units)
        for name, side, units in sites
    ]
    shown._prefetched_objects_cache = {"sites": rows}
    return shown


VISITS = [
    visit(),
    visit(
        sites=(
            ("Splenius capitis", Side.LEFT, Decimal("50.00")),
            ("Trapezius <upper>", Side.RIGHT, Decimal("12.50")),
            ("Procerus", Side.MIDLINE, Decimal("2.5")),
        )
    ),
    visit(total=None, sites=()),
    visit(brand="Dysport & <b>", indication=Indication.LIMB, guidance="ultrasound"),
    visit(early_reason="Travelling abroad <for> 3 months & more"),
]


def render(source: str, name: str, rows: list) -> str:
    return Template(LOADS + source).render(Context({name: rows}))


def test_the_cycle_rows_are_the_text_the_loop_printed():
    ours = render("{% load chart_rows %}{% cycle_table_rows rows %}", "rows", CYCLES)
    assert ours == render(CYCLE_LOOP, "rows", CYCLES)
    assert "&lt;b&gt;Brand &amp; Co&lt;/b&gt;" in ours  # escaped, once
    assert ' class="table-warning"' in ours


@pytest.mark.parametrize("row", CYCLES)
def test_each_cycle_row_alone(row):
    ours = render("{% load chart_rows %}{% cycle_table_rows rows %}", "rows", [row])
    assert ours == render(CYCLE_LOOP, "rows", [row])


def test_the_injection_rows_are_the_text_the_loop_printed():
    ours = render("{% load chart_rows %}{% injection_rows visits %}", "visits", VISITS)
    assert ours == render(INJECTION_LOOP, "visits", VISITS)
    assert "Trapezius &lt;upper&gt; (right) 12.5 U Botox; Procerus" in ours
    assert "Writer&#x27;s cramp" in ours


@pytest.mark.parametrize("shown", VISITS)
def test_each_injection_row_alone(shown):
    ours = render("{% load chart_rows %}{% injection_rows visits %}", "visits", [shown])
    assert ours == render(INJECTION_LOOP, "visits", [shown])


def test_no_rows_print_nothing():
    assert render("{% load chart_rows %}{% cycle_table_rows rows %}", "rows", []) == ""
    assert render("{% load chart_rows %}{% injection_rows visits %}", "visits", []) == ""
