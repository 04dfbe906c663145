"""A cycle re-injected before its benefit wore off is "cut short": its wear-off was never
observed, so it gets no wear-off verdict ("as expected", "early") of its own.
Day numbers count from the injection (day 0)."""

from datetime import date, timedelta

import pytest

from treatments import cycles
from treatments.chart_table import cycle_table_rows
from treatments.cycles import ExpectedTimeline, Verdict, analyse_cycles

BOTOX_CD = ExpectedTimeline(
    onset_days=(3, 7, 14), peak_weeks=(4, 6), duration_weeks=(10, 12, 16), label="Botox, CD"
)
INJ = date(2026, 3, 2)


def day(n: int) -> date:
    return INJ + timedelta(days=n)


def diary(spans) -> dict[date, float]:
    return {day(n): value for first, last, value in spans for n in range(first, last + 1)}


@pytest.fixture(autouse=True)
def no_smoothing(monkeypatch):
    monkeypatch.setattr(cycles, "SMOOTHING_HALF_WINDOW", 0)


@pytest.mark.parametrize("reinjected_on", [50, 80])
def test_a_cycle_cut_short_is_labelled_so_not_as_expected(reinjected_on):
    severity = diary([(-14, 4, 8.0), (5, reinjected_on + 40, 4.0)])
    first, _ = analyse_cycles(severity, [INJ, day(reinjected_on)], BOTOX_CD, day(130))
    assert first.cut_short
    assert first.verdict is Verdict.CUT_SHORT
    (row,) = cycle_table_rows([first], expected=BOTOX_CD)
    assert row["verdict_label"] != "As expected"
    assert "cut short" in row["verdict_label"].lower()
    assert "within the expected" not in row["summary"]
    assert "wear-off not observed" in row["summary"]


def test_a_cycle_still_effective_past_the_expected_range_is_longer_than_expected():
    severity = diary([(-14, 4, 8.0), (5, 160, 4.0)])
    first, _ = analyse_cycles(severity, [INJ, day(130)], BOTOX_CD, day(160))
    assert first.cut_short and first.verdict is Verdict.LONGER_THAN_EXPECTED
