"""Template filters of the treatments pages."""

from __future__ import annotations

from django import template

from treatments.units import format_product_units, format_units

register = template.Library()


@register.filter
def units(value) -> str:
    """Units without trailing zeros: 240.00 -> "240", 12.50 -> "12.5"."""
    return format_units(value)


@register.filter
def product_units(value, brand: str) -> str:
    """Units with their product, "240 U Botox" (the one format, ``format_product_units``)."""
    return format_product_units(value, brand)
