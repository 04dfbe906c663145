"""The embedded SQLite database (``make run``, no DATABASE_URL): two processes' transactions
that read and then write (the worker claiming a delivery while beat's scan or a web request
writes) both succeed, one after the other.

SQLite's default deferred transaction takes its write lock only at the first write; when
two such transactions have both read, the second writer cannot wait for the first (each
holds what the other needs) and fails at once with "database is locked", whatever the busy
timeout: a worker's task raised it in ``make run``. Begun IMMEDIATE, a transaction takes
the write lock at its start and the other waits for it, up to the busy timeout.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from django.db import connections, transaction

from clinic.config import database_config

# How long the first transaction waits for the second to have read. Under deferred
# transactions the second has read at once; begun IMMEDIATE, it waits at its start for the
# first to commit, so the first goes on after this bound (it only bounds the test's time).
SECOND_HAS_READ_WITHIN_SECONDS = 3


@pytest.fixture
def two_connections(tmp_path: Path, django_db_blocker):
    """Two aliases of one new database file, configured as ``make run`` configures it (no
    test database: each thread opens its own connection, as two processes would)."""
    config = database_config(None, tmp_path, 0)
    aliases = ("sqlite_first", "sqlite_second")
    configured = connections.configure_settings(
        {alias: dict(config) for alias in ("default", *aliases)}
    )
    for alias in aliases:
        connections.settings[alias] = configured[alias]
    with django_db_blocker.unblock():
        with connections["sqlite_first"].cursor() as cursor:
            cursor.execute("CREATE TABLE counter (value integer)")
            cursor.execute("INSERT INTO counter VALUES (0)")
        yield aliases
        for alias in aliases:
            connections[alias].close()
            del connections[alias]
            del connections.settings[alias]


def _read_then_add_one(alias: str, have_read: threading.Event, wait_for: threading.Event | None):
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        cursor.execute("SELECT value FROM counter")
        value = cursor.fetchone()[0]
        have_read.set()
        if wait_for is not None:
            wait_for.wait(SECOND_HAS_READ_WITHIN_SECONDS)
        cursor.execute("UPDATE counter SET value = %s", [value + 1])


def test_two_read_then_write_transactions_both_succeed(two_connections):
    first, second = two_connections
    first_read, second_read = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def run(alias, have_read, wait_for):
        try:
            _read_then_add_one(alias, have_read, wait_for)
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            have_read.set()
            connections[alias].close()

    one = threading.Thread(target=run, args=(first, first_read, second_read))
    one.start()
    assert first_read.wait(10)
    two = threading.Thread(target=run, args=(second, second_read, None))
    two.start()
    one.join(30)
    two.join(30)

    assert errors == []
    with connections[first].cursor() as cursor:
        cursor.execute("SELECT value FROM counter")
        assert cursor.fetchone()[0] == 2  # neither update was lost
