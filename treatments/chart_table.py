"""The effect timeline's cycle table (DESIGN.md §3): the text alternative of the charts,
one row per cycle, built from treatments.cycles' pure dataclasses and the charts'
injection marks (no ORM, no request). Units are the marks' display texts, shown as
given: never added, averaged or compared across products.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from treatments.charts import InjectionMark
from treatments.cycle_text import summary_sentence
from treatments.cycles import VERDICT_LABELS, CycleResult, ExpectedTimeline


def cycle_table_rows(
    cycles: Sequence[CycleResult],
    injections: Sequence[InjectionMark] = (),
    expected: ExpectedTimeline | None = None,
) -> list[dict[str, Any]]:
    """Rows for the HTML cycle table, newest first; days count from the injection (day 0).

    Keys: injection_date (date), end_date, product, units, label, onset_day, peak_day,
    peak_improvement_pct (whole %, or None), wear_off_day, duration_days,
    coverage_pct, verdict, verdict_label, cut_short, summary ("" without `expected`).
    product/units are the display texts of the matching InjectionMark, shown as given.
    """
    marks = {m.date: m for m in injections}
    rows = []
    for cycle in sorted(cycles, key=lambda c: c.injection_date, reverse=True):
        mark = marks.get(cycle.injection_date, InjectionMark(cycle.injection_date, ""))
        peak = cycle.peak_improvement if cycle.onset_day is not None else None
        rows.append(
            {
                "injection_date": cycle.injection_date,
                "end_date": cycle.end_date,
                "product": mark.product,
                "units": mark.units,
                "label": mark.label,
                "onset_day": cycle.onset_day,
                "peak_day": cycle.peak_day if cycle.onset_day is not None else None,
                "peak_improvement_pct": None if peak is None else round(100 * peak),
                "wear_off_day": cycle.wear_off_day,
                "duration_days": cycle.duration_days,
                "coverage_pct": round(100 * cycle.coverage),
                "verdict": str(cycle.verdict),
                "verdict_label": VERDICT_LABELS[cycle.verdict],
                "cut_short": cycle.cut_short,
                "summary": (
                    summary_sentence(cycle, mark.product, mark.units, expected)
                    if expected is not None
                    else ""
                ),
            }
        )
    return rows
