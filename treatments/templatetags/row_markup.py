"""Escaping for the list rows that template tags build in Python (queue_tags,
neurologist_home_tags): what the template's autoescape prints, without its per-call cost.

Django's ``conditional_escape`` and ``format_html`` go through ``keep_lazy`` wrappers that
look at every argument for lazy strings; for the dozen values of each of fifty rows that
cost as much as the template lookups they replace. ``autoescaped`` is the same rule
(tests/treatments/test_row_markup.py compares them): safe text as it is, anything else
``html.escape``d, as ``django.utils.html.escape`` does.
"""

from __future__ import annotations

from html import escape


def autoescaped(value: object) -> str:
    """``value`` as ``{{ value }}`` prints a string or date text under autoescape."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))
