"""A database server that takes the connection but never answers (a hung server, a
firewall that swallows packets): the clinic gives up within seconds, so /healthz answers
503 and a request fails, rather than every gunicorn worker and Celery process hanging."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

from django.db import OperationalError
from django.db.utils import ConnectionHandler

from clinic.config import database_config

# How long the test waits: far above any sane connect timeout, far below "forever".
PATIENCE_SECONDS = 30


def test_a_database_server_that_never_answers_is_given_up_on(tmp_path: Path, django_db_blocker):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # the kernel completes the handshake; nobody ever answers
    port = silent.getsockname()[1]
    config = database_config(f"postgres://clinic:secret@127.0.0.1:{port}/clinic", tmp_path, 0)
    handler = ConnectionHandler({"default": config})
    outcome: list[BaseException | None] = []

    def connect() -> None:
        try:
            handler["default"].ensure_connection()
            outcome.append(None)
        except BaseException as error:  # the test reports what happened
            outcome.append(error)

    attempt = threading.Thread(target=connect, daemon=True)
    with django_db_blocker.unblock():  # a connection of its own, to no test database
        attempt.start()
        attempt.join(PATIENCE_SECONDS)
        try:
            assert not attempt.is_alive(), f"still connecting after {PATIENCE_SECONDS} s"
            assert len(outcome) == 1 and isinstance(outcome[0], OperationalError), outcome
        finally:
            silent.close()
            attempt.join(5)
