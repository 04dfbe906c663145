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

