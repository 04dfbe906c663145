"""Database-level chores on a PostgreSQL server, through psycopg (no Django).

Every function refuses names outside the bench's own prefix (``clinic_bench*``): the
shared server also holds other engineers' databases, which the bench never touches.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from bench.config import is_bench_database


def _guard(name: str) -> None:
    if not is_bench_database(name):
        raise SystemExit(f"refusing to touch database {name!r}: not a clinic_bench* database")


def admin_url(server_url: str) -> str:
    """The maintenance database ``postgres`` on the server of ``server_url``."""
    parts = urlsplit(server_url)
    return urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))


def split_database(url: str) -> tuple[str, str]:
    """postgres://host/name -> (server URL, name)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "", "", "")), parts.path.lstrip("/")


def connect_admin(server_url: str, timeout: int = 5) -> psycopg.Connection:
    return psycopg.connect(admin_url(server_url), autocommit=True, connect_timeout=timeout)


def database_exists(server_url: str, name: str) -> bool:
    with connect_admin(server_url) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return row is not None


def create_database(server_url: str, name: str) -> bool:
    """Create the database unless it exists; True when it was created."""
    _guard(name)
    if database_exists(server_url, name):
        return False
    with connect_admin(server_url) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return True


def drop_database(server_url: str, name: str) -> None:
    """Drop the database (and end the bench's own sessions on it)."""
    _guard(name)
    with connect_admin(server_url) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def server_version(server_url: str) -> str:
    with connect_admin(server_url) as conn:
        return str(conn.execute("SHOW server_version").fetchone()[0])


def execute(url: str, statement: str, params: list | None = None) -> list[tuple]:
    """Run one statement on the database of ``url`` and return its rows (if any)."""
    _guard(split_database(url)[1])
    with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
        cursor = conn.execute(statement, params or [])
        return cursor.fetchall() if cursor.description else []
