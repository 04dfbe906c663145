"""Synthetic symptom diaries with known truth, for tests, demo data and benchmarks.

Pure standard library: every function takes a seed and uses its own
`random.Random(seed)`, so the same arguments always give the same diary.

The model, per injection (day 0 = injection day; improvement is a fraction of the
patient's baseline severity):

* latency: no effect for a few days;
* rise: a concave rise (fast at first, like the clinical "effect within days") up to
  the cycle's peak improvement, reached on the peak day;
* plateau, then a linear decline back to no effect.

Overlapping cycles combine as the larger of their improvements. The diary value is
baseline x (1 - improvement) plus Gaussian noise, clamped to 0-10 and rounded to a
whole number (patients tap one of the 0-10 buttons); some days are left out at random.

The true onset, peak and wear-off days are computed from the noise-free curve with the
same thresholds the analysis uses (treatments.cycles), so "truth" and "estimate" mean
the same thing: onset = first day improvement >= ONSET_IMPROVEMENT, peak = first day of
the plateau, wear-off = first day after the peak below max(half the peak, the floor).
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from treatments.cycles import (
    BASELINE_DAYS,
    ONSET_IMPROVEMENT,
    WEAR_OFF_FLOOR,
    WEAR_OFF_FRACTION_OF_PEAK,
)

KIND_NO_RESPONSE = "no_response"
KIND_EARLY = "early_wear_off"
KIND_TYPICAL = "as_expected"
KIND_LONG = "longer_than_expected"


@dataclass(frozen=True)
class SyntheticParams:
    """Knobs of the generator. Ranges are (low, high), drawn uniformly; days since
    injection. The wear-off ranges fit the Botox cervical dystonia timeline (10-16 weeks
    = day 70-112): typical cycles wear off inside it, early ones before, long ones after.
    """

    baseline_severity: tuple[float, float] = (6.0, 8.0)
    noise_sd: float = 1.0
    missing_fraction: float = 0.2
    first_injection_day: int = 28  # diary days before the first injection
    interval_days: tuple[int, int] = (84, 112)  # routine reinjection interval
    washout_days: int = BASELINE_DAYS  # effect-free days kept before a routine reinjection
    latency_days: tuple[int, int] = (2, 6)
    peak_day: tuple[int, int] = (21, 42)
    peak_improvement: tuple[float, float] = (0.4, 0.7)
    decline_days: tuple[int, int] = (14, 28)
    typical_wear_off_day: tuple[int, int] = (76, 106)
    early_wear_off_day: tuple[int, int] = (42, 62)
    long_wear_off_day: tuple[int, int] = (122, 150)
    p_no_response: float = 0.1
    p_early_wear_off: float = 0.15
    p_long: float = 0.1
    p_cut_short: float = 0.1  # responding cycles re-injected before they wear off

    def __post_init__(self) -> None:
        if not 0.0 <= self.missing_fraction < 1.0:
            raise ValueError("missing_fraction must be in [0, 1)")
        if self.noise_sd < 0:
            raise ValueError("noise_sd must be >= 0")
        if self.p_no_response + self.p_early_wear_off + self.p_long > 1.0:
            raise ValueError("cycle kind probabilities exceed 1")


@dataclass(frozen=True)
class SyntheticCycle:
    """The truth of one generated cycle (days since injection, day 0 = injection).

    true_* are None for a non-responding cycle. true_wear_off_day is the model's value
    even when the cycle was cut short (then it lies after the next injection and cannot
    be observed). clean_baseline: no effect of earlier injections in the 14 days before
    this one, so the diary baseline is the patient's untreated severity.
    """

    injection_date: date
    kind: str
    responds: bool
    cut_short: bool
    clean_baseline: bool
    true_onset_day: int | None
    true_peak_day: int | None
    true_wear_off_day: int | None
    true_peak_improvement: float
    next_injection_date: date | None


@dataclass(frozen=True)
class SyntheticPatient:
    """A generated diary: severity 0-10 (whole numbers, as floats) per logged day."""

    start: date
    days: int
    baseline_severity: float
    missing_fraction: float
    severity_by_day: dict[date, float]
    injections: list[date]
    cycles: list[SyntheticCycle]

    @property
    def last_date(self) -> date:
        """The last diary day: pass it as `today` to the analysis."""
        return self.start + timedelta(days=self.days - 1)


@dataclass(frozen=True)
class _Curve:
    latency: int
    peak_day: int
    plateau_end: int  # first day of the decline
    decline: int
    peak: float

    def at(self, day: int) -> float:
        if day < self.latency or self.peak <= 0:
            return 0.0
        if day < self.peak_day:
            x = (day - self.latency) / (self.peak_day - self.latency)
            return self.peak * (1.0 - (1.0 - x) ** 2)
        if day < self.plateau_end:
            return self.peak
        return max(0.0, self.peak * (1.0 - (day - self.plateau_end) / self.decline))

    @property
    def effect_end(self) -> int:
        """First day with no effect left."""
        return self.plateau_end + self.decline if self.peak > 0 else 0


def _draw_curve(rng: random.Random, p: SyntheticParams, kind: str) -> _Curve:
    if kind == KIND_NO_RESPONSE:
        return _Curve(0, 1, 1, 1, 0.0)
    wear_range = {
        KIND_EARLY: p.early_wear_off_day,
        KIND_LONG: p.long_wear_off_day,
    }.get(kind, p.typical_wear_off_day)
    latency = rng.randint(*p.latency_days)
    wear_off = rng.randint(*wear_range)
    decline = rng.randint(*p.decline_days)
    peak = rng.uniform(*p.peak_improvement)
    # Wear-off falls where the decline crosses half the peak: in its middle.
    plateau_end = max(latency + 8, wear_off - decline // 2)
    peak_day = min(rng.randint(*p.peak_day), plateau_end)
    peak_day = max(peak_day, latency + 7)
    return _Curve(latency, peak_day, plateau_end, decline, peak)


def _truth(curve: _Curve) -> tuple[int | None, int | None, int | None]:
    if curve.peak <= 0:
        return None, None, None
    onset = next(d for d in range(curve.peak_day + 1) if curve.at(d) >= ONSET_IMPROVEMENT)
    threshold = max(WEAR_OFF_FRACTION_OF_PEAK * curve.peak, WEAR_OFF_FLOOR)
    wear_off = next(d for d in range(curve.peak_day + 1, 10_000) if curve.at(d) < threshold)
    return onset, curve.peak_day, wear_off


def _draw_kind(rng: random.Random, p: SyntheticParams) -> str:
    u = rng.random()
    if u < p.p_no_response:
        return KIND_NO_RESPONSE
    u -= p.p_no_response
    if u < p.p_early_wear_off:
        return KIND_EARLY
    u -= p.p_early_wear_off
    return KIND_LONG if u < p.p_long else KIND_TYPICAL


def _schedule(
    rng: random.Random, p: SyntheticParams, days: int
) -> tuple[list[int], list[_Curve], list[str], list[bool]]:
    """Injection days (diary index), their curves, kinds and cut-short flags."""
    offsets, curves, kinds, cut = [], [], [], []
    day = p.first_injection_day
    while day < days:
        kind = _draw_kind(rng, p)
        curve = _draw_curve(rng, p, kind)
        offsets.append(day)
        curves.append(curve)
        kinds.append(kind)
        interval = max(rng.randint(*p.interval_days), curve.effect_end + p.washout_days)
        cut_short = False
        if curve.peak > 0 and rng.random() < p.p_cut_short:
            _, _, wear_off = _truth(curve)
            lo, hi = curve.peak_day + 7, wear_off - 7
            if lo <= hi:
                interval, cut_short = rng.randint(lo, hi), True
        cut.append(cut_short)
        day += interval
    return offsets, curves, kinds, cut


def _improvement(days: int, offsets: Sequence[int], curves: Sequence[_Curve]) -> list[float]:
    improvement = [0.0] * days
    for offset, curve in zip(offsets, curves, strict=True):
        for d in range(offset + curve.latency, min(days, offset + curve.effect_end)):
            value = curve.at(d - offset)
            if value > improvement[d]:
                improvement[d] = value
    return improvement


def generate_patient(
    rng_seed: int, start: date, days: int, params: SyntheticParams | None = None
) -> SyntheticPatient:
    """Generate one patient's diary over `days` days from `start`, with the truth.

    Injections start params.first_injection_day days into the diary (so the first one
    has a baseline) and follow every routine interval, postponed until the previous
    effect is gone plus params.washout_days, except for cut-short cycles, re-injected
    between a week after the peak and a week before the true wear-off.
    """
    p = params or SyntheticParams()
    rng = random.Random(rng_seed)
    baseline = rng.uniform(*p.baseline_severity)
    offsets, curves, kinds, cut = _schedule(rng, p, days)
    improvement = _improvement(days, offsets, curves)

    severity: dict[date, float] = {}
    gauss, rand, missing, sd = rng.gauss, rng.random, p.missing_fraction, p.noise_sd
    for d in range(days):
        value = baseline * (1.0 - improvement[d]) + gauss(0.0, sd)
        if rand() >= missing:
            severity[start + timedelta(days=d)] = float(min(10, max(0, round(value))))

    cycles = []
    for i, (offset, curve) in enumerate(zip(offsets, curves, strict=True)):
        onset, peak_day, wear_off = _truth(curve)
        before = improvement[max(0, offset - BASELINE_DAYS) : offset]
        nxt = offsets[i + 1] if i + 1 < len(offsets) else None
        cycles.append(
            SyntheticCycle(
                injection_date=start + timedelta(days=offset),
                kind=kinds[i],
                responds=curve.peak > 0,
                cut_short=cut[i] and nxt is not None,  # planned, but after the diary ends
                clean_baseline=not any(before),
                true_onset_day=onset,
                true_peak_day=peak_day,
                true_wear_off_day=wear_off,
                true_peak_improvement=curve.peak,
                next_injection_date=None if nxt is None else start + timedelta(days=nxt),
            )
        )
    return SyntheticPatient(
        start=start,
        days=days,
        baseline_severity=baseline,
        missing_fraction=missing,
        severity_by_day=severity,
        injections=[start + timedelta(days=o) for o in offsets],
        cycles=cycles,
    )


def iter_diary_rows(
    n_patients: int, start: date, days: int, seed: int = 0, params: SyntheticParams | None = None
) -> Iterator[tuple[int, date, int]]:
    """Yield (patient index, date, severity 0-10) rows for many patients, in order.

    Memory stays at one patient's diary; about a million rows per few seconds. Patient i
    is the same as generate_patient(patient_seed(seed, i), start, days, params), so its
    injections can be had from there.
    """
    for i in range(n_patients):
        patient = generate_patient(patient_seed(seed, i), start, days, params)
        for day, value in patient.severity_by_day.items():
            yield i, day, int(value)


def patient_seed(seed: int, index: int) -> int:
    """Seed of the index-th patient of a bulk run (stable across versions)."""
    return seed * 1_000_003 + index


def region_severities(
    severity_by_day: Mapping[date, float],
    regions: Sequence[str],
    rng_seed: int,
    noise_sd: float = 0.8,
) -> dict[str, dict[date, float]]:
    """Per affected region, a severity 0-10 on every logged day, correlated with overall.

    Each region follows the overall severity scaled by its own weight (0.6-1.2) and
    shifted by its own offset (-1..+1 point), plus Gaussian noise of noise_sd points,
    clamped and rounded like a diary button. Same days as the overall diary.
    """
    rng = random.Random(rng_seed)
    result: dict[str, dict[date, float]] = {}
    for region in regions:
        weight, shift = rng.uniform(0.6, 1.2), rng.uniform(-1.0, 1.0)
        result[region] = {
            day: float(min(10, max(0, round(value * weight + shift + rng.gauss(0.0, noise_sd)))))
            for day, value in sorted(severity_by_day.items())
        }
    return result
