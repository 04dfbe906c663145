"""``{% patient_rows rows adherence_days %}``: the rows of the neurologist's start page.

Fifty rows a page; as template markup each row cost about thirty variable lookups, ifs and
filters. Built here with ``str.format`` in one call (as Django's admin builds its
change-list cells), the page prints the same text
(tests/treatments/test_neurologist_home_rows_markup.py renders both and compares), every
value escaped as autoescape did (``autoescaped``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime

from clinic.templatetags.clinic_dates import day_month_year
from clinic.templatetags.clinic_urls import uuid_url
from treatments.selectors.charts import PatientRow
from treatments.templatetags.row_markup import autoescaped
from treatments.templatetags.timeline_tags import verdict_badge, verdict_label

register = template.Library()

ROW = (
    "\n      "
    "\n      <tr{warning}>"
    '\n        <th scope="row"><a href="{url}">{last_name}, {first_name}</a></th>'
    "\n        <td>{injection}</td>"
    "\n        <td>{cycle_day}</td>"
    "\n        <td>\n          {verdict}\n          {previous}\n          {before_minimum}"
    "\n          {freshness}\n        </td>"
    "\n        <td>{predicted}</td>"
    "\n        <td>{adherence}</td>"
    "\n      </tr>\n      "
    "\n      "
)
NONE = "–"
PREVIOUS_EARLY = '<div class="small fw-semibold">Last cycle wore off early</div>'
BEFORE_MINIMUM = '<div class="small">Usually wears off before the minimum interval</div>'
BEING_RECALCULATED = '<div class="small text-body-secondary">Being recalculated</div>'
NO_CYCLE = '<span class="badge text-bg-secondary">No cycle</span>'


def _injection(row: PatientRow) -> str:
    if not row.last_injection_date:
        return "None recorded"
    product = f" · {autoescaped(row.last_product)}" if row.last_product else ""
    return autoescaped(day_month_year(row.last_injection_date)) + product


def _verdict(row: PatientRow) -> str:
    profile = row.profile
    verdict = profile.current_verdict if profile else ""
    if verdict:
        label = autoescaped(verdict_label(verdict))
        shown = f"<strong>{label}</strong>" if row.early_wear_off else label
        badge = f'<span class="badge {autoescaped(verdict_badge(verdict))}">{shown}</span>'
        return badge + _judged_on(profile.judged_on)
    return NO_CYCLE if profile and profile.computed_at else ""


def _judged_on(regions: str) -> str:
    """The regions injected a cycle was judged on, under its badge ("" for the overall
    severity): a neck injection's "As expected" is the neck's, not the whole body's."""
    if not regions:
        return ""
    return f'<div class="small">Judged on the severity of: {autoescaped(regions)}</div>'


def _freshness(row: PatientRow) -> str:
    if row.stale:
        return BEING_RECALCULATED
    if not row.outdated:
        return ""
    computed = autoescaped(date_filter(template_localtime(row.profile.computed_at), "j M Y"))
    return (
        f'<div class="small text-warning-emphasis">Last calculated {computed}: not up to date</div>'
    )


def patient_row(row: PatientRow, adherence_days: int) -> str:
    """One ``<tr>`` of the start page (with the whitespace the row template had), every
    value escaped (``autoescaped``)."""
    profile = row.profile
    adherence = NONE
    if profile is not None and profile.computed_at:
        logged = localize(profile.logged_days_last_14)
        adherence = autoescaped(f"{logged} of {localize(adherence_days)} days")
    cycle_day = NONE if row.cycle_day is None else autoescaped(f"day {localize(row.cycle_day)}")
    predicted = (profile and day_month_year(profile.predicted_wear_off)) or NONE
    return ROW.format(
        warning=' class="table-warning"' if row.early_wear_off else "",
        url=autoescaped(uuid_url("treatments:chart", row.patient.uuid)),
        last_name=autoescaped(row.patient.last_name),
        first_name=autoescaped(row.patient.first_name),
        injection=_injection(row),
        cycle_day=cycle_day,
        verdict=_verdict(row),
        previous=PREVIOUS_EARLY if row.previous_early_wear_off else "",
        before_minimum=BEFORE_MINIMUM if profile and profile.wears_off_before_min_interval else "",
        freshness=_freshness(row),
        predicted=autoescaped(predicted),
        adherence=adherence,
    )


@register.simple_tag
def patient_rows(rows: Iterable[PatientRow], adherence_days: int) -> SafeString:
    """Every row of the start page's table."""
    return mark_safe("".join(patient_row(row, adherence_days) for row in rows))  # nosec B308 B703
