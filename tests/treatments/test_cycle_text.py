"""The plain-language sentence of each cycle (treatments/cycle_text.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.treatments.test_cycles import (  # noqa: F401
    BASE,
    BOTOX_CD,
    INJ,
    day,
    diary,
    no_smoothing,
    only,
    response,
)
from tests.treatments.test_profiles import make
from treatments.cycle_text import summary_sentence
from treatments.cycles import Verdict, analyse_cycles


def test_summary_sentence_of_the_issue_example():
    result = replace(
        make(INJ, wear_off=68, onset=6, peak=31, size=0.48), verdict=Verdict.EARLY_WEAR_OFF
    )
    assert summary_sentence(result, "Botox", "240 U", BOTOX_CD) == (
        "Injection of 2026-03-02 (Botox, 240 U): effect from day 6, peak 48 % on day 31, "
        "worn off by day 68, earlier than the expected 70\u2013112 days"
    )


@pytest.mark.usefixtures("no_smoothing")
@pytest.mark.parametrize(
    "spans, next_injection, today, phrase",
    [
        (
            [(-14, 4, BASE), (5, 89, 4.0), (90, 140, BASE)],
            141,
            141,
            "within the expected 70\u2013112",
        ),
        ([(-14, 4, BASE), (5, 120, 4.0), (121, 160, BASE)], 161, 161, "later than the expected"),
        ([(-14, 4, BASE), (5, 40, 4.0)], None, 40, "still effective on day 40"),
        ([(-14, 4, BASE), (5, 79, 4.0)], 80, 80, "re-injected on day 80: cut short"),
        ([(-14, 4, BASE), (5, 49, 4.0)], 50, 50, "re-injected on day 50: cut short"),
        ([(-14, 4, BASE), (5, 129, 4.0)], 130, 130, "re-injected on day 130, after the expected"),
        ([(-14, 4, BASE), (5, 40, 4.0)], None, 40, "peak so far 50 % on day 5"),
        ([(-14, 60, BASE)], None, 60, "no response"),
        ([(-14, 10, BASE)], None, 10, "no effect yet on day 10"),
        ([(-3, 10, BASE)], None, 10, "no baseline"),
        ([(-14, 19, BASE)], 20, 20, "re-injected on day 20 before a response"),
    ],
)
def test_summary_sentence_for_each_verdict(spans, next_injection, today, phrase):
    injections = [INJ] + ([day(next_injection)] if next_injection else [])
    result = analyse_cycles(diary(spans), injections, BOTOX_CD, day(today))[0]
    text = summary_sentence(result, "Dysport", "500 U", BOTOX_CD)
    assert text.startswith("Injection of 2026-03-02 (Dysport, 500 U): ")
    assert phrase in text


def test_summary_sentence_insufficient_coverage_and_no_units():
    severity = diary([(-14, -1, BASE)])
    severity.update(diary([(0, 99, 4.0)], every=4))
    result = only(severity, today=day(99))
    text = summary_sentence(result, "Xeomin", "", BOTOX_CD)
    assert text.startswith("Injection of 2026-03-02 (Xeomin): insufficient data")
    assert "25 %" in text
