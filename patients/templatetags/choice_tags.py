"""The radio and checkbox inputs of a choice field, built in Python in one pass.

Why: the diary page shows up to a dozen 0-10 scales of eleven radio buttons each. Django's
``{{ choice.tag }}`` renders three nested widget templates per option (option, input,
attrs), which made those scales most of the Today page's server time (issue 8). This filter
builds the same ``<input>`` markup from the same widget data (``BoundField.subwidgets``:
names, values, ids, ``required``, ``checked``, ``aria-invalid``), so the HTML, field names,
ids and attributes are unchanged; crispy-forms still lays out the form and its field
templates (``patients/fields/*.html``) keep the fieldsets, legends, hints, errors and labels.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.forms import BoundField
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@dataclass(frozen=True, slots=True)
class ChoiceInput:
    """One option: its ``<input>`` tag, the id its label points to, and the label text."""

    tag: SafeString
    id_for_label: str
    choice_label: str


def _attrs(attrs: dict) -> SafeString:
    """Attributes as Django's ``attrs.html`` writes them: in order, True bare, False left out."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(format_html(' {}="{}"', name, str(value)))
    return mark_safe("".join(parts))  # every part is escaped above


def _input_tag(option: dict) -> SafeString:
    """Django's ``input.html`` for one option (``BoundWidget.tag()`` without a label)."""
    value = option["value"]
    value_attr = format_html(' value="{}"', str(value)) if value is not None else ""
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        option["type"],
        option["name"],
        value_attr,
        _attrs(option["attrs"]),
    )


@register.filter
def choice_inputs(field: BoundField) -> list[ChoiceInput]:
    """The options of a radio/checkbox field, each with its ready ``<input>`` tag."""
    return [
        ChoiceInput(
            tag=_input_tag(widget.data),
            id_for_label=widget.id_for_label,
            choice_label=widget.choice_label,
        )
        for widget in field.subwidgets
    ]
