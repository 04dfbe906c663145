"""How units are written: the product's own units, without trailing zeros ("240", "12.5").

Units of different products are never combined; this only formats one number.
"""

from __future__ import annotations

from decimal import Decimal

# A number a form cannot read ("12,5", "5,000"): said how to write it, never guessed (a
# comma read as a decimal point would turn "5,000" U Myobloc into 5 U).
NUMBER_FORMAT = (
    "Write the number with a point for decimals and no thousands separator, as in 12.5 or 5000."
)


def format_units(value: Decimal | int | float | None) -> str:
    """'240' for 240.00, '12.5' for 12.50, '' for None."""
    if value is None:
        return ""
    text = f"{Decimal(str(value)):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_product_units(value: Decimal | int | float | None, brand: str) -> str:
    """'50 U Botox': a units value always names its product, as the visit page writes it
    (units of different products are never comparable, so a bare '50 U' is not shown)."""
    return f"{format_units(value)} U {brand}"
