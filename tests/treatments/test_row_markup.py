"""``autoescaped`` prints what Django's autoescape (``conditional_escape``) prints."""

from __future__ import annotations

import pytest
from django.utils.functional import lazy
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from treatments.templatetags.row_markup import autoescaped

VALUES = [
    "plain",
    "O'Brien <b>",
    'a "quoted" & <i>odd</i> name',
    mark_safe("<strong>safe</strong>"),
    lazy(lambda: "<lazy> & text", str)(),
    42,
    "",
]


@pytest.mark.parametrize("value", VALUES)
def test_it_escapes_as_conditional_escape_does(value):
    assert autoescaped(value) == str(conditional_escape(value))
