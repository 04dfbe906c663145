"""Widgets every form of the clinic uses in place of Django's own."""

from __future__ import annotations

from html import escape

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


class Textarea(forms.Textarea):
    """A textarea read back with the line breaks the person saw.

    A browser's ``maxlength`` counts a line break as one character, but a form submits it
    as two (CR LF, as HTML's form encoding asks). Read as sent, a note the box let the
    patient type in full would be refused as too long afterwards; read with LF only,
    ``max_length`` counts what the box counted.
    """

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        return value.replace("\r\n", "\n") if isinstance(value, str) else value


class Select(forms.Select):
    """Django's ``Select`` with its markup written in Python instead of a template per option.

    A list of every active neurologist (the follow-up queue's filter) rendered Django's
    option template (and its attributes template) once per name: a sixth of the queue's
    server time (issue 8). This writes the same text as ``select.html``,
    ``select_option.html`` and ``attrs.html`` (tests/clinic/test_select_widget.py renders
    both ways and compares); a list with option groups goes through Django's templates.
    """

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        groups = context["widget"]["optgroups"]
        if any(group_name for group_name, _, _ in groups):
            return super().render(name, value, attrs, renderer)
        options = "".join(
            f'\n  <option value="{escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
            f"{conditional_escape(option['label'])}</option>\n"
            for _, group_choices, _ in groups
            for option in group_choices
        )
        widget = context["widget"]
        return mark_safe(  # nosec B308 B703 # every value in it is escaped
            f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>'
            f"{options}\n</select>"  # the form renderer strips the last line break
        )


def _attrs(attrs: dict) -> str:
    """Attributes as Django's ``attrs.html`` writes them: in order, True bare, False left
    out, each value ``|stringformat:'s'`` (then escaped)."""
    return "".join(
        f" {conditional_escape(key)}"
        if value is True
        else f' {conditional_escape(key)}="{escape(str(value))}"'
        for key, value in attrs.items()
        if value is not False
    )
