"""A cycle whose diary stops weeks before its end (treatments/cycles.py, cycle_text.py).

The benefit was logged, then the patient logged nothing more. The diary shows the effect
only up to its last entry: the analysis must not say the injection is "still effective"
today, or was when re-injected, nor call a cycle "longer than expected" on days nobody
logged. Day numbers count from the injection (day 0).
"""

from datetime import date, timedelta

from treatments.cycle_text import summary_sentence
from treatments.cycles import ExpectedTimeline, Verdict, analyse_cycles

BOTOX_CD = ExpectedTimeline(
    onset_days=(3, 7, 14), peak_weeks=(4, 6), duration_weeks=(10, 12, 16), min_interval_weeks=12
)  # expected wear-off day 70-112
INJ = date(2026, 3, 2)


def day(n: int) -> date:
    return INJ + timedelta(days=n)


def diary_until(last_logged: int) -> dict[date, float]:
    """Baseline 8 on days -14..6, then 4 (50 % better) every day up to ``last_logged``,
    nothing after."""
    severity = {day(n): 8.0 for n in range(-14, 7)}
    severity.update({day(n): 4.0 for n in range(7, last_logged + 1)})
    return severity


def test_the_current_cycle_is_not_said_to_be_effective_on_days_nobody_logged():
    # Better every day up to day 44, nothing logged since; today is day 75.
    (cycle,) = analyse_cycles(diary_until(44), [INJ], BOTOX_CD, today=day(75))
    assert cycle.coverage >= 0.5
    assert cycle.verdict is Verdict.ONGOING
    sentence = summary_sentence(cycle, "Botox", "200 U", BOTOX_CD)
    assert "still effective on day 75" not in sentence
    assert "still effective on day 44" in sentence
    assert "no diary entries on days 45–75" in sentence


def test_a_cycle_is_not_longer_than_expected_on_days_nobody_logged():
    # Better every day up to day 70, nothing logged until the re-injection on day 130
    # (after the expected wear-off's high end, day 112): the benefit was seen until day 70
    # only, and may have ended on any day after it.
    severity = diary_until(70)
    cycle = analyse_cycles(severity, [INJ, day(130)], BOTOX_CD, today=day(140))[0]
    assert cycle.coverage >= 0.5
    assert cycle.verdict is not Verdict.LONGER_THAN_EXPECTED
    sentence = summary_sentence(cycle, "Botox", "200 U", BOTOX_CD)
    assert "when re-injected on day 130" not in sentence
    assert "still effective on day 70" in sentence
    assert "no diary entries on days 71–129" in sentence


def test_a_cycle_logged_to_its_end_is_still_longer_than_expected():
    # Better every day until the re-injection on day 130: seen beyond day 112.
    severity = diary_until(129)
    cycle = analyse_cycles(severity, [INJ, day(130)], BOTOX_CD, today=day(140))[0]
    assert cycle.verdict is Verdict.LONGER_THAN_EXPECTED
    sentence = summary_sentence(cycle, "Botox", "200 U", BOTOX_CD)
    assert "still effective when re-injected on day 130" in sentence
