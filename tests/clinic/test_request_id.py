"""Every request has an id: the proxy's ``X-Request-ID`` when it sends a sane one, else a
new one. The response carries it (gunicorn's access log writes it), and every log line
written while the request is answered names it, so an operator finds the lines of one
request among many workers' without any patient detail in them."""

from __future__ import annotations

import io
import logging
import re

import pytest

from tests.clinic.test_logs import _clinic_handler

pytestmark = pytest.mark.django_db


def logged_while(client, **headers) -> tuple[str, str]:
    """(the response's request id, the clinic's log output) of a page that logs a line
    (Django's "Not Found" warning)."""
    stream = io.StringIO()
    handler = _clinic_handler(stream)
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = client.get("/no-such-page/", headers=headers)
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 404
    return response.headers.get("X-Request-ID", ""), stream.getvalue()


def test_the_proxys_request_id_is_answered_and_logged(client):
    request_id, log = logged_while(client, x_request_id="lb-7f3a9c01")
    assert request_id == "lb-7f3a9c01"
    assert "Not Found: /no-such-page/" in log
    assert "request_id=lb-7f3a9c01" in log


def test_a_request_without_one_gets_its_own(client):
    first, log = logged_while(client)
    second, _ = logged_while(client)
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second
    assert f"request_id={first}" in log


@pytest.mark.parametrize("sent", ["x" * 200, "<script>alert(1)</script>", "a b"])
def test_an_id_that_is_not_a_plain_token_is_replaced(client, sent):
    request_id, log = logged_while(client, x_request_id=sent)
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    assert sent not in log


def test_a_log_line_outside_any_request_says_so():
    stream = io.StringIO()
    handler = _clinic_handler(stream)
    logger = logging.getLogger("tests.request_id")
    logger.addHandler(handler)
    try:
        logger.warning("beat tick")
    finally:
        logger.removeHandler(handler)
    assert "request_id=- " in stream.getvalue()
