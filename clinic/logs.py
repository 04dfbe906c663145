"""Log output that holds no health data, whatever an exception says.

Our own log calls write ids and exception types only. An exception's text is not ours: a
database error's DETAIL lists the row's values (a patient's id and a diary date), a
validation error may quote what was typed. Every traceback is therefore written with its
frames (file, line, function, source line) and each exception's type, never its text.
Libraries that put an exception, a task's arguments or its return value into the message
itself (Celery's "Task … raised unexpected: %(exc)s") have those withheld by a filter.
"""

from __future__ import annotations

import logging
import re
import traceback
import uuid
from collections.abc import Mapping
from contextvars import ContextVar
from types import TracebackType

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]
WITHHELD = "(text withheld)"
# Celery's task log messages (celery.app.trace) name these in their mapping of arguments.
TEXT_KEYS = frozenset({"exc", "return_value", "args", "kwargs", "traceback"})


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
    """A formatter whose tracebacks carry no exception text (``exception_without_text``),
    and whose records name the request being answered (``request_id``, "-" outside any)."""

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id.get()
        return super().format(record)

    def formatException(self, ei: ExcInfo) -> str:
        return exception_without_text(ei[1])


class Withheld(str):
    """Text in place of what was withheld; written the same with %s and %r."""

    def __repr__(self) -> str:
        return str(self)


def type_name(error: BaseException) -> Withheld:
    kind = type(error)
    return Withheld(f"{kind.__module__}.{kind.__qualname__} {WITHHELD}")


def arguments_without_text(args: object) -> object:
    """A log record's arguments with exceptions, task arguments and results withheld."""
    if isinstance(args, Mapping):
        return {
            key: Withheld(WITHHELD) if key in TEXT_KEYS else value for key, value in args.items()
        }
    if isinstance(args, tuple):
        return tuple(type_name(arg) if isinstance(arg, BaseException) else arg for arg in args)
    return args


class NoExceptionTextFilter(logging.Filter):
    """Withholds the text a library writes into the message itself (``arguments_without_text``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.args = arguments_without_text(record.args)
        if isinstance(getattr(record, "data", None), Mapping):  # Celery's copy for formatters
            record.data = arguments_without_text(record.data)
        return True


# Parts of a URL that are secrets (an invitation's or password reset's token, a calendar
# feed's address): the URL pattern's names for them. A log line names the page, not these.
SECRET_URL_PARTS = frozenset({"token", "uidb64"})
REDACTED = "[redacted]"


# A path segment that may be a secret where the path matches no page (a feed address cut
# short, a link mistyped): a long run of token characters that is not a UUID.
_TOKEN_LIKE = re.compile(r"[A-Za-z0-9_-]{20,}")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def path_for_log(path: str) -> str:
    """``path`` with the secrets in it (``SECRET_URL_PARTS`` of the URL pattern it matches)
    replaced by ``REDACTED``; in a path that matches no page, every run of 20 or more token
    characters but a UUID is replaced (any of them could be a token)."""
    from django.urls import Resolver404, resolve

    try:
        match = resolve(path)
    except (Resolver404, ValueError):
        return _TOKEN_LIKE.sub(_redact_unless_uuid, path)
    for name, value in match.kwargs.items():
        if name in SECRET_URL_PARTS and value:
            path = path.replace(str(value), REDACTED)
    return path


def _redact_unless_uuid(found: re.Match) -> str:
    return found.group() if _UUID.fullmatch(found.group()) else REDACTED


def request_line_for_log(line: str) -> str:
    """An HTTP request line ("GET /calendar/<token>.ics?x=1 HTTP/1.1") with its path as
    ``path_for_log`` gives it and without its query string (as gunicorn's access log)."""
    parts = line.split(" ")
    if len(parts) != 3:
        return _TOKEN_LIKE.sub(_redact_unless_uuid, line.split("?", 1)[0])
    method, target, protocol = parts
    return f"{method} {path_for_log(target.split('?', 1)[0])} {protocol}"


# runserver's logger (``make run``): its lines' first argument is the request line.
RUNSERVER_LOGGER = "django.server"


class NoSecretPathFilter(logging.Filter):
    """Django's request and security lines ("Not Found: %s", "Method Not Allowed (%s): %s",
    "Forbidden (CSRF …): %s") name the request's path: written as ``path_for_log`` gives it,
    as in gunicorn's access log, so no token reaches the log. runserver's lines (``"GET …
    HTTP/1.1" 200 …``) name the request line: written as ``request_line_for_log`` gives it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == RUNSERVER_LOGGER and isinstance(record.args, tuple) and record.args:
            first, *rest = record.args
            if isinstance(first, str):
                record.args = (request_line_for_log(first), *rest)
            return True
        request = getattr(record, "request", None)
        paths = {getattr(request, "path", None), getattr(request, "path_info", None)} - {None}
        if paths and isinstance(record.args, tuple):
            record.args = tuple(
                path_for_log(arg) if isinstance(arg, str) and arg in paths else arg
                for arg in record.args
            )
        return True


def axes_client_str(username, ip_address, user_agent, path_info, request) -> str:
    """How django-axes names a sign-in attempt in its log lines (``AXES_CLIENT_STR_CALLABLE``):
    the page only, as ``path_for_log`` writes it (a sign-in through an invitation's link
    would otherwise write its token). Not the username, address or browser: axes masks the
    first two anyway, and its database rows and the audit trail keep them."""
    if isinstance(path_info, (tuple, list)):
        path_info = path_info[0] if path_info else ""
    return f'{{path_info: "{path_for_log(path_info or "")}"}}'


# --- Request ids ---------------------------------------------------------------------------
# The id of the request being answered ("-" outside any): the proxy's X-Request-ID when it
# is a plain token, else a new one (clinic.middleware.RequestIdMiddleware). Every log line
# names it (NoExceptionTextFormatter); the response carries it, and gunicorn's access log writes it.
NO_REQUEST = "-"
REQUEST_ID_HEADER = "X-Request-ID"
_PLAIN_TOKEN = re.compile(r"[A-Za-z0-9._-]{1,64}")
current_request_id: ContextVar[str] = ContextVar("current_request_id", default=NO_REQUEST)


def request_id_from(sent: str | None) -> str:
    """The proxy's id when it is a plain token of at most 64 characters (what goes into a
    log line must not be arbitrary text), else a new random one."""
    if sent and _PLAIN_TOKEN.fullmatch(sent):
        return sent
    return uuid.uuid4().hex
