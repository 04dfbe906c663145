"""The web server's access log (gunicorn, as the image and compose start it): one line per
request that names the path, never a query string (a staff search for a patient's name),
a referring page or a secret in the path (an invitation's or password reset's token, a
calendar feed's address)."""

from __future__ import annotations

import logging
import shlex
import sys
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from gunicorn.app.wsgiapp import WSGIApplication

ROOT = Path(__file__).resolve().parents[2]


def dockerfile_command() -> list[str]:
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("CMD "):
            return yaml.safe_load(line.removeprefix("CMD "))
    raise AssertionError("the Dockerfile has no CMD")


def compose_web_command() -> list[str]:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    command = compose["services"]["web"]["command"]
    return command if isinstance(command, list) else shlex.split(command)


def gunicorn_logger(command: list[str], monkeypatch):
    """gunicorn's logger, configured from ``command`` as gunicorn itself reads it."""
    assert command[0] == "gunicorn"
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("GUNICORN_CMD_ARGS", raising=False)
    monkeypatch.setattr(sys, "argv", command)
    application = WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]", prog="gunicorn")
    return application.cfg.logger_class(application.cfg)


def access_line(logger, path: str, query: str = "", referer: str = "") -> str:
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    logger.access_log.addHandler(Collect())
    raw_uri = path + (f"?{query}" if query else "")
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": raw_uri,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.7",
        "HTTP_REFERER": referer,
        "HTTP_USER_AGENT": "Mozilla/5.0",
    }
    headers = [("HOST", "clinic.example"), ("REFERER", referer)]
    request = SimpleNamespace(headers=headers)
    response = SimpleNamespace(status="200 OK", sent=512, headers=[("X-Request-ID", "rq-42")])
    logger.access(response, request, environ, timedelta(milliseconds=42))
    assert len(records) == 1, records
    return records[0]


@pytest.fixture(params=["Dockerfile", "docker-compose.yml"])
def logger(request, monkeypatch):
    command = dockerfile_command() if request.param == "Dockerfile" else compose_web_command()
    return gunicorn_logger(command, monkeypatch)


def test_a_search_is_logged_as_its_path_without_what_was_searched(logger):
    line = access_line(
        logger,
        "/patients/",
        query="q=Pearson+Leroy",
        referer="https://clinic.example/patients/?q=Pearson",
    )
    assert "/patients/" in line and " 200 " in line
    assert "Pearson" not in line and "q=" not in line


@pytest.mark.parametrize(
    ("path", "secret"),
    [
        ("/invitation/Zx81secretInvitationToken0123/", "Zx81secretInvitationToken0123"),
        ("/accounts/password/reset/MTI/cz4k1q-0123456789abcdef0123/", "cz4k1q-0123456789abcdef"),
        ("/calendar/feedSecretToken0123456789abc.ics", "feedSecretToken0123456789abc"),
    ],
)
def test_a_secret_in_the_path_is_not_logged(logger, path, secret):
    line = access_line(logger, path)
    assert secret not in line
    assert path.split("/")[1] in line  # which page it was stays readable


def test_the_line_names_the_requests_id(logger):
    assert "request_id=rq-42" in access_line(logger, "/today/")
