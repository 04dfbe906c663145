"""Template filters of the treatments pages."""

from __future__ import annotations

from django import template

from treatments.units import format_units

register = template.Library()


@register.filter
def units(value) -> str:
    """Units without trailing zeros: 240.00 -> "240", 12.50 -> "12.5"."""
    return format_units(value)
