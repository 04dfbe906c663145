"""Widgets every form of the clinic uses in place of Django's own."""

from __future__ import annotations

from django import forms


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
