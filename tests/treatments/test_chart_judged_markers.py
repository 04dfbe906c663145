"""A cycle judged on the regions injected (``selectors.injected_regions``) has its onset,
peak and wear-off where that judgement put them: the severity figure marks them on the
injected regions' smoothed severity, not on the overall line (which hardly moved), and
their hover and the caption say which severity they were judged on."""

from __future__ import annotations

import pytest

from tests.treatments.test_chart_generalized import FIRST, TODAY, generalized  # noqa: F401
from treatments.selectors.charts import patient_chart
from treatments.views.charts import timeline_block

pytestmark = pytest.mark.django_db


def markers(block, name: str) -> dict:
    [trace] = [t for t in block.figure["data"] if t["name"] == name]
    return trace


def test_the_onset_of_a_neck_cycle_sits_on_the_necks_severity(generalized):  # noqa: F811
    chart = patient_chart(patient=generalized, range_key="all", today=TODAY)
    assert chart.analysis.judged_on[FIRST] == ("Neck",)
    block = timeline_block(chart, None)
    onset = markers(block, "Onset")
    cycle = chart.analysis.cycles[0]
    first = onset["x"].index(cycle.date_of(cycle.onset_day).isoformat())
    assert onset["y"][first] < 7  # the whole body is at 7 or 8 every day
    assert "Neck" in onset["text"][first]
    assert "regions injected" in block.caption
