"""A wear-off seen only after a long gap in the diary (treatments/cycles.py).

The benefit was logged, then the patient wrote nothing for weeks, then logged again at
baseline. The benefit ended somewhere in the gap: the first day logged after it is only
the day by which it had worn off. When the gap reaches across the expected wear-off's low
end, the diary cannot tell an early wear-off (what the clinic watches for) from one as
expected, and the analysis must not say "as expected", nor feed that day into the
patient's own median. Day numbers count from the injection (day 0).
"""

from dataclasses import replace
from datetime import date, timedelta

from treatments.cycle_text import summary_sentence
from treatments.cycles import ExpectedTimeline, Verdict, analyse_cycles
from treatments.profiles import personal_profile

BOTOX_CD = ExpectedTimeline(
    onset_days=(3, 7, 14), peak_weeks=(4, 6), duration_weeks=(10, 12, 16), min_interval_weeks=12
)  # expected wear-off day 70-112
INJ = date(2026, 3, 2)


def day(n: int) -> date:
    return INJ + timedelta(days=n)


def diary_with_gap(last_before_gap: int, back_on: int, last: int) -> dict[date, float]:
    """Baseline 8 on days -14..6, improved to 4 from day 7 to ``last_before_gap``, nothing
    logged until ``back_on``, then 8 (the benefit gone) until ``last``."""
    severity = {day(n): 8.0 for n in range(-14, 7)}
    severity.update({day(n): 4.0 for n in range(7, last_before_gap + 1)})
    severity.update({day(n): 8.0 for n in range(back_on, last + 1)})
    return severity


def test_a_gap_across_the_expected_low_end_is_not_judged_as_expected():
    # Benefit logged until day 40, no entry on days 41-100, baseline again from day 101:
    # the benefit may have ended on day 45 (early) or day 95 (as expected).
    severity = diary_with_gap(40, 101, 200)
    (cycle,) = analyse_cycles(severity, [INJ], BOTOX_CD, today=day(200))

    assert cycle.coverage >= 0.5  # enough days overall: only the gap hides the wear-off
    assert cycle.verdict is not Verdict.AS_EXPECTED
    assert cycle.verdict is Verdict.INSUFFICIENT_DATA
    assert cycle.wear_off_day is None  # no precise day to report or to take a median of
    assert not cycle.completed
    assert not cycle.cut_short  # it did wear off: the next cycle keeps its own baseline
    assert cycle.wear_off_between == (41, 101)
    # What was observed stays: the onset and the peak.
    assert cycle.onset_day is not None and cycle.onset_day <= 7
    assert cycle.peak_day is not None and cycle.peak_improvement >= 0.45

    sentence = summary_sentence(cycle, "Botox", "240 U", BOTOX_CD)
    assert "no diary entries on days 41–100" in sentence
    assert "worn off by day 101" in sentence
    assert "70–112" in sentence
    assert "within" not in sentence

    profile = personal_profile([cycle], BOTOX_CD)
    assert profile.completed_cycles == 0
    assert profile.median_wear_off_day is None


def test_a_gap_wholly_before_the_expected_low_end_is_still_an_early_wear_off():
    # No entry on days 41-59, baseline from day 60: worn off by day 60 at the latest,
    # before day 70 whatever happened in the gap.
    severity = diary_with_gap(40, 60, 150)
    (cycle,) = analyse_cycles(severity, [INJ], BOTOX_CD, today=day(150))
    assert cycle.verdict is Verdict.EARLY_WEAR_OFF
    assert cycle.wear_off_day == 60
    assert cycle.completed


def test_a_gap_wholly_within_the_expected_range_is_as_expected():
    # Benefit until day 75, nothing on days 76-99, baseline from day 100: worn off
    # between day 76 and 100, inside day 70-112.
    severity = diary_with_gap(75, 100, 160)
    (cycle,) = analyse_cycles(severity, [INJ], BOTOX_CD, today=day(160))
    assert cycle.verdict is Verdict.AS_EXPECTED
    assert cycle.wear_off_day == 100


def test_a_short_gap_keeps_the_wear_off_day():
    # Five days without entries (days 61-65) are a gap the smoothing spans: the wear-off
    # is that day, judged as usual (early).
    severity = diary_with_gap(60, 66, 150)
    (cycle,) = analyse_cycles(severity, [INJ], BOTOX_CD, today=day(150))
    assert cycle.verdict is Verdict.EARLY_WEAR_OFF
    assert cycle.wear_off_day is not None and 60 <= cycle.wear_off_day <= 66


def test_an_open_cycle_worn_off_in_a_gap_is_predicted_worn_off_by_the_day_it_was_seen():
    # The current cycle wore off somewhere on days 41-100 (seen on day 101): its predicted
    # wear-off is no later than day 101, whatever the patient's median says, and without
    # a median it is day 101 (the benefit is known to be gone by then).
    severity = diary_with_gap(40, 101, 200)
    (cycle,) = analyse_cycles(severity, [INJ], BOTOX_CD, today=day(200))
    alone = personal_profile([cycle], BOTOX_CD)
    assert alone.predicted_wear_off_date == day(101)

    earlier = replace(cycle, wear_off_day=110, completed=True, is_open=False, wear_off_between=None)
    with_median = personal_profile([earlier, earlier, cycle], BOTOX_CD)
    assert with_median.median_wear_off_day == 110
    assert with_median.predicted_wear_off_date == day(101)
