"""Cycle analysis (treatments/cycles.py): plain data in, frozen dataclasses out.

Most cases switch smoothing off (half window 0) so the expected days follow by hand
from the definitions; a few cases keep the default smoothing and derive its effect.
Day numbers count from the injection (day 0).
"""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from treatments import cycles
from treatments.cycle_text import summary_sentence
from treatments.cycles import (
    CycleResult,
    ExpectedTimeline,
    Verdict,
    analyse_cycles,
    baseline_of,
    smooth_series,
)
from treatments.profiles import personal_profile

BOTOX_CD = ExpectedTimeline(
    onset_days=(3, 7, 14), peak_weeks=(4, 6), duration_weeks=(10, 12, 16), min_interval_weeks=12
)
DAXXIFY_CD = ExpectedTimeline(
    onset_days=(3, 7, 14), peak_weeks=(4, 6), duration_weeks=(20, 24, 28), min_interval_weeks=None
)
INJ = date(2026, 3, 2)
BASE = 8.0


def day(n: int, origin: date = INJ) -> date:
    return origin + timedelta(days=n)


def diary(spans, origin: date = INJ, every: int = 1) -> dict[date, float]:
    """Diary from (first_day, last_day, severity) spans (inclusive), every n-th day."""
    result = {}
    for first, last, value in spans:
        for n in range(first, last + 1):
            if (n - first) % every == 0:
                result[day(n, origin)] = value
    return result


def response(improved_from: int, worn_off_from: int, last: int, improved: float = 4.0):
    """Baseline 8 on days -14..-1 and until improved_from, `improved` until
    worn_off_from, back to 8 until `last`."""
    return diary(
        [
            (-14, improved_from - 1, BASE),
            (improved_from, worn_off_from - 1, improved),
            (worn_off_from, last, BASE),
        ]
    )


@pytest.fixture
def no_smoothing(monkeypatch):
    monkeypatch.setattr(cycles, "SMOOTHING_HALF_WINDOW", 0)


def only(severity, injections=(INJ,), today=None, expected=BOTOX_CD) -> CycleResult:
    today = today or max(severity, default=INJ)
    (result,) = analyse_cycles(severity, list(injections), expected, today)
    return result


# --- ExpectedTimeline ---


def test_expected_timeline_ranges_in_days():
    assert BOTOX_CD.duration_days_range == (70, 112)
    assert BOTOX_CD.duration_typical_days == 84
    assert BOTOX_CD.peak_days_range == (28, 42)
    assert BOTOX_CD.onset_days_range == (3, 14)
    assert BOTOX_CD.min_interval_days == 84
    assert DAXXIFY_CD.min_interval_days is None
    assert BOTOX_CD.onset_deadline_day == 14 + cycles.ONSET_MARGIN_DAYS


@pytest.mark.parametrize(
    "kwargs",
    [
        {"onset_days": (7, 3, 14)},
        {"onset_days": (3, 7)},
        {"peak_weeks": (6, 4)},
        {"duration_weeks": (-1, 12, 16)},
        {"min_interval_weeks": -1},
    ],
)
def test_expected_timeline_rejects_bad_values(kwargs):
    values = dict(onset_days=(3, 7, 14), peak_weeks=(4, 6), duration_weeks=(10, 12, 16))
    with pytest.raises(ValueError):
        ExpectedTimeline(**{**values, **kwargs})


def test_describe_names_values_and_missing_interval():
    assert "10\u201312\u201316 weeks" in BOTOX_CD.describe()
    assert "minimum interval 12 weeks" in BOTOX_CD.describe()
    assert "no minimum interval" in DAXXIFY_CD.describe()


# --- Smoothing and baseline ---


@pytest.mark.parametrize(
    "half_window, expected",
    [
        (0, {0: 2.0, 1: 4.0, 3: 6.0, 10: 8.0}),
        (1, {0: 3.0, 1: 3.0, 3: 6.0, 10: 8.0}),
        (3, {0: 4.0, 1: 4.0, 3: 4.0, 10: 8.0}),
        (7, {0: 4.0, 1: 4.0, 3: 5.0, 10: 7.0}),
    ],
)
def test_smoothing_averages_present_entries_and_keeps_gaps(half_window, expected):
    severity = {day(0): 2.0, day(1): 4.0, day(3): 6.0, day(10): 8.0}
    smoothed = smooth_series(severity, half_window)
    assert smoothed == pytest.approx({day(k): v for k, v in expected.items()})
    assert day(2) not in smoothed  # a gap stays a gap


def test_smoothing_default_window_and_empty():
    assert smooth_series({}) == {}
    severity = {day(k): float(k) for k in range(20)}
    h = cycles.SMOOTHING_HALF_WINDOW
    assert smooth_series(severity)[day(10)] == pytest.approx(10.0)
    assert smooth_series(severity)[day(0)] == pytest.approx(h / 2)
    with pytest.raises(ValueError):
        smooth_series(severity, -1)


@pytest.mark.parametrize(
    "offsets, expected_mean, expected_count",
    [
        ([-14, -10, -5, -1], (1 + 2 + 3 + 4) / 4, 4),
        ([-15, -14, -10, -5, -1, 0], (2 + 3 + 4 + 5) / 4, 4),  # day -15 and day 0 excluded
        ([-10, -5, -1], None, 3),
        ([], None, 0),
    ],
)
def test_baseline_uses_days_minus_14_to_minus_1(offsets, expected_mean, expected_count):
    severity = {day(o): float(i + 1) for i, o in enumerate(offsets)}
    mean, count = baseline_of(severity, INJ)
    assert count == expected_count
    assert mean == (None if expected_mean is None else pytest.approx(expected_mean))


# --- Onset, peak, wear-off (no smoothing: exact days) ---


@pytest.mark.usefixtures("no_smoothing")
def test_onset_peak_wear_off_of_a_clean_step():
    result = only(response(5, 90, 120), today=day(120))
    assert result.baseline == BASE
    assert (result.onset_day, result.peak_day, result.wear_off_day) == (5, 5, 90)
    assert result.duration_days == 85
    assert result.peak_improvement == pytest.approx(0.5)
    assert result.coverage == 1.0
    assert result.completed and not result.cut_short and result.is_open


@pytest.mark.usefixtures("no_smoothing")
@pytest.mark.parametrize(
    "improved_days, expected_onset",
    [
        ([5, 6, 7, 8, 9], 5),
        ([5, 6, 9, 10, 11], 9),  # two good days are not an onset
        ([2, 10, 11, 12, 13], 10),
    ],
)
def test_onset_needs_three_consecutive_logged_days(improved_days, expected_onset):
    severity = diary([(-14, 40, BASE)])
    severity.update({day(n): 6.0 for n in improved_days})  # 25 % better
    severity.update({day(n): 6.0 for n in range(14, 41)})  # keep a response for the verdict
    assert only(severity).onset_day == expected_onset


@pytest.mark.usefixtures("no_smoothing")
def test_onset_run_skips_unlogged_days():
    severity = diary([(-14, -1, BASE), (0, 40, 8.0)])
    for n in (6, 8, 10):  # logged days 5, 7, 9 improved; 6 and 8 missing
        del severity[day(n)]
    severity.update({day(5): 6.0, day(7): 6.0, day(9): 6.0})
    assert only(severity).onset_day == 5


@pytest.mark.usefixtures("no_smoothing")
def test_improvement_just_below_threshold_is_no_onset():
    # 8 -> 6.5 is 18.75 % better: below ONSET_IMPROVEMENT.
    result = only(diary([(-14, -1, BASE), (0, 60, 6.5)]))
    assert result.onset_day is None
    assert result.verdict == Verdict.NO_RESPONSE


@pytest.mark.usefixtures("no_smoothing")
def test_onset_after_the_deadline_does_not_count():
    deadline = BOTOX_CD.onset_deadline_day
    result = only(response(deadline + 1, 90, 120))
    assert result.onset_day is None
    assert result.verdict == Verdict.NO_RESPONSE
    assert only(response(deadline, 90, 120)).onset_day == deadline


@pytest.mark.usefixtures("no_smoothing")
def test_peak_is_the_largest_improvement_after_onset():
    severity = response(10, 90, 120)
    severity.update({day(1): 0.0, day(2): 0.0})  # a two-day spike before the onset
    severity[day(40)] = 2.0  # 75 % better
    result = only(severity)
    assert result.onset_day == 10
    assert (result.peak_day, result.peak_improvement) == (40, pytest.approx(0.75))


@pytest.mark.usefixtures("no_smoothing")
def test_wear_off_at_half_the_peak():
    # Peak 60 % (8 -> 3.2); 35 % stays above half the peak; 25 % falls below it.
    severity = diary([(-14, 4, BASE), (5, 59, 3.2), (60, 79, 5.2), (80, 120, 6.0)])
    result = only(severity)
    assert result.peak_improvement == pytest.approx(0.6)
    assert result.wear_off_day == 80


@pytest.mark.usefixtures("no_smoothing")
def test_wear_off_below_the_floor_even_above_half_the_peak():
    # Peak 30 % (8 -> 5.6): half is 15 %, but 18 % (8 -> 6.56) is under the 20 % floor.
    severity = diary([(-14, 4, BASE), (5, 79, 5.6), (80, 120, 6.56)])
    assert only(severity).wear_off_day == 80


@pytest.mark.usefixtures("no_smoothing")
def test_wear_off_needs_five_consecutive_logged_days():
    severity = response(5, 100, 130)
    severity.update({day(n): BASE for n in range(60, 64)})  # a four-day dip is not enough
    del severity[day(71)]  # a missing day inside the later dip does not break its run
    severity.update({day(n): BASE for n in (70, 72, 73, 74, 75)})
    result = only(severity)
    assert result.wear_off_day == 70


def test_default_smoothing_moves_a_step_onset_by_the_window_share():
    # A step from 8 to 4 on day 20 (50 % better). The centred window of 2h+1 days reaches
    # 20 % once k improved days are in it: 0.5 * k / (2h + 1) >= 0.2.
    h = cycles.SMOOTHING_HALF_WINDOW
    k = next(k for k in range(1, 2 * h + 2) if 0.5 * k / (2 * h + 1) >= 0.2)
    result = only(response(20, 90, 130))
    assert result.onset_day == 20 - h + k - 1
    assert result.wear_off_day is not None and abs(result.wear_off_day - 90) <= h


# --- Verdicts (no smoothing) ---


@pytest.mark.usefixtures("no_smoothing")
@pytest.mark.parametrize(
    "spans, next_injection, today, verdict, cut_short, completed",
    [
        # wear-off day against the expected 70-112 days
        ([(-14, 4, BASE), (5, 89, 4.0), (90, 140, BASE)], 141, 141, "as_expected", 0, 1),
        ([(-14, 4, BASE), (5, 69, 4.0), (70, 140, BASE)], 141, 141, "as_expected", 0, 1),
        ([(-14, 4, BASE), (5, 68, 4.0), (69, 140, BASE)], 141, 141, "early_wear_off", 0, 1),
        ([(-14, 4, BASE), (5, 111, 4.0), (112, 140, BASE)], 141, 141, "as_expected", 0, 1),
        ([(-14, 4, BASE), (5, 112, 4.0), (113, 160, BASE)], 161, 161, "longer_than_expected", 0, 1),
        # open cycles
        ([(-14, 4, BASE), (5, 40, 4.0)], None, 40, "ongoing", 0, 0),
        ([(-14, 10, BASE)], None, 10, "ongoing", 0, 0),
        ([(-14, 4, BASE), (5, 49, 4.0), (50, 100, BASE)], None, 100, "early_wear_off", 0, 1),
        ([(-14, 60, BASE)], None, 60, "no_response", 0, 0),
        # closed cycles without onset
        ([(-14, 100, BASE)], 101, 101, "no_response", 0, 0),
        ([(-14, 19, BASE)], 20, 20, "insufficient_data", 0, 0),
        # cut short: re-injected while still effective (censored, never early_wear_off)
        ([(-14, 4, BASE), (5, 79, 4.0)], 80, 80, "cut_short", 1, 0),
        ([(-14, 4, BASE), (5, 49, 4.0)], 50, 50, "cut_short", 1, 0),
        ([(-14, 4, BASE), (5, 129, 4.0)], 130, 130, "longer_than_expected", 1, 0),
    ],
)
def test_verdicts(spans, next_injection, today, verdict, cut_short, completed):
    injections = [INJ] + ([day(next_injection)] if next_injection else [])
    results = analyse_cycles(diary(spans), injections, BOTOX_CD, day(today))
    result = results[0]
    assert result.verdict == verdict
    assert result.cut_short is bool(cut_short)
    assert result.completed is bool(completed)
    assert result.is_open is (next_injection is None)


@pytest.mark.usefixtures("no_smoothing")
def test_no_baseline_with_too_few_entries_or_nothing_to_improve():
    sparse = diary([(-3, -1, BASE), (0, 60, 4.0)])
    result = only(sparse)
    assert (result.verdict, result.baseline, result.baseline_entries) == ("no_baseline", None, 3)
    assert result.improvement_by_day == () and result.onset_day is None
    zero = diary([(-14, -1, 0.0), (0, 60, 0.0)])
    result = only(zero)
    assert result.verdict == Verdict.NO_BASELINE and result.baseline == 0.0


@pytest.mark.usefixtures("no_smoothing")
def test_insufficient_data_under_half_coverage():
    severity = diary([(-14, -1, BASE)])
    severity.update(diary([(0, 99, 4.0)], every=3))  # 34 of 100 days
    result = only(severity, today=day(99))
    assert result.coverage == pytest.approx(0.34)
    assert result.verdict == Verdict.INSUFFICIENT_DATA
    assert result.onset_day is None and result.wear_off_day is None and not result.completed


@pytest.mark.usefixtures("no_smoothing")
def test_daxxify_longer_benefit_is_as_expected():
    severity = response(5, 150, 200)
    assert only(severity, expected=DAXXIFY_CD).verdict == Verdict.AS_EXPECTED
    assert only(severity, expected=BOTOX_CD).verdict == Verdict.LONGER_THAN_EXPECTED


@pytest.mark.usefixtures("no_smoothing")
def test_after_a_cut_short_cycle_the_baseline_is_carried_over():
    # Cycle 1 is still 50 % better when re-injected on day 60; the benefit goes on and
    # wears off on day 90 of cycle 2. Against its own (improved) 14-day baseline cycle 2
    # would read as "no response".
    second = day(60)
    severity = diary([(-14, 4, BASE), (5, 149, 4.0), (150, 200, BASE)])
    first, following = analyse_cycles(severity, [INJ, second], BOTOX_CD, day(200))
    assert first.cut_short and first.verdict == Verdict.CUT_SHORT
    assert following.baseline_carried_over and following.baseline == BASE
    assert following.baseline_entries == 14
    assert (following.onset_day, following.wear_off_day) == (0, 90)
    assert following.verdict == Verdict.AS_EXPECTED
    text = summary_sentence(following, "Botox", "200 U", BOTOX_CD)
    assert "benefit carried on from the previous injection" in text
    profile = personal_profile([first, following], BOTOX_CD)
    assert profile.median_wear_off_day == 90 and profile.median_onset_day is None


@pytest.mark.usefixtures("no_smoothing")
@pytest.mark.parametrize(
    "spans, verdict, onset",
    [
        # the earlier benefit fades on day 10 and nothing follows: no response
        ([(-14, 4, BASE), (5, 69, 4.0), (70, 200, BASE)], Verdict.NO_RESPONSE, None),
        # ... and this injection's own onset on day 15 after the gap
        (
            [(-14, 4, BASE), (5, 69, 4.0), (70, 74, BASE), (75, 150, 4.0), (151, 200, BASE)],
            Verdict.AS_EXPECTED,
            15,
        ),
    ],
)
def test_earlier_benefit_fading_inside_the_onset_window(spans, verdict, onset):
    _, following = analyse_cycles(diary(spans), [INJ, day(60)], BOTOX_CD, day(200))
    assert following.baseline_carried_over
    assert (following.verdict, following.onset_day) == (verdict, onset)


# --- Cycles and edge cases ---


def test_no_injections_give_no_cycles():
    assert analyse_cycles({day(0): 5.0}, [], BOTOX_CD, day(0)) == []
    assert analyse_cycles({}, [day(5)], BOTOX_CD, day(0)) == []  # only a future injection


def test_unsorted_repeated_and_future_injections():
    severity = response(5, 90, 300)
    a, b, c = day(0), day(120), day(240)
    results = analyse_cycles(severity, [c, a, b, a, day(400)], BOTOX_CD, day(300))
    assert [r.injection_date for r in results] == [a, b, c]
    assert [r.end_date for r in results] == [b - timedelta(days=1), c - timedelta(days=1), day(300)]
    assert [r.is_open for r in results] == [False, False, True]
    assert results == analyse_cycles(severity, [a, b, c], BOTOX_CD, day(300))


@pytest.mark.parametrize(
    "severity",
    [
        {},
        {day(0): 5.0},
        {day(-1): 5.0},
        diary([(-14, -1, BASE)]),
        diary([(-14, 0, BASE)]),
    ],
)
def test_injection_today_never_crashes(severity):
    result = only(severity, today=INJ)
    assert result.last_day == 0 and result.length_days == 1
    assert result.verdict in {"ongoing", "no_baseline"}
    assert result.onset_day is None and result.wear_off_day is None


def test_empty_diary_with_injections():
    results = analyse_cycles({}, [day(0), day(100)], BOTOX_CD, day(200))
    assert [r.verdict for r in results] == ["no_baseline", "no_baseline"]
    assert all(r.coverage == 0.0 for r in results)


@given(
    entries=st.dictionaries(st.integers(-60, 400), st.integers(0, 10).map(float), max_size=300),
    injection_days=st.lists(st.integers(-30, 450), max_size=6),
    today=st.integers(0, 420),
)
@settings(max_examples=150, deadline=None)
def test_any_diary_and_schedule_gives_consistent_results(entries, injection_days, today):
    severity = {day(k): v for k, v in entries.items()}
    results = analyse_cycles(severity, [day(k) for k in injection_days], BOTOX_CD, day(today))
    assert len(results) == len({k for k in injection_days if k <= today})
    for result in results:
        assert result.verdict in set(Verdict)
        assert 0.0 <= result.coverage <= 1.0
        assert result.injection_date <= result.end_date <= day(today)
        if result.wear_off_day is not None:
            assert result.onset_day <= result.peak_day < result.wear_off_day <= result.last_day
            assert result.duration_days == result.wear_off_day - result.onset_day
        assert not (result.completed and result.cut_short)
    personal_profile(results, BOTOX_CD)
