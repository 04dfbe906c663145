"""Log output that holds no health data, whatever an exception says.

Our own log calls write ids and exception types only. An exception's text is not ours: a
database error's DETAIL lists the row's values (a patient's id and a diary date), a
validation error may quote what was typed. Every traceback is therefore written with its
frames (file, line, function, source line) and each exception's type, never its text.
"""

from __future__ import annotations

import logging
import traceback
from types import TracebackType

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def exception_without_text(error: BaseException) -> str:
    """The traceback of ``error`` and of the exceptions it was raised from (cause or
    context), innermost last, with each exception's type in place of its text."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = "".join(traceback.format_tb(current.__traceback__))
        kind = type(current)
        parts.append(
            f"Traceback (most recent call last):\n{frames}"
            f"{kind.__module__}.{kind.__qualname__} (text withheld)"
        )
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    return "\n\nwhile handling or because of:\n".join(reversed(parts))


class NoExceptionTextFormatter(logging.Formatter):
    """A formatter whose tracebacks carry no exception text (``exception_without_text``)."""

    def formatException(self, ei: ExcInfo) -> str:
        return exception_without_text(ei[1])
