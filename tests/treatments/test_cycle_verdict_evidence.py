"""A verdict, and the sentence that states it, say only what the diary shows.

"No response" is a strong statement for the neurologist (it points at a failed injection,
a wrong muscle or antibodies): it must rest on diary days where the response would have
shown, and its sentence must not deny an improvement the overlay draws.
Day numbers count from the injection (day 0).
"""

from __future__ import annotations

import pytest

from tests.treatments.test_cycles import (  # noqa: F401
    BASE,
    BOTOX_CD,
    INJ,
    day,
    diary,
    no_smoothing,
    only,
)
from treatments.cycle_text import summary_sentence
from treatments.cycles import ONSET_IMPROVEMENT, Verdict, analyse_cycles


@pytest.mark.usefixtures("no_smoothing")
def test_no_response_is_not_given_without_a_single_diary_day_in_the_onset_window():
    # Baseline logged, then nothing from the injection until day 44 (the onset window
    # ends on day 28), then 50 % better every day until the next injection on day 100:
    # 55 % coverage, but no diary day at all where an onset could have been seen.
    severity = diary([(-14, -1, BASE), (45, 99, 4.0)])
    result = analyse_cycles(severity, [INJ, day(100)], BOTOX_CD, day(120))[0]
    assert result.coverage >= 0.5
    assert not any(k <= BOTOX_CD.onset_deadline_day for k, _ in result.improvement_by_day)
    assert result.verdict is not Verdict.NO_RESPONSE


@pytest.mark.usefixtures("no_smoothing")
def test_no_response_sentence_does_not_deny_an_improvement_the_diary_shows():
    # 50 % better from day 35 on: after the onset window (day 28), so the verdict is
    # "no response" by the onset rule; the improvement itself is in the diary and in the
    # overlay, so the text alternative may not say it never happened.
    severity = diary([(-14, 34, BASE), (35, 100, 4.0)])
    result = only(severity, today=day(100))
    assert result.verdict is Verdict.NO_RESPONSE
    assert max(v for _, v in result.improvement_by_day) == pytest.approx(0.5)
    text = summary_sentence(result, "Botox", "240 U", BOTOX_CD)
    assert f"never reached {round(ONSET_IMPROVEMENT * 100)} %" not in text, text
