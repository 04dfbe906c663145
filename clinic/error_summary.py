"""The error summary at the top of a page: every error, each a link to its field."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms

ErrorLink = tuple[str, str]  # (href, message)


def field_anchor(bound: forms.BoundField) -> str:
    """The id a summary link should jump to: the field, or the first option of a group."""
    widget = bound.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{bound.auto_id}_0"
    return bound.auto_id


def form_errors(
    form: forms.BaseForm,
    anchors: Mapping[str, str] | None = None,
    non_field_anchor: str = "main",
) -> list[ErrorLink]:
    """The errors of ``form`` in field order; ``anchors`` overrides a field's target id."""
    anchors = anchors or {}
    links: list[ErrorLink] = [(f"#{non_field_anchor}", str(e)) for e in form.non_field_errors()]
    for name in form.fields:
        bound = form[name]
        target = anchors.get(name) or field_anchor(bound)
        links.extend((f"#{target}", str(error)) for error in bound.errors)
    return links


def formset_errors(formset: forms.BaseFormSet, anchor: str) -> list[ErrorLink]:
    """The errors of a formset: its own first (linked to ``anchor``), then each form's."""
    links: list[ErrorLink] = [(f"#{anchor}", str(e)) for e in formset.non_form_errors()]
    for form in formset.forms:
        links.extend(form_errors(form, non_field_anchor=anchor))
    return links
