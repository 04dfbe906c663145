"""Embed a plotly figure for static/js/plotly-figures.js: no inline script runs.

``{% plotly_figure figure "chart-timeline" %}`` writes
``<script type="application/json" data-plotly-target="chart-timeline">…</script>``; the
static script draws it into the element with that id. The JSON is serialised with orjson
(``treatments.charts.figure_json``) and escaped exactly as Django's ``json_script`` does,
so no text in a figure can close the script element.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from treatments.charts import figure_json
from treatments.cycles import VERDICT_LABELS

register = template.Library()

# The characters json_script escapes (django.utils.html), for the same reason.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def escape_json_for_script(text: str) -> str:
    """``text`` with <, > and & escaped as ``JSON_SCRIPT_ESCAPES`` says.

    Three ``str.replace`` calls: a figure's JSON runs to hundreds of kilobytes, and
    ``str.translate`` with a dict looks every character up in Python (milliseconds a page).
    """
    for char, escaped in JSON_SCRIPT_ESCAPES.items():
        text = text.replace(chr(char), escaped)
    return text


def figure_script(figure: dict[str, Any], target_id: str) -> SafeString:
    """The data element for one figure, drawn into the element ``target_id``."""
    text = escape_json_for_script(figure_json(figure))
    return format_html(
        '<script type="application/json" id="{}-data" data-plotly-target="{}">{}</script>',
        target_id,
        target_id,
        mark_safe(text),  # nosec B308 B703 # <, >, & escaped above, as json_script does
    )


@register.simple_tag
def plotly_figure(figure: dict[str, Any], target_id: str) -> SafeString:
    return figure_script(figure, target_id)


# Bootstrap badge classes per verdict; text always says the verdict too (never colour
# alone). Early wear-off is the one that must stand out.
VERDICT_BADGES = {
    "early_wear_off": "text-bg-danger",
    "no_response": "text-bg-warning",
    "as_expected": "text-bg-success",
    "longer_than_expected": "text-bg-info",
    "cut_short": "text-bg-light border",
    "ongoing": "text-bg-primary",
}


@register.filter
def verdict_badge(verdict: str) -> str:
    """The badge class for a verdict string ("text-bg-secondary" for the rest)."""
    return VERDICT_BADGES.get(str(verdict), "text-bg-secondary")


@register.filter
def verdict_label(verdict: str) -> str:
    """ "Early wear-off" for "early_wear_off" ("" for an empty verdict)."""
    return VERDICT_LABELS.get(str(verdict), "") if verdict else ""
