"""The error summary at the top of a page: every error, each a link to its field.

Away from its field a message must still say which field it is about. A field's own words
(its ``error_messages``, e.g. "Choose a reminder time, for example 19:00.") name the
question already; any other message (Django's "This field is required.", a validator's or a
password rule's) is shown after the field's label: "Username: This field is required."
"""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError

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
        links.extend((f"#{target}", summary_message(bound, e)) for e in bound.errors.as_data())
    return links


def summary_message(bound: forms.BoundField, error: ValidationError) -> str:
    """``error`` as the summary shows it: prefixed with the field's label unless the field
    words it itself; hidden fields have no label on the page and are never prefixed."""
    text = " ".join(error.messages)
    if bound.is_hidden or not bound.label or _is_fields_own_message(bound.field, error):
        return text
    return f"{bound.label}: {text}"


def _is_fields_own_message(field: forms.Field, error: ValidationError) -> bool:
    own = field.error_messages.get(error.code)
    return own is not None and str(own) != str(_default_messages(type(field)).get(error.code))


def _default_messages(field_class: type[forms.Field]) -> dict:
    messages: dict = {}
    for cls in reversed(field_class.__mro__):
        messages.update(getattr(cls, "default_error_messages", {}))
    return messages


def formset_errors(formset: forms.BaseFormSet, anchor: str) -> list[ErrorLink]:
    """The errors of a formset: its own first (linked to ``anchor``), then each form's."""
    links: list[ErrorLink] = [(f"#{anchor}", str(e)) for e in formset.non_form_errors()]
    for form in formset.forms:
        links.extend(form_errors(form, non_field_anchor=anchor))
    return links
