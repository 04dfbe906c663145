"""``{% queue_rows rows %}``: the rows of a follow-up queue table, built in one call.

The queue shows up to two tables of 50 rows. As template markup each row cost about twenty
variable lookups and filters (about 90 µs a row, 4–9 ms a page); built here with
``str.format``, as Django's admin builds its change-list cells, it costs far less. The
markup is the same text the row template printed (tests/treatments/test_queue_rows.py
renders both and compares), every value escaped as autoescape did (``autoescaped``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime

from clinic.templatetags.clinic_dates import day_month_year
from clinic.templatetags.clinic_urls import uuid_url
from treatments.models import FollowUp
from treatments.selectors.followups import QueueRow
from treatments.templatetags.row_markup import autoescaped

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


# Said in the contact cell of a patient with neither: an empty cell reads as a fault.
NO_CONTACT = '<span class="text-body-secondary">No phone or email on file</span>'


def _booked_at(followup: FollowUp) -> str:
    return autoescaped(date_filter(template_localtime(followup.scheduled_at), BOOKED_FORMAT))


def _contact(row: QueueRow) -> tuple[str, str]:
    patient = row.patient
    phone = email = ""
    if patient.phone:
        phone = '<a href="tel:{0}">{0}</a><br>'.format(autoescaped(patient.phone))
    if patient.email:
        email = '<a href="mailto:{0}">{0}</a>'.format(autoescaped(patient.email))
    elif not patient.phone:
        email = NO_CONTACT
    return phone, email


def _earliest(row: QueueRow) -> str:
    if not row.earliest:
        return ""
    allowed = " (earlier allowed by the neurologist)" if row.early_allowed else ""
    earliest = autoescaped(day_month_year(row.earliest))
    return f'<div class="small text-body-secondary">Not before {earliest}{allowed}</div>'


def _booking(row: QueueRow) -> str:
    followup = row.followup
    if followup.status == FollowUp.Status.MISSED:
        when = f" {_booked_at(followup)}" if followup.scheduled_at else ""
        return (
            f'<span class="badge text-bg-warning">Missed</span>{when}'
            '<div class="small">Not rebooked</div>'
        )
    if not followup.scheduled_at:
        return '<span class="text-body-secondary">Not booked</span>'
    warning = ""
    if row.booked_early:
        warning = (
            '<div class="small"><span class="badge text-bg-warning">Before the minimum '
            "interval</span> Booked before the minimum interval of every product given "
            f"that day (not before {autoescaped(day_month_year(row.earliest))}): rebook, or "
            "the neurologist records the reason.</div>"
        )
    return _booked_at(followup) + warning


def queue_row(row: QueueRow) -> str:
    """One ``<tr>`` of the queue table (with the whitespace the row template had), every
    value escaped (``autoescaped``)."""
    followup = row.followup
    phone, email = _contact(row)
    return ROW.format(
        uuid=autoescaped(followup.uuid),
        url=autoescaped(uuid_url("treatments:followup_detail", followup.uuid)),
        name=autoescaped(row.patient.full_name),
        phone=phone,
        email=email,
        kind=autoescaped(followup.get_kind_display()),
        due_from=autoescaped(day_month_year(followup.due_from)),
        due_until=autoescaped(day_month_year(followup.due_until)),
        overdue='<span class="badge text-bg-danger">Overdue</span>' if row.overdue else "",
        earliest=_earliest(row),
        booked=_booking(row),
        neurologists=", ".join(autoescaped(name) for name in row.neurologists),
    )


@register.simple_tag
def queue_rows(rows: Iterable[QueueRow]) -> SafeString:
    """Every row of one queue table."""
    return mark_safe("".join(queue_row(row) for row in rows))  # nosec B308 B703 # escaped
