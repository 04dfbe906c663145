""" "No response" is not said when a gap in the diary hides the onset window's end
(treatments/cycles.py).

The patient logged no improvement in the first two weeks, wrote nothing for three weeks,
and came back 50 % better. The improvement may have begun inside the gap, on a day an
onset still counts (up to the onset deadline, day 28 for Botox in cervical dystonia), so
the diary shows neither a response nor its absence: "no response" (which points at a
failed injection or antibodies, and alerts the care team) must not be said.
Day numbers count from the injection (day 0).
"""

from datetime import date, timedelta

from treatments.cycle_text import summary_sentence
from treatments.cycles import ExpectedTimeline, Verdict, analyse_cycles

BOTOX_CD = ExpectedTimeline(
    onset_days=(3, 7, 14), peak_weeks=(4, 6), duration_weeks=(10, 12, 16), min_interval_weeks=12
)  # an onset counts up to day 28
INJ = date(2026, 3, 2)


def day(n: int) -> date:
    return INJ + timedelta(days=n)


def diary(last_unchanged: int, back_on: int, last: int) -> dict[date, float]:
    """Baseline 8 on days -14..``last_unchanged``, nothing logged until ``back_on``, then
    4 (50 % better) until ``last``."""
    severity = {day(n): 8.0 for n in range(-14, last_unchanged + 1)}
    severity.update({day(n): 4.0 for n in range(back_on, last + 1)})
    return severity


def test_an_improvement_first_seen_after_a_gap_reaching_into_the_onset_window_is_no_verdict():
    # Unchanged on days 0-15, nothing on days 16-35, 50 % better from day 36 on.
    severity = diary(15, 36, 99)
    cycle = analyse_cycles(severity, [INJ, day(100)], BOTOX_CD, today=day(110))[0]

    assert cycle.coverage >= 0.5
    assert cycle.verdict is not Verdict.NO_RESPONSE
    assert cycle.verdict is Verdict.INSUFFICIENT_DATA
    sentence = summary_sentence(cycle, "Botox", "200 U", BOTOX_CD)
    assert "no response" not in sentence
    assert "no diary entries on days 16–35" in sentence
    assert "day 36" in sentence and "day 28" in sentence


def test_an_improvement_after_a_gap_that_began_after_the_onset_window_is_still_no_response():
    # Unchanged and logged every day up to day 30 (past day 28), nothing on days 31-44,
    # better from day 45: the window itself was seen without a response.
    severity = diary(30, 45, 99)
    cycle = analyse_cycles(severity, [INJ, day(100)], BOTOX_CD, today=day(110))[0]
    assert cycle.verdict is Verdict.NO_RESPONSE


def test_a_late_improvement_without_a_gap_is_still_no_response():
    # Logged every day, unchanged until day 39, better from day 40: later than any onset
    # of this injection counts.
    severity = diary(39, 40, 99)
    cycle = analyse_cycles(severity, [INJ, day(100)], BOTOX_CD, today=day(110))[0]
    assert cycle.verdict is Verdict.NO_RESPONSE
