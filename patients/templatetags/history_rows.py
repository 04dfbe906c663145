"""``{% history_rows history today_url today_date %}``: the History table's rows, built in
Python in one pass.

Why: a History page has 28 rows of up to a dozen cells; the template loop resolved about
fifteen variables and ran a date and a number filter per cell, which made that loop about
half of the page's server time (issue 8). This tag writes the same markup, whitespace
included, from the same values: each text goes through the filter the template used
(``date``, ``truncatechars``) or its exact equivalent for these values (a score is an int
from 0 to 10, which ``localize`` writes as ``str``), and everything is escaped as
autoescape did. templates/patients/history.html keeps the table, its headers and roles.
"""

from __future__ import annotations

from datetime import date
from html import escape as _html_escape

from django import template
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from patients.days import day_link
from patients.selectors.diary import HistoryDay, HistoryPage

register = template.Library()

NOTE_CHARS = 80  # a note is cut to this many characters (the full note is on its day)
MISSING = "–"
# Cells other than the regions' (day, overall, pain, activities, triggers, note) minus the
# day's header cell: a missing day's one cell spans them and the regions' (colspan).
OTHER_CELLS = 5


def escape(value: object) -> str:
    """Django's ``escape`` (the same ``html.escape``) without its lazy-string wrapper."""
    return _html_escape(str(value))


def _score(value: int | None) -> str:
    """A 0-10 score as ``{{ value|default_if_none:"–" }}`` writes it (``localize`` of an int
    below 1000 is ``str``: no grouping, no decimals)."""
    return MISSING if value is None else str(value)


def _row(row: HistoryDay, today_url: str, today: date, missing_colspan: int) -> str:
    href = escape(day_link(today_url, row.day, today))
    label = escape(date_format(row.day, "D j M Y"))
    entry = row.entry
    missing_class = "" if entry else ' class="missing-day"'
    head = (
        f'\n        <tr role="row"{missing_class}>\n'
        f'          <th scope="row" role="rowheader">\n'
        f'            <a class="history-day" href="{href}">{label}</a>\n'
        f"          </th>\n          "
    )
    if entry is None:
        cells = (
            f'\n            <td role="cell" colspan="{missing_colspan}">'
            f'<span class="missing-label">Missing: nothing logged</span></td>\n          '
        )
    else:
        regions = "".join(
            f'<td role="cell" data-label="{escape(region.label)}">{_score(score)}</td>'
            for region, score in row.region_scores
        )
        triggers = ", ".join(escape(label) for label in entry.trigger_labels) or MISSING
        note = escape(Truncator(entry.note).chars(NOTE_CHARS)) if entry.note else MISSING
        cells = (
            f'\n            <td role="cell" data-label="Overall">{_score(entry.severity)}</td>\n'
            f"            {regions}\n"
            f'            <td role="cell" data-label="Pain">{_score(entry.pain)}</td>\n'
            f'            <td role="cell" data-label="Daily activities">'
            f"{_score(entry.interference)}</td>\n"
            f'            <td role="cell" data-label="Made it worse">{triggers}</td>\n'
            f'            <td role="cell" data-label="Note" class="text-break">{note}</td>\n'
            f"          "
        )
    return f"{head}{cells}\n        </tr>\n        "


@register.simple_tag
def history_rows(history: HistoryPage, today_url: str, today: date) -> SafeString:
    """Every row of the page, newest first: a logged day's answers, or "Missing"."""
    colspan = len(history.regions) + OTHER_CELLS
    html = "".join(_row(row, today_url, today, colspan) for row in history.rows)
    return mark_safe(html)  # nosec B308 B703 # every value in it is escaped above
