# ruff: noqa: E501 (the template loop is quoted as it was)
"""The History rows written in Python (``{% history_rows %}``, issue 8) are the markup the
template loop wrote, byte for byte, for the values that need escaping, cutting or a dash."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from django.template import engines

from patients.selectors.diary import HistoryDay, HistoryPage

# The loop as templates/patients/history.html had it before the tag.
LOOP = """{% load diary_links %}{% for row in history.rows %}
        <tr role="row"{% if not row.entry %} class="missing-day"{% endif %}>
          <th scope="row" role="rowheader">
            <a class="history-day" href="{% day_link today_url row.day today_date %}">{{ row.day|date:"D j M Y" }}</a>
          </th>
          {% if row.entry %}
            <td role="cell" data-label="Overall">{{ row.entry.severity }}</td>
            {% for region, score in row.region_scores %}<td role="cell" data-label="{{ region.label }}">{{ score|default_if_none:"–" }}</td>{% endfor %}
            <td role="cell" data-label="Pain">{{ row.entry.pain }}</td>
            <td role="cell" data-label="Daily activities">{{ row.entry.interference }}</td>
            <td role="cell" data-label="Made it worse">{{ row.entry.trigger_labels|join:", "|default:"–" }}</td>
            <td role="cell" data-label="Note" class="text-break">{{ row.entry.note|truncatechars:80|default:"–" }}</td>
          {% else %}
            <td role="cell" colspan="{{ history.regions|length|add:5 }}"><span class="missing-label">Missing: nothing logged</span></td>
          {% endif %}
        </tr>
        {% endfor %}"""
TAG = "{% load history_rows %}{% history_rows history today_url today_date %}"


def entry(**values) -> SimpleNamespace:
    answers = {"severity": 0, "pain": 10, "interference": 3, "trigger_labels": [], "note": ""}
    return SimpleNamespace(**{**answers, **values})


def test_rows_are_the_template_loops_markup() -> None:
    neck = SimpleNamespace(pk=1, label="Neck")
    hand = SimpleNamespace(pk=2, label='Hand & <wrist> "right"')
    long_note = "A note with <b>tags</b>, & ampersands, 'quotes' and \"more\"; " * 3
    today = date(2025, 6, 10)
    rows = [
        HistoryDay(today, entry(severity=7, note="today's note"), [(neck, 4), (hand, None)]),
        HistoryDay(date(2025, 6, 9), None),
        HistoryDay(
            date(2025, 6, 8),
            entry(trigger_labels=["Stress", "Heat & <sun>"], note=long_note),
            [(neck, 0), (hand, 10)],
        ),
        HistoryDay(date(2024, 12, 31), entry(note="x" * 80), [(neck, None), (hand, None)]),
    ]
    context = {
        "history": HistoryPage(page=None, rows=rows, regions=[neck, hand]),
        "today_url": "/today/",
        "today_date": today,
    }
    engine = engines["django"]
    expected = engine.from_string(LOOP).render(context)
    assert engine.from_string(TAG).render(context) == expected
    assert "Heat &amp; &lt;sun&gt;" in expected and "…" in expected  # the values tested
