"""History: the patient's days newest first with the missing ones, and their severity chart."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from patients.models import DiaryEntry
from tests.navigation import current_nav_items
from tests.patients.conftest import TODAY
from tests.patients.factories import DiaryEntryFactory, diary_for

pytestmark = pytest.mark.django_db
URL = reverse("patients:history")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("inactive_user", 302),
        ("patient", 200),
        ("other_patient", 200),
        ("treating_neurologist", 403),
        ("other_neurologist", 403),
        ("staff", 403),
        ("admin", 403),
    ],
    indirect=["persona"],
)
def test_who_may_open_history(client_for, persona, status, patient_record, clock):
    assert client_for(persona).get(URL).status_code == status


def figure_of(html: str) -> dict:
    match = re.search(
        r'<script id="severity-figure" type="application/json">(.*?)</script>', html, re.S
    )
    assert match, "the figure is embedded with json_script"
    return json.loads(match.group(1))


def test_days_are_listed_newest_first_with_missing_days(client_for, patient, patient_record, clock):
    DiaryEntryFactory(patient=patient_record, date=TODAY, severity=4, note="today's note")
    DiaryEntryFactory(patient=patient_record, date=TODAY - timedelta(days=2), severity=7)
    html = client_for(patient).get(URL).content.decode()
    # (explicit roles: the rows stay a table for screen readers when stacked on a phone)
    rows = re.findall(
        r'<tr role="row"(?: class="missing-day")?>\s*<th scope="row" role="rowheader">', html
    )
    assert len(rows) == 28
    assert html.index("Tue 10 Jun 2025") < html.index("Mon 9 Jun 2025") < html.index("Sun 8 Jun")
    assert html.count('class="missing-day"') == 26
    assert "Missing: nothing logged" in html
    assert "today&#x27;s note" in html


def test_every_answer_cell_is_labelled_with_its_column(client_for, patient, patient_record, clock):
    """On a phone each row is stacked and each cell shows its column's name (data-label)."""
    DiaryEntryFactory(patient=patient_record, date=TODAY, severity=4)
    html = client_for(patient).get(URL).content.decode()
    headers = re.findall(r'<th scope="col" role="columnheader">([^<]*)</th>', html)
    assert headers[:2] == ["Day", "Overall"]
    assert "Neck" in headers  # the patient's affected region
    first_row = html[
        html.index('<tbody role="rowgroup">') : html.index("</tr>", html.index("<tbody"))
    ]
    labels = re.findall(r'<td role="cell" data-label="([^"]*)"', first_row)
    assert labels == headers[1:]


@pytest.mark.parametrize("query", [{}, {"page": 2}], ids=["first_page", "second_page"])
def test_the_menu_marks_history_as_the_current_page(client_for, patient, clock, query):
    html = client_for(patient).get(URL, query).content.decode()
    assert current_nav_items(html) == ["History"]


def test_pages_go_back_to_registration(client_for, patient, patient_record, clock):
    days = (TODAY - patient_record.registered_on).days + 1
    last = (days + 27) // 28
    html = client_for(patient).get(URL, {"page": last}).content.decode()
    assert f"Page {last} of {last}" in html
    assert "Mon 1 Jan 2024" in html
    assert "Sun 31 Dec 2023" not in html


def test_the_chart_is_the_patients_own_severity_with_gaps(
    client_for, patient, patient_record, other_patient_record, clock
):
    DiaryEntryFactory(patient=patient_record, date=TODAY, severity=4)
    DiaryEntryFactory(patient=patient_record, date=TODAY - timedelta(days=2), severity=7)
    DiaryEntryFactory(patient=other_patient_record, date=TODAY - timedelta(days=1), severity=10)
    html = client_for(patient).get(URL).content.decode()
    trace = figure_of(html)["data"][0]
    assert trace["x"][-3:] == ["2025-06-08", "2025-06-09", "2025-06-10"]
    assert trace["y"][-3:] == [7, None, 4]
    assert trace["connectgaps"] is False
    assert len(trace["x"]) == 365
    assert "/static/vendor/plotly/plotly.min.js" in html
    assert "/static/js/plotly-figures.js" in html
    assert "you logged 2 of 365 days" in html  # the text alternative
    assert "<script>" not in html  # no inline script (CSP)


@pytest.mark.parametrize("entries", [10, 400])
def test_query_count_does_not_grow_with_the_diary(
    client_for, patient, patient_record, clock, django_assert_num_queries, entries
):
    diary_for(patient_record, TODAY, entries)
    client = client_for(patient)
    client.get(URL)  # warm the session
    # session, user, unread count (menu), patient, regions, page entries (+ entered_by),
    # region scores, chart series, the audit event
    with django_assert_num_queries(9):
        response = client.get(URL)
    assert response.status_code == 200


def test_query_count_is_the_same_for_10_and_400_entries(client_for, patient, patient_record, clock):
    client = client_for(patient)
    diary_for(patient_record, TODAY, 10, every=3)  # a sparse diary: most days missing
    client.get(URL)
    with CaptureQueriesContext(connection) as small:
        client.get(URL, {"page": 2})
    DiaryEntry.objects.all().delete()
    diary_for(patient_record, TODAY, 400)
    with CaptureQueriesContext(connection) as large:
        client.get(URL, {"page": 2})
    assert len(small.captured_queries) == len(large.captured_queries)


def test_no_template_comment_shows_on_the_page(client_for, patient, patient_record, clock):
    DiaryEntryFactory(patient=patient_record, date=TODAY, severity=4)
    html = client_for(patient).get(URL).content.decode()
    assert "{#" not in html and "#}" not in html
