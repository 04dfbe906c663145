"""The patient's own profile (treatments/profiles.py): medians over one product and
indication's completed cycles, the open cycle's prediction and reinjection window.

Day numbers count from the injection (day 0).
"""

from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.treatments.test_cycles import BASE, BOTOX_CD, DAXXIFY_CD, day
from treatments import cycles, profiles
from treatments.cycles import CycleResult, ExpectedTimeline, Verdict
from treatments.profiles import personal_profile, profiles_by_timeline

DYSPORT_CD = ExpectedTimeline(
    onset_days=(3, 7, 14),
    peak_weeks=(2, 4),
    duration_weeks=(12, 14, 16),
    min_interval_weeks=12,
    label="Dysport, cervical dystonia",
)


def make(injection, wear_off=None, onset=5, peak=30, end=None, is_open=False, size=0.5):
    end = end or injection + timedelta(days=150)
    return CycleResult(
        injection_date=injection,
        end_date=end,
        baseline=BASE,
        baseline_entries=14,
        onset_day=onset,
        peak_day=peak,
        wear_off_day=wear_off,
        duration_days=None if wear_off is None else wear_off - onset,
        peak_improvement=size,
        coverage=1.0,
        verdict=Verdict.AS_EXPECTED if wear_off is not None else Verdict.ONGOING,
        is_open=is_open,
        completed=wear_off is not None,
        cut_short=False,
        improvement_by_day=tuple(
            (d, size if onset <= d < (wear_off or 999) else 0.0) for d in range(150)
        ),
    )


def history(wear_offs, onsets=None, peaks=None, open_days=20):
    onsets = onsets or [5] * len(wear_offs)
    peaks = peaks or [30] * len(wear_offs)
    results = [
        make(day(150 * i), w, o, p)
        for i, (w, o, p) in enumerate(zip(wear_offs, onsets, peaks, strict=True))
    ]
    last = day(150 * len(wear_offs))
    results.append(make(last, None, end=last + timedelta(days=open_days), is_open=True))
    return results, last


def test_profile_medians_over_completed_cycles_only():
    results, last = history([60, 90, 70], onsets=[4, 9, 6], peaks=[20, 40, 35])
    profile = personal_profile(results, BOTOX_CD)
    assert profile.completed_cycles == 3
    assert (profile.median_onset_day, profile.median_peak_day) == (6.0, 35.0)
    assert profile.median_wear_off_day == 70.0
    assert profile.open_cycle_injection_date == last
    assert profile.predicted_wear_off_date == last + timedelta(days=70)


def test_reinjection_window_never_before_min_interval_and_flag():
    results, last = history([60, 63, 70])  # median 63 < 84
    profile = personal_profile(results, BOTOX_CD)
    assert profile.wears_off_before_min_interval is True
    assert profile.reinjection_window_start == last + timedelta(days=84)
    assert profile.reinjection_window_end > profile.reinjection_window_start


def test_reinjection_window_around_a_late_wear_off():
    results, last = history([100, 110, 105])
    profile = personal_profile(results, BOTOX_CD)
    predicted = last + timedelta(days=105)
    assert profile.wears_off_before_min_interval is False
    assert profile.reinjection_window_start == predicted - timedelta(
        days=cycles.REINJECTION_WINDOW_BEFORE_DAYS
    )
    assert profile.reinjection_window_end == predicted + timedelta(
        days=cycles.REINJECTION_WINDOW_AFTER_DAYS
    )


@given(st.lists(st.integers(20, 200), min_size=1, max_size=7), st.integers(0, 20))
@settings(max_examples=100, deadline=None)
def test_window_start_is_never_before_the_minimum_interval(wear_offs, min_weeks):
    expected = ExpectedTimeline((3, 7, 14), (4, 6), (10, 12, 16), min_interval_weeks=min_weeks)
    results, last = history(wear_offs)
    profile = personal_profile(results, expected)
    assert profile.reinjection_window_start >= last + timedelta(days=7 * min_weeks)
    assert profile.reinjection_window_end >= profile.reinjection_window_start
    usually_before = profile.median_wear_off_day < 7 * min_weeks and len(wear_offs) >= 2
    assert profile.wears_off_before_min_interval is usually_before  # one cycle is no "usually"


def test_profile_without_expected_or_minimum_interval():
    results, last = history([60, 63, 70])
    one_arg = personal_profile(results)
    assert one_arg.predicted_wear_off_date == last + timedelta(days=63)
    assert one_arg.reinjection_window_start is None and one_arg.reinjection_window_end is None
    assert one_arg.wears_off_before_min_interval is None
    daxxify = personal_profile(results, DAXXIFY_CD)
    assert daxxify.wears_off_before_min_interval is None
    assert daxxify.reinjection_window_start == last + timedelta(days=63 - 7)


def test_profile_without_completed_cycles():
    results, _ = history([])
    profile = personal_profile(results, BOTOX_CD)
    assert profile.completed_cycles == 0
    assert profile.median_onset_day is None and profile.median_wear_off_day is None
    assert profile.predicted_wear_off_date is None and profile.reinjection_window_start is None
    assert profile.median_curve == ()
    assert personal_profile([]).completed_cycles == 0


def test_profile_even_count_median_and_no_open_cycle():
    results, _ = history([60, 71])
    profile = personal_profile(results[:-1], BOTOX_CD)
    assert profile.median_wear_off_day == 65.5
    assert profile.open_cycle_injection_date is None and profile.predicted_wear_off_date is None


def test_median_curve_is_the_daily_median_of_completed_cycles():
    results, _ = history([60, 90, 70])
    curve = dict(personal_profile(results).median_curve)
    assert curve[10] == pytest.approx(0.5)
    assert curve[65] == pytest.approx(0.5)  # two of three cycles still effective
    assert curve[80] == pytest.approx(0.0)


def test_median_curve_fills_each_cycles_gaps_before_the_median():
    a = replace(make(day(0), 60), improvement_by_day=((8, 0.5), (9, 0.5), (11, 0.5), (12, 0.5)))
    b = replace(make(day(150), 60), improvement_by_day=((8, 0.3), (9, 0.3), (10, 0.3), (12, 0.1)))
    curve = dict(profiles.median_curve([a, b]))
    assert list(curve) == [8, 9, 10, 11, 12]
    assert curve[10] == pytest.approx(0.4)  # a interpolated 0.5, b logged 0.3
    assert curve[11] == pytest.approx(0.35)  # a logged 0.5, b interpolated 0.2
    assert curve[12] == pytest.approx(0.3)


def test_median_curve_stops_where_fewer_than_half_the_cycles_reach():
    long = replace(make(day(0), 60), improvement_by_day=tuple((d, 0.5) for d in range(30)))
    short = replace(make(day(150), 60), improvement_by_day=tuple((d, 0.3) for d in range(10)))
    other = replace(short, injection_date=day(300))
    curve = dict(profiles.median_curve([long, short, other]))
    assert max(curve) == 9  # days 10-29 are covered by one cycle of three only
    assert dict(profiles.median_curve([long, short]))[29] == 0.5  # one of two is half


# --- One profile per product and indication ---


def test_a_product_without_completed_cycles_borrows_no_other_products_median():
    # Two Botox cycles wore off early (day 50, 56); the patient switched to Dysport.
    results, last = history([50, 56])
    by_date = {r.injection_date: BOTOX_CD for r in results[:-1]} | {last: DYSPORT_CD}
    found = profiles_by_timeline(results, by_date)
    assert list(found) == [BOTOX_CD, DYSPORT_CD]
    dysport = found[DYSPORT_CD]
    assert dysport.completed_cycles == 0
    assert (dysport.median_onset_day, dysport.median_wear_off_day) == (None, None)
    assert dysport.median_curve == ()
    assert dysport.open_cycle_injection_date == last
    assert dysport.predicted_wear_off_date is None
    assert dysport.reinjection_window_start is None
    assert dysport.wears_off_before_min_interval is None
    botox = found[BOTOX_CD]
    assert (botox.completed_cycles, botox.median_wear_off_day) == (2, 53.0)
    assert botox.wears_off_before_min_interval is True
    # Botox is no longer the current product: no open cycle, nothing predicted.
    assert botox.open_cycle_injection_date is None and botox.predicted_wear_off_date is None


def test_the_current_products_profile_comes_from_its_own_cycles_only():
    # Botox day 50 and 56, then Dysport day 100, then the open Dysport cycle.
    results, last = history([50, 56, 100])
    by_date = {r.injection_date: BOTOX_CD for r in results[:2]}
    by_date |= {results[2].injection_date: DYSPORT_CD, last: DYSPORT_CD}
    dysport = profiles_by_timeline(results, by_date)[DYSPORT_CD]
    assert (dysport.completed_cycles, dysport.median_wear_off_day) == (1, 100.0)
    assert dysport.predicted_wear_off_date == last + timedelta(days=100)
    assert dysport.wears_off_before_min_interval is False  # 100 days > 84
    assert dysport.reinjection_window_start == last + timedelta(days=100 - 7)
    assert dict(dysport.median_curve)[80] == pytest.approx(0.5)  # Botox's were 0 by then


def test_no_cycles_give_no_profiles():
    assert profiles_by_timeline([], {}) == {}


def test_an_open_cycle_without_response_has_no_predicted_wear_off():
    from dataclasses import replace

    from treatments.cycles import Verdict

    results, _ = history([60, 63, 70], open_days=40)
    results[-1] = replace(results[-1], verdict=Verdict.NO_RESPONSE)
    profile = personal_profile(results, BOTOX_CD)
    assert profile.median_wear_off_day == 63.0  # the medians stand
    assert profile.predicted_wear_off_date is None  # nothing took effect, nothing wears off
    assert profile.reinjection_window_start is None
