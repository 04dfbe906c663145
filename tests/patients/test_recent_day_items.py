# ruff: noqa: E501 (the template loop is quoted as it was)
"""The "previous days" items written in Python (``{% recent_day_items %}``, issue 8) are the
markup the template loop wrote, byte for byte: on Today and on the care team's page."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from uuid import UUID

import pytest
from django.template import engines

from patients.selectors.diary import DayStatus

# The loop as templates/patients/includes/recent_days.html had it before the tag.
LOOP = """{% load diary_links %}{% for status in recent %}
    <li>
      <a class="day-link{% if status.logged %} is-logged{% else %} is-missing{% endif %}"
         href="{% if clinician %}{% url 'patients:diary_entry_edit' patient_uuid=patient.uuid day=status.day.isoformat %}{% else %}{% day_link today_url status.day today_date %}{% endif %}"
         {% if status.day == day %}aria-current="date"{% endif %}>
        <span class="day-name">{% if status.day == today_date %}Today{% else %}{{ status.day|date:"D j M" }}{% endif %}</span>
        <span class="day-state">{% if status.logged %}logged{% else %}missing{% endif %}</span>
      </a>
    </li>
    {% endfor %}"""
TAG = """{% load diary_links %}{% if clinician %}{% recent_day_items recent day today_date today_url patient %}{% else %}{% recent_day_items recent day today_date today_url %}{% endif %}"""


@pytest.mark.parametrize("clinician", [False, True])
def test_items_are_the_template_loops_markup(clinician: bool) -> None:
    today = date(2025, 3, 2)
    recent = [
        DayStatus(today, True),
        DayStatus(date(2025, 3, 1), False),
        DayStatus(date(2025, 2, 28), True),
        DayStatus(date(2024, 12, 31), False),
    ]
    context = {
        "recent": recent,
        "day": date(2025, 3, 1),
        "today_date": today,
        "today_url": "/today/",
        "clinician": clinician,
        "patient": SimpleNamespace(uuid=UUID("12345678-1234-5678-1234-567812345678")),
    }
    engine = engines["django"]
    expected = engine.from_string(LOOP).render(context)
    assert engine.from_string(TAG).render(context) == expected
    assert 'aria-current="date"' in expected and "Sat 1 Mar" in expected
