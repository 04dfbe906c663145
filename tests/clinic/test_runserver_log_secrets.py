"""Review: `make run` serves with runserver, whose `django.server` lines ("GET
/calendar/<token>.ics HTTP/1.1" 200 …) went through Django's own handler, not the clinic's:
every invitation, password reset and calendar feed address was written whole. Now they
go through the clinic's handler, with the path as ``clinic.logs.path_for_log`` gives it
and no query string (as gunicorn's access log)."""

from __future__ import annotations

import io
import logging
import secrets

import pytest
from django.core.servers.basehttp import WSGIRequestHandler
from django.urls import reverse

from clinic.logs import REDACTED

pytestmark = pytest.mark.django_db
TOKEN = secrets.token_urlsafe(32)


def runserver_writes(request_line: str, status: str = "200") -> str:
    """What runserver's handlers write for ``request_line``, as it logs every request."""
    logger = logging.getLogger("django.server")
    streams = [h for h in logger.handlers if isinstance(h, logging.StreamHandler)]
    if logger.propagate:
        streams += [h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)]
    written = io.StringIO()
    old = [handler.setStream(written) for handler in streams]
    try:
        handler = object.__new__(WSGIRequestHandler)
        handler.request = None
        handler.log_message('"%s" %s %s', request_line, status, "179")
    finally:
        for handler, stream in zip(streams, old, strict=True):
            handler.setStream(stream)
    return written.getvalue()


def test_a_feed_address_is_not_written():
    path = reverse("treatments:followup_calendar_feed", kwargs={"token": TOKEN})
    line = runserver_writes(f"GET {path} HTTP/1.1")
    assert TOKEN not in line
    assert REDACTED in line
    assert "200" in line


def test_an_unknown_address_with_a_token_in_it_is_not_written():
    line = runserver_writes(f"GET /invitation/{TOKEN}/nothing HTTP/1.1", status="404")
    assert TOKEN not in line
    assert "404" in line


def test_the_query_string_is_not_written():
    line = runserver_writes(f"GET /staff/patients/?q=Silva&token={TOKEN} HTTP/1.1")
    assert "Silva" not in line
    assert TOKEN not in line
    assert "/staff/patients/" in line
