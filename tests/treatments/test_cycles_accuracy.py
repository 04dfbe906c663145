"""Accuracy of the cycle analysis against generated diaries with a known truth.

Hundreds of cycles from fixed seeds: Gaussian noise of SD 1 point, 0-40 % of days
missing (drawn per patient), non-responding cycles, early and long wear-offs, and
cycles cut short by an early reinjection. Run with `-s` to see the figures.

What is compared, and over which cycles:
* onset: responding cycles where both the truth and an estimate exist;
* wear-off: responding cycles that were not cut short and ended inside the diary;
* the cycle after a cut-short one is scored apart: its 14-day baseline lies inside the
  previous benefit, so the analysis carries the previous baseline over and its onset
  is day 0 (the earlier benefit carrying on), which is no estimate of its true onset.
"""

import random
import statistics
from collections import Counter
from datetime import date

from treatments.cycles import ExpectedTimeline, Verdict, analyse_cycles
from treatments.synthetic import KIND_NO_RESPONSE, KIND_TYPICAL, SyntheticParams, generate_patient

BOTOX_CD = ExpectedTimeline(
    onset_days=(3, 7, 14), peak_weeks=(4, 6), duration_weeks=(10, 12, 16), min_interval_weeks=12
)
PATIENTS = 100
DAYS = 600
START = date(2024, 1, 1)


def population():
    """(synthetic cycle, analysed cycle) pairs for the fixed population."""
    draw = random.Random(2026)
    pairs = []
    for seed in range(PATIENTS):
        params = SyntheticParams(
            noise_sd=1.0,
            missing_fraction=draw.uniform(0.0, 0.4),
            p_no_response=0.15,
            p_early_wear_off=0.15,
            p_long=0.1,
            p_cut_short=0.15,
        )
        patient = generate_patient(seed, START, DAYS, params)
        results = analyse_cycles(
            patient.severity_by_day, patient.injections, BOTOX_CD, patient.last_date
        )
        pairs.extend(zip(patient.cycles, results, strict=True))
    return pairs


def rate(hits: int, total: int) -> float:
    return hits / total if total else 0.0


def test_analysis_recovers_the_true_timeline():
    pairs = population()
    clean = [(s, r) for s, r in pairs if s.clean_baseline]
    responding = [(s, r) for s, r in clean if s.responds]
    onset_errors = [
        abs(r.onset_day - s.true_onset_day) for s, r in responding if r.onset_day is not None
    ]
    observable = [  # closed, not cut short: the whole wear-off lies inside the cycle
        (s, r) for s, r in responding if not s.cut_short and s.next_injection_date is not None
    ]
    wear_errors = [
        abs(r.wear_off_day - s.true_wear_off_day) for s, r in observable if r.wear_off_day
    ]
    onset_found = rate(sum(r.onset_day is not None for _, r in observable), len(observable))
    wear_found = rate(len(wear_errors), len(observable))

    judged_non_responders = [
        r
        for s, r in clean
        if s.kind == KIND_NO_RESPONSE and r.last_day >= BOTOX_CD.onset_deadline_day
    ]
    no_response = rate(
        sum(r.verdict == Verdict.NO_RESPONSE for r in judged_non_responders),
        len(judged_non_responders),
    )
    typical = [r for s, r in clean if s.kind == KIND_TYPICAL and s.next_injection_date]
    not_early = rate(sum(r.verdict != Verdict.EARLY_WEAR_OFF for r in typical), len(typical))
    cut = [r for s, r in clean if s.cut_short]
    cut_flagged = rate(sum(r.cut_short for r in cut), len(cut))
    cut_not_early = rate(sum(r.verdict != Verdict.EARLY_WEAR_OFF for r in cut), len(cut))
    after_cut = [(s, r) for s, r in pairs if not s.clean_baseline]
    after_cut_responding = [r for s, r in after_cut if s.responds and s.next_injection_date]
    after_cut_not_nr = rate(
        sum(r.verdict != Verdict.NO_RESPONSE for r in after_cut_responding),
        len(after_cut_responding),
    )
    after_cut_wear = [
        abs(r.wear_off_day - s.true_wear_off_day)
        for s, r in after_cut
        if s.responds and not s.cut_short and s.next_injection_date and r.wear_off_day
    ]

    print()
    print(f"cycles: {len(pairs)}, of which {len(after_cut)} follow a cut-short cycle")
    print(
        f"onset: median absolute error {statistics.median(onset_errors)} days "
        f"over {len(onset_errors)} cycles (mean {statistics.fmean(onset_errors):.1f})"
    )
    print(
        f"wear-off: median absolute error {statistics.median(wear_errors)} days "
        f"over {len(wear_errors)} cycles (mean {statistics.fmean(wear_errors):.1f})"
    )
    print(
        f"estimates found in {len(observable)} observable responding cycles: "
        f"onset {onset_found:.1%}, wear-off {wear_found:.1%}"
    )
    print(f"non-responders called no_response: {no_response:.1%} of {len(judged_non_responders)}")
    print(f"typical cycles not called early_wear_off: {not_early:.1%} of {len(typical)}")
    print(
        f"cut-short cycles flagged cut_short: {cut_flagged:.1%}, "
        f"not early_wear_off: {cut_not_early:.1%} of {len(cut)}"
    )
    print(
        f"after a cut-short cycle: responding not called no_response {after_cut_not_nr:.1%} "
        f"of {len(after_cut_responding)}; wear-off median absolute error "
        f"{statistics.median(after_cut_wear)} days over {len(after_cut_wear)}"
    )
    by_kind = Counter((s.kind + ("/cut" if s.cut_short else ""), r.verdict) for s, r in clean)
    for (kind, verdict), count in sorted(by_kind.items()):
        print(f"  true {kind:<25} -> {verdict:<21} {count}")

    assert len(pairs) >= 200 and len(observable) >= 150 and len(cut) >= 20
    assert len(judged_non_responders) >= 40
    assert statistics.median(onset_errors) <= 3
    assert statistics.median(wear_errors) <= 7
    assert onset_found >= 0.9 and wear_found >= 0.9
    assert no_response >= 0.95
    assert not_early >= 0.95
    assert cut_not_early >= 0.95
    assert len(after_cut_responding) >= 20
    assert after_cut_not_nr >= 0.9
    assert statistics.median(after_cut_wear) <= 7
