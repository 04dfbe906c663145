"""The queue's rows built by ``{% queue_rows %}`` are the text the row template printed.

``ROW_TEMPLATE`` (queue_rows_reference.html beside this file) is the row markup the queue
table had before its rows were built in Python (treatments/templatetags/queue_tags.py);
every branch of it is rendered both ways.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import timezone

from patients.models import Patient
from treatments.models import FollowUp
from treatments.selectors.followups import QueueRow

# The row markup of templates/treatments/includes/queue_table.html before this change.
ROW_TEMPLATE = (Path(__file__).parent / "queue_rows_reference.html").read_text()

Kind, Status = FollowUp.Kind, FollowUp.Status
BOOKED = datetime(2026, 3, 9, 22, 30, tzinfo=UTC)  # the next day east of UTC


def row(
    *,
    kind: str = Kind.REINJECTION,
    status: str = Status.DUE,
    scheduled_at: datetime | None = None,
    phone: str = "+43 1 234",
    email: str = "a@example.org",
    first_name: str = "Anna",
    neurologists: tuple[str, ...] = ("Dr One", "Dr Two"),
    **flags,
) -> QueueRow:
    patient = Patient(first_name=first_name, last_name="O'Brien <b>", phone=phone, email=email)
    followup = FollowUp(
        uuid=uuid.uuid4(),
        patient=patient,
        kind=kind,
        status=status,
        due_from=date(2026, 3, 1),
        due_until=date(2026, 3, 14),
        scheduled_at=scheduled_at,
    )
    fields = {"earliest": None, "overdue": False, **flags}
    return QueueRow(followup=followup, neurologists=neurologists, **fields)


ROWS = [
    row(),
    row(kind=Kind.REVIEW, phone="", email=""),
    row(phone="", first_name="Ann & <i>Bo</i>"),
    row(email="", neurologists=()),
    row(overdue=True, earliest=date(2026, 3, 5)),
    row(earliest=date(2026, 3, 5), early_allowed=True),
    row(status=Status.MISSED, overdue=True),
    row(status=Status.MISSED, scheduled_at=BOOKED),
    row(status=Status.SCHEDULED, scheduled_at=BOOKED),
    row(
        status=Status.SCHEDULED, scheduled_at=BOOKED, earliest=date(2026, 3, 20), booked_early=True
    ),
    row(neurologists=("Dr <script>", "Dr & Co")),
]


def render(source: str, rows: list[QueueRow]) -> str:
    return Template(source).render(Context({"rows": rows}))


@pytest.mark.parametrize("zone", ["UTC", "Europe/Vienna", "America/New_York"])
def test_the_rows_are_the_text_the_row_template_printed(zone):
    with timezone.override(zone):
        ours = render("{% load queue_tags %}{% queue_rows rows %}", ROWS)
        before = render(ROW_TEMPLATE, ROWS)
    assert ours == before
    assert "O&#x27;Brien &lt;b&gt;" in ours  # escaped, once
    assert "Dr &lt;script&gt;, Dr &amp; Co" in ours


@pytest.mark.parametrize("single", ROWS)
def test_each_row_alone(single):
    assert render("{% load queue_tags %}{% queue_rows rows %}", [single]) == render(
        ROW_TEMPLATE, [single]
    )


def test_no_rows_print_nothing():
    assert render("{% load queue_tags %}{% queue_rows rows %}", []) == ""


def test_a_row_without_phone_or_email_says_so():
    """An empty contact cell reads as a page that failed to load: staff are told there is
    nothing to call or write to, so they look on the record or ask the neurologist."""
    html = render("{% load queue_tags %}{% queue_rows rows %}", [row(phone="", email="")])
    contact = html.split("<td>")[1].split("</td>")[0]
    assert "No phone or email on file" in contact
    for single in (row(phone=""), row(email="")):
        assert "No phone or email" not in render(
            "{% load queue_tags %}{% queue_rows rows %}", [single]
        )
