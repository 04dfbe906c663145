"""``{% queue_rows rows %}``: the rows of a follow-up queue table, built in one call.

The queue shows up to two tables of 50 rows. As template markup each row cost about twenty
variable lookups and filters (about 90 µs a row, 4–9 ms a page); built here, as Django's
admin builds its change-list cells, it costs a tenth of that. The markup is the same text
the row template printed (tests/treatments/test_queue_rows.py renders both and compares),
every value escaped as the template's autoescape did.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime

from clinic.templatetags.clinic_dates import day_month_year
from clinic.templatetags.clinic_urls import uuid_url
from treatments.models import FollowUp
from treatments.selectors.followups import QueueRow

register = template.Library()

# A booked time as the row shows it (what ``{{ value|date:"j M Y, H:i" }}`` prints).
BOOKED_FORMAT = "j M Y, H:i"

ROW = (
    "\n    "
    '\n    <tr data-followup="{uuid}">'
    '\n      <th scope="row"><a href="{url}">{name}</a></th>'
    "\n      <td>\n        {phone}\n        {email}\n      </td>"
    "\n      <td>{kind}</td>"
    "\n      <td>\n        {due_from} – {due_until}"
    "\n        {overdue}\n        {earliest}\n      </td>"
    "\n      <td>{booked}</td>"
    "\n      <td>{neurologists}</td>"
    "\n    </tr>\n    "
    "\n    "
)


def _booked_at(followup: FollowUp) -> str:
    return date_filter(template_localtime(followup.scheduled_at), BOOKED_FORMAT)


def _contact(row: QueueRow) -> tuple[SafeString | str, SafeString | str]:
    patient = row.patient
    phone = format_html('<a href="tel:{}">{}</a><br>', patient.phone, patient.phone)
    email = format_html('<a href="mailto:{}">{}</a>', patient.email, patient.email)
    return (phone if patient.phone else "", email if patient.email else "")


def _earliest(row: QueueRow) -> SafeString | str:
    if not row.earliest:
        return ""
    allowed = " (earlier allowed by the neurologist)" if row.early_allowed else ""
    return format_html(
        '<div class="small text-body-secondary">Not before {}{}</div>',
        day_month_year(row.earliest),
        allowed,
    )


def _booking(row: QueueRow) -> SafeString | str:
    followup = row.followup
    if followup.status == FollowUp.Status.MISSED:
        when = format_html(" {}", _booked_at(followup)) if followup.scheduled_at else ""
        return format_html(
            '<span class="badge text-bg-warning">Missed</span>{}<div class="small">'
            "Not rebooked</div>",
            when,
        )
    if not followup.scheduled_at:
        return mark_safe('<span class="text-body-secondary">Not booked</span>')  # nosec B308 B703
    warning = ""
    if row.booked_early:
        warning = format_html(
            '<div class="small"><span class="badge text-bg-warning">Before the minimum '
            "interval</span> Booked before the minimum interval of every product given "
            "that day (not before {}): rebook, or the neurologist records the reason.</div>",
            day_month_year(row.earliest),
        )
    return format_html("{}{}", _booked_at(followup), warning)


def queue_row(row: QueueRow) -> SafeString:
    """One ``<tr>`` of the queue table (with the whitespace the row template had)."""
    followup = row.followup
    phone, email = _contact(row)
    overdue = '<span class="badge text-bg-danger">Overdue</span>' if row.overdue else ""
    return format_html(
        ROW,
        uuid=followup.uuid,
        url=uuid_url("treatments:followup_detail", followup.uuid),
        name=row.patient.full_name,
        phone=phone,
        email=email,
        kind=followup.get_kind_display(),
        due_from=day_month_year(followup.due_from),
        due_until=day_month_year(followup.due_until),
        overdue=mark_safe(overdue),  # nosec B308 B703 # constant markup
        earliest=_earliest(row),
        booked=_booking(row),
        neurologists=mark_safe(", ".join(conditional_escape(n) for n in row.neurologists)),  # nosec B308 B703
    )


@register.simple_tag
def queue_rows(rows: Iterable[QueueRow]) -> SafeString:
    """Every row of one queue table."""
    return mark_safe("".join(queue_row(row) for row in rows))  # nosec B308 B703 # built escaped
