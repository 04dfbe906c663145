"""The synthetic diary generator (treatments/synthetic.py): seeded, pure, truthful."""

import statistics
from dataclasses import replace
from datetime import date, timedelta

import pytest

from treatments.cycles import BASELINE_DAYS, ONSET_IMPROVEMENT, WEAR_OFF_FRACTION_OF_PEAK
from treatments.synthetic import (
    KIND_EARLY,
    KIND_NO_RESPONSE,
    SyntheticParams,
    generate_patient,
    iter_diary_rows,
    patient_seed,
    region_severities,
)

START = date(2025, 1, 1)
QUIET = SyntheticParams(p_no_response=1.0, p_early_wear_off=0.0, p_long=0.0)


def test_same_seed_same_patient_other_seed_other_patient():
    a = generate_patient(7, START, 400)
    b = generate_patient(7, START, 400)
    c = generate_patient(8, START, 400)
    assert a == b
    assert a.severity_by_day != c.severity_by_day


def test_values_are_whole_diary_buttons_inside_the_period():
    patient = generate_patient(1, START, 300, SyntheticParams(noise_sd=3.0))
    assert all(v == int(v) and 0 <= v <= 10 for v in patient.severity_by_day.values())
    assert min(patient.severity_by_day) >= START
    assert max(patient.severity_by_day) <= patient.last_date == START + timedelta(days=299)


@pytest.mark.parametrize("missing", [0.0, 0.1, 0.25, 0.4])
def test_missing_fraction_is_respected(missing):
    days = 4000
    patient = generate_patient(3, START, days, SyntheticParams(missing_fraction=missing))
    observed = 1 - len(patient.severity_by_day) / days
    assert observed == pytest.approx(missing, abs=0.025)
    if missing == 0.0:
        assert len(patient.severity_by_day) == days


def test_noise_has_the_requested_spread_around_the_baseline():
    # Without any effect, value - baseline is the noise (plus rounding, variance 1/12).
    patient = generate_patient(11, START, 3000, replace(QUIET, missing_fraction=0.0))
    residuals = [v - patient.baseline_severity for v in patient.severity_by_day.values()]
    assert abs(statistics.fmean(residuals)) < 0.1
    assert statistics.pstdev(residuals) == pytest.approx((1 + 1 / 12) ** 0.5, abs=0.08)


def test_without_noise_an_effect_free_diary_is_flat():
    patient = generate_patient(5, START, 200, replace(QUIET, noise_sd=0.0))
    assert set(patient.severity_by_day.values()) == {float(round(patient.baseline_severity))}
    assert 6 <= patient.baseline_severity <= 8


def test_schedule_and_truth_are_consistent():
    params = SyntheticParams(p_no_response=0.2, p_cut_short=0.3)
    for seed in range(30):
        patient = generate_patient(seed, START, 800, params)
        assert patient.injections == sorted(patient.injections)
        assert patient.injections[0] == START + timedelta(days=params.first_injection_day)
        assert [c.injection_date for c in patient.cycles] == patient.injections
        for cycle, following in zip(patient.cycles, [*patient.cycles[1:], None], strict=True):
            assert cycle.next_injection_date == (following and following.injection_date)
            if not cycle.responds:
                assert cycle.kind == KIND_NO_RESPONSE and cycle.true_onset_day is None
                continue
            assert 0 < cycle.true_onset_day <= cycle.true_peak_day < cycle.true_wear_off_day
            assert 0.4 <= cycle.true_peak_improvement <= 0.7
            if cycle.kind == KIND_EARLY:
                lo, hi = params.early_wear_off_day
                assert lo - 1 <= cycle.true_wear_off_day <= hi + 1
            if cycle.cut_short:
                # re-injected after the peak but before the effect wore off
                days_to_next = (cycle.next_injection_date - cycle.injection_date).days
                assert cycle.true_peak_day < days_to_next < cycle.true_wear_off_day
                if following is not None:
                    assert not following.clean_baseline
            elif following is not None:
                assert following.clean_baseline


def test_truth_follows_the_analysis_thresholds():
    # With neither noise nor gaps the diary shows the curve itself (rounded to buttons):
    # improvement reaches ONSET_IMPROVEMENT at the true onset and is below half the peak
    # from the true wear-off on.
    params = SyntheticParams(noise_sd=0.0, missing_fraction=0.0, p_cut_short=0.0)
    checked = 0
    for seed in range(20):
        patient = generate_patient(seed, START, 500, params)
        base = patient.baseline_severity
        for cycle in patient.cycles:
            if not cycle.responds or cycle.next_injection_date is None:
                continue
            at = {
                n: 1 - patient.severity_by_day[cycle.injection_date + timedelta(days=n)] / base
                for n in (cycle.true_onset_day - 1, cycle.true_peak_day, cycle.true_wear_off_day)
            }
            tolerance = 0.5 / base  # rounding to whole points
            assert at[cycle.true_onset_day - 1] < ONSET_IMPROVEMENT + tolerance
            assert at[cycle.true_peak_day] == pytest.approx(cycle.true_peak_improvement, abs=0.1)
            half = WEAR_OFF_FRACTION_OF_PEAK * cycle.true_peak_improvement
            assert at[cycle.true_wear_off_day] < half + tolerance
            checked += 1
    assert checked > 20


def test_first_injection_has_a_full_baseline_window():
    patient = generate_patient(2, START, 200, SyntheticParams(missing_fraction=0.0))
    first = patient.injections[0]
    window = [first - timedelta(days=k) for k in range(1, BASELINE_DAYS + 1)]
    assert all(d in patient.severity_by_day for d in window)
    assert patient.cycles[0].clean_baseline


def test_bulk_rows_match_single_patients():
    rows = list(iter_diary_rows(5, START, 120, seed=4))
    for index in range(5):
        single = generate_patient(patient_seed(4, index), START, 120)
        mine = {d: v for i, d, v in rows if i == index}
        assert mine == {d: int(v) for d, v in single.severity_by_day.items()}
    assert rows == list(iter_diary_rows(5, START, 120, seed=4))
    assert rows != list(iter_diary_rows(5, START, 120, seed=5))


def test_region_severities_follow_the_overall_diary():
    patient = generate_patient(9, START, 600)
    regions = region_severities(patient.severity_by_day, ["Neck", "Shoulder", "Arm & hand"], 1)
    assert list(regions) == ["Neck", "Shoulder", "Arm & hand"]
    overall = [patient.severity_by_day[d] for d in sorted(patient.severity_by_day)]
    for series in regions.values():
        assert list(series) == sorted(patient.severity_by_day)
        assert all(v == int(v) and 0 <= v <= 10 for v in series.values())
        assert statistics.correlation(overall, list(series.values())) > 0.5
    assert regions == region_severities(patient.severity_by_day, list(regions), 1)
    assert regions != region_severities(patient.severity_by_day, list(regions), 2)


@pytest.mark.parametrize(
    "kwargs",
    [{"missing_fraction": 1.0}, {"noise_sd": -1}, {"p_no_response": 0.8, "p_long": 0.5}],
)
def test_params_reject_impossible_values(kwargs):
    with pytest.raises(ValueError):
        SyntheticParams(**kwargs)
