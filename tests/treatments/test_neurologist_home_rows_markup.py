"""The start page's rows built by ``{% patient_rows %}`` are the text the row template printed.

``ROW_TEMPLATE`` (neurologist_home_rows_reference.html beside this file) is the row markup
the start page had before its rows were built in Python
(treatments/templatetags/neurologist_home_tags.py); every branch is rendered both ways.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import timezone

from patients.models import Patient
from treatments.models import CycleProfile
from treatments.selectors.charts import PatientRow
from treatments.selectors.timeline import ADHERENCE_DAYS

# The row markup of templates/treatments/neurologist_home.html before this change.
ROW_TEMPLATE = (Path(__file__).parent / "neurologist_home_rows_reference.html").read_text()
COMPUTED = datetime(2026, 3, 9, 23, 30, tzinfo=UTC)  # the next day east of UTC


def profile(**fields) -> CycleProfile:
    values = {
        "current_verdict": "as_expected",
        "predicted_wear_off": date(2026, 5, 1),
        "logged_days_last_14": 11,
        "computed_at": COMPUTED,
        **fields,
    }
    return CycleProfile(**values)


def row(*, first_name: str = "Anna", with_profile: CycleProfile | None = None, **fields):
    patient = Patient(uuid=uuid.uuid4(), first_name=first_name, last_name="O'Brien <b>")
    values = {
        "last_injection_date": date(2026, 2, 1),
        "cycle_day": 36,
        "last_product": "Botox",
        "previous_verdict": "",
        **fields,
    }
    return PatientRow(patient=patient, profile=with_profile, **values)


ROWS = [
    row(with_profile=profile()),
    row(),  # no profile yet: being recalculated
    row(with_profile=profile(stale_since=COMPUTED)),
    row(with_profile=profile(), outdated=True),
    row(with_profile=profile(current_verdict="early_wear_off"), previous_verdict="early_wear_off"),
    row(with_profile=profile(current_verdict="no_response", wears_off_before_min_interval=True)),
    row(with_profile=profile(current_verdict="", predicted_wear_off=None)),
    row(with_profile=profile(current_verdict="", computed_at=None, logged_days_last_14=0)),
    row(with_profile=profile(), last_injection_date=None, cycle_day=None, last_product=""),
    row(with_profile=profile(), last_product="", cycle_day=0),
    row(with_profile=profile(), last_product="Botox + <Xeomin>", cycle_day=1200),
    row(with_profile=profile(current_verdict="ongoing"), first_name="Ann & <i>Bo</i>"),
]


def render(source: str, rows: list[PatientRow]) -> str:
    context = Context({"rows": rows, "adherence_days": ADHERENCE_DAYS})
    return Template(source).render(context)


OURS = "{% load neurologist_home_tags %}{% patient_rows rows adherence_days %}"


@pytest.mark.parametrize("zone", ["UTC", "Europe/Vienna", "America/New_York"])
def test_the_rows_are_the_text_the_row_template_printed(zone):
    with timezone.override(zone):
        ours, before = render(OURS, ROWS), render(ROW_TEMPLATE, ROWS)
    assert ours == before
    assert "O&#x27;Brien &lt;b&gt;, Ann &amp; &lt;i&gt;Bo&lt;/i&gt;" in ours  # escaped, once
    assert "Botox + &lt;Xeomin&gt;" in ours


@pytest.mark.parametrize("single", ROWS)
def test_each_row_alone(single):
    assert render(OURS, [single]) == render(ROW_TEMPLATE, [single])


def test_no_rows_print_nothing():
    assert render(OURS, []) == ""
