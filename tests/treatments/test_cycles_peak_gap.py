"""A diary gap that hides when the benefit began or peaked (treatments/cycles.py).

The wear-off is measured against the cycle's own peak (half of it is lost). When the
patient wrote nothing over the injection and the first weeks, or over the weeks the
benefit is expected to peak, the real peak may have been larger than any day logged, and
the benefit may have worn off sooner. The cycle is judged only when every possible peak
gives the same verdict; otherwise it is "insufficient data". An early wear-off stays
early whatever the peak (a larger peak only brings the wear-off sooner).
Day numbers count from the injection (day 0).
"""

from datetime import date, timedelta

import pytest

from treatments import cycles
from treatments.cycle_text import summary_sentence
from treatments.cycles import ExpectedTimeline, Verdict, analyse_cycles

BOTOX_CD = ExpectedTimeline(
    onset_days=(3, 7, 14), peak_weeks=(4, 6), duration_weeks=(10, 12, 16), label="Botox, CD"
)  # expected peak day 28-42, wear-off day 70-112
INJ = date(2026, 3, 2)


def day(n: int) -> date:
    return INJ + timedelta(days=n)


def diary(spans) -> dict[date, float]:
    return {day(n): value for first, last, value in spans for n in range(first, last + 1)}


@pytest.fixture(autouse=True)
def no_smoothing(monkeypatch):
    monkeypatch.setattr(cycles, "SMOOTHING_HALF_WINDOW", 0)


def only(severity, today: int = 130):
    (cycle,) = analyse_cycles(severity, [INJ], BOTOX_CD, day(today))
    return cycle


@pytest.mark.parametrize(
    "spans, gap",
    [
        # nothing logged from two days before the injection to day 24: 37 % better after
        ([(-14, -2, 8.0), (25, 75, 5.0), (76, 130, 8.0)], (0, 24)),
        # logged at 37 % better until day 20, then nothing over the expected peak
        ([(-14, 6, 8.0), (7, 20, 5.0), (46, 80, 5.0), (81, 130, 8.0)], (21, 45)),
    ],
)
def test_a_gap_hiding_the_onset_or_the_peak_gives_insufficient_data(spans, gap):
    cycle = only(diary(spans))
    assert cycle.verdict is Verdict.INSUFFICIENT_DATA
    assert cycle.wear_off_day is None and not cycle.completed
    sentence = summary_sentence(cycle, "Botox", "240 U", BOTOX_CD)
    assert "insufficient data" in sentence
    assert f"no diary entries on days {gap[0]}–{gap[1]}" in sentence
    assert "within" not in sentence and "as expected" not in sentence


def test_an_early_wear_off_after_a_hidden_peak_stays_early():
    cycle = only(diary([(-14, 6, 8.0), (7, 13, 5.0), (50, 60, 5.0), (61, 130, 8.0)]))
    assert cycle.verdict is Verdict.EARLY_WEAR_OFF


def test_a_benefit_too_large_for_any_hidden_peak_to_change_is_still_judged():
    # 75 % better from day 25 to 89: half of any peak (at most 100 %) is never lost before
    # day 90, so the gap over the onset changes nothing.
    cycle = only(diary([(-14, -2, 8.0), (25, 89, 2.0), (90, 130, 8.0)]))
    assert cycle.verdict is Verdict.AS_EXPECTED and cycle.wear_off_day == 90


@pytest.mark.parametrize("next_injection", [None, 60])
def test_a_cycle_without_a_wear_off_verdict_keeps_its_own(next_injection):
    # Nothing logged in the first week, 37 % better from day 8: "ongoing" (or cut short
    # when re-injected on day 60) says nothing of a wear-off a larger peak could move.
    severity = diary([(-14, -1, 8.0), (8, 59, 5.0)])
    injections = [INJ] + ([day(next_injection)] if next_injection else [])
    cycle = analyse_cycles(severity, injections, BOTOX_CD, day(60))[0]
    expected = Verdict.CUT_SHORT if next_injection else Verdict.ONGOING
    assert cycle.verdict is expected and cycle.onset_day == 8
