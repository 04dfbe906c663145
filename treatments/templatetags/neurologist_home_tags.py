"""``{% patient_rows rows adherence_days %}``: the rows of the neurologist's start page.

Fifty rows a page; as template markup each row cost about thirty variable lookups, ifs and
filters. Built here in one call (as Django's admin builds its change-list cells), the page
prints the same text (tests/treatments/test_neurologist_home_rows_markup.py renders both
and compares), every value escaped as the template's autoescape did.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime

from clinic.templatetags.clinic_dates import day_month_year
from clinic.templatetags.clinic_urls import uuid_url
from treatments.selectors.charts import PatientRow
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


def _injection(row: PatientRow) -> SafeString | str:
    if not row.last_injection_date:
        return "None recorded"
    product = format_html(" · {}", row.last_product) if row.last_product else ""
    return format_html("{}{}", day_month_year(row.last_injection_date), product)


def _verdict(row: PatientRow) -> SafeString | str:
    profile = row.profile
    verdict = profile.current_verdict if profile else ""
    if verdict:
        label = verdict_label(verdict)
        shown = format_html("<strong>{}</strong>", label) if row.early_wear_off else label
        return format_html('<span class="badge {}">{}</span>', verdict_badge(verdict), shown)
    return mark_safe(NO_CYCLE) if profile and profile.computed_at else ""  # nosec B308 B703


def _freshness(row: PatientRow) -> SafeString | str:
    if row.stale:
        return mark_safe(BEING_RECALCULATED)  # nosec B308 B703
    if not row.outdated:
        return ""
    computed = date_filter(template_localtime(row.profile.computed_at), "j M Y")
    return format_html(
        '<div class="small text-warning-emphasis">Last calculated {}: not up to date</div>',
        computed,
    )


def patient_row(row: PatientRow, adherence_days: int) -> SafeString:
    """One ``<tr>`` of the start page (with the whitespace the row template had)."""
    profile = row.profile
    computed = profile is not None and profile.computed_at
    adherence = NONE
    if computed:
        adherence = f"{localize(profile.logged_days_last_14)} of {localize(adherence_days)} days"
    cycle_day = NONE if row.cycle_day is None else f"day {localize(row.cycle_day)}"
    return format_html(
        ROW,
        warning=mark_safe(' class="table-warning"' if row.early_wear_off else ""),  # nosec B308 B703
        url=uuid_url("treatments:chart", row.patient.uuid),
        last_name=row.patient.last_name,
        first_name=row.patient.first_name,
        injection=_injection(row),
        cycle_day=cycle_day,
        verdict=_verdict(row),
        previous=mark_safe(PREVIOUS_EARLY if row.previous_early_wear_off else ""),  # nosec B308 B703
        before_minimum=mark_safe(  # nosec B308 B703
            BEFORE_MINIMUM if profile and profile.wears_off_before_min_interval else ""
        ),
        freshness=_freshness(row),
        predicted=(profile and day_month_year(profile.predicted_wear_off)) or NONE,
        adherence=adherence,
    )


@register.simple_tag
def patient_rows(rows: Iterable[PatientRow], adherence_days: int) -> SafeString:
    """Every row of the start page's table."""
    return mark_safe("".join(patient_row(row, adherence_days) for row in rows))  # nosec B308 B703
