"""Clinician-rated scales as numbers only (TIMELINE.md "Rating scales").

Each scale is a total range and, optionally, named subscores with their own ranges.
No scale's item text is held anywhere: BSDI items are "Item 1".."Item 6", GDRS areas are
body areas. Pure Python (no Django), so the rules are tested in milliseconds and used by
the model's ``clean()`` and the form alike.

Totals and subscores are numbers in steps of their part (halves by default). TWSTRS pain
steps by quarters: its severity item is (worst + best + 2 × usual) / 4 (Consky and Lang
1994), so the pain subscore and the TWSTRS total can end in .25 or .75. When subscores are
given:
- scales whose total is the sum of all parts (TWSTRS, Jankovic, BSDI) need all of them,
  and the total must equal their sum;
- GDRS rates only the areas that were examined: an area left out counts as 0, and the
  total must equal the sum of the rated areas.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

Number = int | float | Decimal


# The default step of a score: whole or half points.
HALF = Decimal("0.5")
# TWSTRS pain's step (see the module's docstring).
QUARTER = Decimal("0.25")


@dataclass(frozen=True)
class Part:
    key: str
    label: str
    high: int
    low: int = 0
    step: Decimal = HALF


@dataclass(frozen=True)
class ScaleSpec:
    code: str
    label: str
    total_high: int
    parts: tuple[Part, ...] = ()
    partial_parts: bool = False  # parts left out count as 0 (GDRS)
    total_low: int = 0

    @property
    def range_text(self) -> str:
        return f"{self.total_low}–{self.total_high}"

    @property
    def total_step(self) -> Decimal:
        """The finest step of the parts: the total is their sum (halves without parts)."""
        return min((part.step for part in self.parts), default=HALF)


_GDRS_AREAS = (
    ("eyes-upper-face", "Eyes and upper face"),
    ("lower-face", "Lower face"),
    ("jaw-tongue", "Jaw and tongue"),
    ("larynx", "Larynx"),
    ("neck", "Neck"),
    ("shoulder-proximal-arm-right", "Shoulder and proximal arm, right"),
    ("shoulder-proximal-arm-left", "Shoulder and proximal arm, left"),
    ("distal-arm-hand-right", "Distal arm and hand, right"),
    ("distal-arm-hand-left", "Distal arm and hand, left"),
    ("pelvis-proximal-leg-right", "Pelvis and proximal leg, right"),
    ("pelvis-proximal-leg-left", "Pelvis and proximal leg, left"),
    ("distal-leg-foot-right", "Distal leg and foot, right"),
    ("distal-leg-foot-left", "Distal leg and foot, left"),
    ("trunk", "Trunk"),
)

SCALES: dict[str, ScaleSpec] = {
    spec.code: spec
    for spec in (
        ScaleSpec(
            "twstrs",
            "TWSTRS",
            85,
            (
                Part("severity", "Severity", 35),
                Part("disability", "Disability", 30),
                Part("pain", "Pain", 20, step=QUARTER),
            ),
        ),
        ScaleSpec("tsui", "Tsui", 25),
        ScaleSpec("bfmdrs", "BFMDRS movement", 120),
        ScaleSpec(
            "jankovic",
            "Jankovic rating scale",
            8,
            (Part("severity", "Severity", 4), Part("frequency", "Frequency", 4)),
        ),
        ScaleSpec(
            "bsdi",
            "Blepharospasm Disability Index",
            24,
            tuple(Part(f"item{i}", f"Item {i}", 4) for i in range(1, 7)),
        ),
        ScaleSpec(
            "gdrs",
            "Global Dystonia Rating Scale",
            10 * len(_GDRS_AREAS),
            tuple(Part(key, label, 10) for key, label in _GDRS_AREAS),
            partial_parts=True,
        ),
        ScaleSpec("wcrs", "Writer's Cramp Rating Scale", 30),
    )
}

TOTAL = "total"


def _in_range(value: Number, low: int, high: int) -> bool:
    return low <= value <= high


def _is_step(value: Number, step: Decimal) -> bool:
    return Decimal(str(value)) % step == 0


STEP_WORDS = {HALF: "a whole or half number", QUARTER: "a whole number or end in .25, .5 or .75"}


def _check_value(value: Number, low: int, high: int, label: str, step: Decimal) -> str | None:
    if not _in_range(value, low, high):
        return f"{label} must be between {low} and {high}."
    if not _is_step(value, step):
        return f"{label} must be {STEP_WORDS.get(step, f'a multiple of {step}')}."
    return None


def assessment_errors(
    scale: str, total: Number | None, subscores: Mapping[str, Number]
) -> dict[str, list[str]]:
    """Check a rating against its scale; return {field: [messages]} (empty when valid).

    Fields are "scale", "total" or a subscore key. ``total`` None means "not given":
    valid only when it can be computed (see :func:`completed_total`).
    """
    spec = SCALES.get(scale)
    if spec is None:
        return {"scale": [f"Unknown scale {scale!r}."]}
    errors: dict[str, list[str]] = {}
    known = {part.key: part for part in spec.parts}
    for key, value in subscores.items():
        part = known.get(key)
        if part is None:
            errors.setdefault(key, []).append(f"{spec.label} has no subscore {key!r}.")
        elif (
            message := _check_value(value, part.low, part.high, part.label, part.step)
        ) is not None:
            errors.setdefault(key, []).append(message)
    missing = [part for part in spec.parts if part.key not in subscores]
    if subscores and missing and not spec.partial_parts:
        for part in missing:
            errors.setdefault(part.key, []).append(
                f"Give every {spec.label} subscore or none: {part.label} is missing."
            )
    if total is None:
        if not subscores:
            errors.setdefault(TOTAL, []).append("Enter the total (or the subscores).")
        return errors
    message = _check_value(
        total, spec.total_low, spec.total_high, f"{spec.label} total", spec.total_step
    )
    if message is not None:
        errors.setdefault(TOTAL, []).append(message)
    elif subscores and not errors:
        parts_sum = sum(Decimal(str(v)) for v in subscores.values())
        if Decimal(str(total)) != parts_sum:
            errors.setdefault(TOTAL, []).append(
                f"The total ({_fmt(total)}) must equal the sum of the subscores "
                f"({_fmt(parts_sum)})."
            )
    return errors


def completed_total(scale: str, total: Number | None, subscores: Mapping[str, Number]) -> Number:
    """The total to store: as given, or the sum of the subscores when it was left empty."""
    if total is not None:
        return total
    return sum(Decimal(str(v)) for v in subscores.values())


def _fmt(value: Number) -> str:
    text = f"{Decimal(str(value)):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
