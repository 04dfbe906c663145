"""``{% cycle_table_rows rows %}`` and ``{% injection_rows visits %}``: the rows of the
chart's cycle and injection tables, each table built in one call.

As template markup each row cost a dozen variable lookups and filters (a three-year chart
spent about 1.5 ms on these two loops); built with ``str.format``, as the queue's rows are
(queue_tags), they cost far less. The markup is the text the loops printed
(tests/treatments/test_chart_rows.py renders both and compares), every value escaped as
autoescape did (``autoescaped``). Units are shown as each visit's own, with its product:
never added or compared across products.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from treatments.models import InjectionVisit
from treatments.templatetags.row_markup import autoescaped
from treatments.templatetags.timeline_tags import verdict_badge
from treatments.units import format_product_units

register = template.Library()

NONE = "–"  # what an empty cell shows

CYCLE_ROW = (
    "\n        <tr{warning}>"
    '\n          <th scope="row" class="text-nowrap">{injection}</th>'
    "\n          <td>{product}</td>"
    '\n          <td class="text-nowrap">{units}</td>'
    "\n          <td>{onset}</td>"
    "\n          <td>{peak}</td>"
    "\n          <td>{wear_off}{cut_short}</td>"
    "\n          <td>{duration}</td>"
    "\n          <td>{coverage} %</td>"
    '\n          <td><span class="badge {badge}">{verdict}</span></td>'
    "\n          <td>{expected}{judged_on}</td>"
    "\n        </tr>"
    "\n        "
)

INJECTION_ROW = (
    "\n        <tr>"
    '\n          <th scope="row" class="text-nowrap">{date}</th>'
    "\n          <td>{product}</td>"
    "\n          <td>{indication}</td>"
    '\n          <td class="text-nowrap">{total}</td>'
    "\n          <td>{sites}</td>"
    "\n          <td>{guidance}{early}</td>"
    "\n        </tr>"
    "\n        "
)


def _or_none(value: object) -> str:
    """``{{ value|default_if_none:"–" }}``."""
    return NONE if value is None else autoescaped(value)


def _or_dash(value: object) -> str:
    """``{{ value|default:"–" }}``."""
    return autoescaped(value) if value else NONE


def cycle_row(row: Mapping[str, Any]) -> str:
    """One ``<tr>`` of the cycle table (``treatments.chart_table.cycle_table_rows``)."""
    peak = NONE
    if row["peak_day"] is not None:
        peak = f"day {autoescaped(row['peak_day'])}, {autoescaped(row['peak_improvement_pct'])} %"
    early = row["verdict"] == "early_wear_off"
    return CYCLE_ROW.format(
        warning=' class="table-warning"' if early else "",
        injection=autoescaped(row["injection_date"].isoformat()),
        product=_or_dash(row["product"]),
        units=_or_dash(row["units"]),
        onset=_or_none(row["onset_day"]),
        peak=peak,
        wear_off=_or_none(row["wear_off_day"]),
        cut_short=" (re-injected before wear-off)" if row["cut_short"] else "",
        duration=_or_none(row["duration_days"]),
        coverage=autoescaped(row["coverage_pct"]),
        badge=autoescaped(verdict_badge(row["verdict"])),
        verdict=autoescaped(row["verdict_label"]),
        expected=autoescaped(row.get("expected", "")),
        judged_on=_judged_on(row.get("judged_on")),
    )


def _judged_on(regions: object) -> str:
    """The regions a cycle was judged on, when not the overall severity."""
    if not regions:
        return ""
    return f"; judged on the severity of the regions injected: {autoescaped(regions)}"


def _early(reason: str) -> str:
    """A visit recorded as early, with its reason."""
    if not reason:
        return ""
    return f'<div class="small mt-1">Recorded as early: {autoescaped(reason)}</div>'


def _sites(visit: InjectionVisit) -> str:
    brand = visit.product.brand_name
    sites = [
        f"{autoescaped(site.muscle.name)} ({autoescaped(site.get_side_display().lower())}) "
        f"{autoescaped(format_product_units(site.units, brand))}"
        for site in visit.sites.all()
    ]
    return "; ".join(sites) or NONE


def injection_row(visit: InjectionVisit) -> str:
    """One ``<tr>`` of the injection visits table: the visit's own total and sites."""
    brand = visit.product.brand_name
    total = NONE
    if visit.total_units is not None:
        total = autoescaped(format_product_units(visit.total_units, brand))
    return INJECTION_ROW.format(
        date=autoescaped(visit.date.isoformat()),
        product=autoescaped(brand),
        indication=autoescaped(visit.get_indication_display()),
        total=total,
        sites=_sites(visit),
        guidance=autoescaped(visit.get_guidance_display()),
        early=_early(visit.early_reason),
    )


@register.simple_tag
def cycle_table_rows(rows: Iterable[Mapping[str, Any]]) -> SafeString:
    """Every row of the cycle table, as ``{% for row in rows %}`` printed them."""
    return mark_safe("".join(cycle_row(row) for row in rows))  # nosec B308 B703 # escaped


@register.simple_tag
def injection_rows(visits: Iterable[InjectionVisit]) -> SafeString:
    """Every row of the injection visits table."""
    return mark_safe("".join(injection_row(v) for v in visits))  # nosec B308 B703 # escaped
