"""The one place that says what a diary POST sends (pure: drills and locust import it).

Written against the expected Today form of the patients issue (issue 3): POST to
``patients:today`` with ``date`` (ISO), ``severity``, ``pain``, ``interference`` (0-10),
``triggers`` (repeated field) and ``note``. If the form that lands names its fields
differently (region severities, a "day" field...), change only this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

DIARY_URL_NAME = "patients:today"


def diary_form(
    day: date,
    severity: int,
    pain: int = 3,
    interference: int = 4,
    region_ids: Sequence[int] = (),
) -> dict:
    """Form fields of one day's diary; values 0-10, ``triggers`` a list (repeated field).

    The Today form asks one score per affected region, as ``region_<AffectedRegion pk>``;
    every region gets the overall severity.
    """
    fields = {
        "date": day.isoformat(),
        "severity": str(severity),
        "pain": str(pain),
        "interference": str(interference),
        "triggers": ["stress"],
        "note": "",
    }
    fields.update({f"region_{pk}": str(severity) for pk in region_ids})
    return fields
