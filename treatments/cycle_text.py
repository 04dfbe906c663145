"""Plain-language sentences about analysed cycles: the text alternative of every chart.

Pure (no Django). Day numbers count from the injection (day 0). Units are shown as the
caller formats them for one product; nothing here computes with units.
"""

from __future__ import annotations

from treatments.cycle_gaps import onset_window_coverage
from treatments.cycles import (
    BASELINE_DAYS,
    MIN_BASELINE_ENTRIES,
    MIN_COVERAGE,
    ONSET_IMPROVEMENT,
    CycleResult,
    ExpectedTimeline,
    Verdict,
    span,
)


def summary_sentence(
    result: CycleResult,
    product_label: str,
    units_label: str,
    expected: ExpectedTimeline,
) -> str:
    """One sentence describing a cycle, for screen readers and the cycle table.

    product_label and units_label are shown as given ("Botox", "240 U"); this function
    never computes with units. Day numbers count from the injection (day 0).
    """
    what = ", ".join(part for part in (product_label, units_label) if part)
    head = f"Injection of {result.injection_date.isoformat()}" + (f" ({what})" if what else "")
    low, high = expected.duration_days_range
    expected_wear = f"the expected {span(low, high)} days"
    onset_lo, onset_hi = expected.onset_days_range
    verdict = result.verdict

    if verdict is Verdict.NO_BASELINE:
        if result.baseline is None:
            why = (
                f"{result.baseline_entries} diary entries in the {BASELINE_DAYS} days before "
                f"the injection (at least {MIN_BASELINE_ENTRIES} needed)"
            )
        else:
            why = f"baseline severity {result.baseline:.1f} leaves nothing to improve"
        return f"{head}: no baseline, {why}"
    deadline = expected.onset_deadline_day
    if verdict is Verdict.INSUFFICIENT_DATA:
        if result.wear_off_between is not None and result.onset_day is not None:
            return _worn_off_in_a_gap(head, result, expected_wear)
        if result.peak_between is not None:
            return _peak_in_a_gap(head, result, expected, expected_wear)
        if result.onset_between is not None:
            first, seen = result.onset_between
            return (
                f"{head}: insufficient data, an improvement of {_pct(ONSET_IMPROVEMENT)} or more "
                f"first seen on day {seen}, after no diary entries on days {span(first, seen - 1)}"
                f": it may have begun by day {deadline}, when a response counts (expected onset "
                f"day {span(onset_lo, onset_hi)})"
            )
        if result.coverage < MIN_COVERAGE:
            return (
                f"{head}: insufficient data, diary entries on {_pct(result.coverage)} of the "
                f"{result.length_days} days (at least {_pct(MIN_COVERAGE)} needed)"
            )
        in_window = onset_window_coverage(result.smoothed, deadline)
        if result.last_day >= deadline and in_window < MIN_COVERAGE:
            return (
                f"{head}: insufficient data, diary entries on {_pct(in_window)} of days 0–"
                f"{deadline}, when a response would show (at least {_pct(MIN_COVERAGE)} needed)"
            )
        return (
            f"{head}: insufficient data, re-injected on day {result.length_days} before a "
            f"response could be judged (expected onset day {span(onset_lo, onset_hi)})"
        )
    if result.onset_day is None:
        if verdict is Verdict.NO_RESPONSE:
            later = ""
            peak = result.peak_improvement
            if peak is not None and peak >= ONSET_IMPROVEMENT and result.peak_day > deadline:
                later = (
                    f"; the {_pct(peak)} improvement on day {result.peak_day} came after the "
                    "window in which an onset counts"
                )
            return (
                f"{head}: no response, no improvement of {_pct(ONSET_IMPROVEMENT)} or more by "
                f"day {deadline} (expected onset day {span(onset_lo, onset_hi)}){later}"
            )
        return (
            f"{head}: no effect yet on day {result.seen_until_day}{_unlogged_tail(result)} "
            f"(expected onset day {span(onset_lo, onset_hi)})"
        )

    start = (
        "benefit carried on from the previous injection"
        if result.baseline_carried_over and result.onset_day == 0
        else f"effect from day {result.onset_day}"
    )
    if result.onset_day > onset_hi and not result.baseline_carried_over:
        start += f", later than the expected onset day {span(onset_lo, onset_hi)}"
    so_far = " so far" if result.is_open and result.wear_off_day is None else ""
    effect = f"{start}, peak{so_far} {_pct(result.peak_improvement)} on day {result.peak_day}"
    if result.wear_off_day is not None:
        comparison = {
            Verdict.EARLY_WEAR_OFF: "earlier than",
            Verdict.LONGER_THAN_EXPECTED: "later than",
        }.get(verdict, "within")
        return (
            f"{head}: {effect}, worn off by day {result.wear_off_day}, {comparison} {expected_wear}"
        )
    if result.is_open:
        return (
            f"{head}: {effect}, still effective on day {result.seen_until_day}"
            f"{_unlogged_tail(result)} (expected wear-off day {span(low, high)})"
        )
    if result.seen_until_day < result.last_day:
        return (
            f"{head}: {effect}, still effective on day {result.seen_until_day}"
            f"{_unlogged_tail(result)} before the re-injection on day {result.length_days} "
            f"(wear-off not observed; expected {span(low, high)} days)"
        )
    if verdict is Verdict.LONGER_THAN_EXPECTED:
        return (
            f"{head}: {effect}, still effective when re-injected on day {result.length_days}, "
            f"after {expected_wear} (wear-off not observed)"
        )
    return (
        f"{head}: {effect}, still effective when re-injected on day {result.length_days}: "
        f"cut short, wear-off not observed (expected wear-off day {span(low, high)})"
    )


def _unlogged_tail(result: CycleResult) -> str:
    """ ", the last diary entry: no diary entries on days 45–75" when the diary stops
    weeks before the cycle's end (``seen_until_day``); "" otherwise."""
    seen, last = result.seen_until_day, result.last_day
    if seen >= last:
        return ""
    return f", the last diary entry: no diary entries on days {span(seen + 1, last)}"


def _worn_off_in_a_gap(head: str, result: CycleResult, expected_wear: str) -> str:
    """The sentence of a cycle whose benefit ended somewhere in a gap of the diary that
    reaches across an end of the expected range (so neither early nor as expected)."""
    first, last = result.wear_off_between
    return (
        f"{head}: effect from day {result.onset_day}, peak {_pct(result.peak_improvement)} "
        f"on day {result.peak_day}, worn off by day {last}; with no diary entries on days "
        f"{span(first, last - 1)} it may have worn off on any of them, so it cannot be "
        f"compared with {expected_wear}: insufficient data"
    )


def _peak_in_a_gap(
    head: str, result: CycleResult, expected: ExpectedTimeline, expected_wear: str
) -> str:
    """The sentence of a cycle whose onset or peak fell in a gap of the diary, where a
    larger peak than any logged would change the verdict."""
    first, last = result.peak_between
    onset_lo, onset_hi = expected.onset_days_range
    return (
        f"{head}: insufficient data, no diary entries on days {span(first, last)}, when the "
        f"benefit may have begun or peaked (expected onset day {span(onset_lo, onset_hi)}, "
        f"peak day {span(*expected.peak_days_range)}); a larger peak than any day logged "
        f"would mean an earlier wear-off, so it cannot be compared with {expected_wear}"
    )


def _pct(fraction: float | None) -> str:
    return "unknown" if fraction is None else f"{round(fraction * 100)} %"
