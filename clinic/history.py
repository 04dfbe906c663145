"""The change reason django-simple-history keeps with each historical row.

Its column, ``history_change_reason``, is a varchar(100): a longer text fails on PostgreSQL
(SQLite does not check). The record itself keeps the whole reason in its own field; only
the history line is shortened, and says so with an ellipsis.
"""

from __future__ import annotations

from django.db.models import Model


def history_reason(model: type[Model], text: str) -> str:
    """``text`` shortened to fit ``model``'s history change reason."""
    field = model.history.model._meta.get_field("history_change_reason")
    limit = field.max_length
    return text if limit is None or len(text) <= limit else f"{text[: limit - 1]}…"
