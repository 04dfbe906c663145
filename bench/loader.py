"""Writing the synthetic clinic into the database: COPY on PostgreSQL, inserts on SQLite.

``load_clinic`` runs in a Django process whose default database is the target. Rows are
buffered per model and flushed, parents first, every ``FLUSH_ROWS`` rows. Fields a row does
not name are filled from the model (its default, NULL, or now() for auto_now fields), so
columns that later migrations add do not break the generator; a required field without a
default stops the load with a message naming it.

A marker table ``bench_seed`` records the clinic's parameters, the migrations it was
loaded under and the counts; ``marker_matches`` tells a caller it can reuse the database.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models

from bench.catalog import ensure_catalog
from bench.config import ClinicSize
from bench.generator import ClinicPlan, IdAllocator, Rows, clinic_rows

BENCH_PASSWORD = "bench-clinic-password-2026"  # noqa: S105  (synthetic users only)
FLUSH_ROWS = 200_000
# Parents before children, so every flush satisfies the foreign keys.
LOAD_ORDER = (
    "clinic.User",
    "patients.Patient",
    "patients.Patient_care_team",
    "patients.AffectedRegion",
    "patients.DiaryEntry",
    "patients.RegionSeverity",
    "treatments.InjectionVisit",
    "treatments.InjectionSite",
    "treatments.FollowUp",
    "treatments.CycleProfile",
    "clinic.Notification",
)
MARKER_TABLE = "bench_seed"


def model_for(label: str) -> type[models.Model]:
    app_label, name = label.split(".")
    return apps.get_model(app_label, name)


@dataclass(frozen=True)
class TableSpec:
    """How tuples of ``fields`` become full rows of a model's table."""

    table: str
    columns: tuple[str, ...]
    fillers: tuple[Callable[[], object], ...]  # one per field the generator leaves out

    def complete(self, row: tuple) -> tuple:
        if not self.fillers:
            return row
        return row + tuple(fill() for fill in self.fillers)


def _filler(model: type[models.Model], field: models.Field) -> Callable[[], object]:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        now = datetime.now(UTC)
        return lambda: now
    if field.has_default():
        if callable(field.default):
            if isinstance(field, models.JSONField):
                return lambda: json.dumps(field.get_default())
            return field.get_default
        value = field.get_default()
        if isinstance(field, models.JSONField):
            value = json.dumps(value)
        return lambda: value
    if field.null:
        return lambda: None
    if field.empty_strings_allowed:
        return lambda: ""  # what Model.save() stores for a string field left unset
    raise SystemExit(
        f"bench generator: {model._meta.label}.{field.name} is required and has no default; "
        "add it to bench/generator.py"
    )


def table_spec(label: str, fields: Sequence[str]) -> TableSpec:
    model = model_for(label)
    concrete = {f.attname: f for f in model._meta.concrete_fields}
    unknown = [name for name in fields if name not in concrete]
    if unknown:
        raise SystemExit(f"bench generator: {label} has no field(s) {unknown}")
    missing = [f for name, f in concrete.items() if name not in fields]
    columns = tuple(concrete[name].column for name in fields) + tuple(f.column for f in missing)
    return TableSpec(model._meta.db_table, columns, tuple(_filler(model, f) for f in missing))


class PostgresWriter:
    """COPY ... FROM STDIN through psycopg 3 (the fastest way into PostgreSQL)."""

    def write(self, spec: TableSpec, rows: Iterable[tuple]) -> None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(c) for c in spec.columns)
        sql = f"COPY {quote(spec.table)} ({columns}) FROM STDIN"
        connection.ensure_connection()
        with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
            complete, write_row = spec.complete, copy.write_row
            for row in rows:
                write_row(complete(row))


def _sqlite_value(value: object) -> object:
    if isinstance(value, uuid.UUID):
        return value.hex  # Django keeps UUIDs as 32 hex characters on SQLite
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if value is not None and not isinstance(value, int | float | str):
        return str(value)
    return value


class SqliteWriter:
    """executemany INSERTs (for the smoke test on the default SQLite test database)."""

    def write(self, spec: TableSpec, rows: Iterable[tuple]) -> None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(c) for c in spec.columns)
        marks = ", ".join(["%s"] * len(spec.columns))
        sql = f"INSERT INTO {quote(spec.table)} ({columns}) VALUES ({marks})"  # noqa: S608  # nosec B608 # quoted model names
        data = [tuple(_sqlite_value(v) for v in spec.complete(row)) for row in rows]
        with connection.cursor() as cursor:
            cursor.executemany(sql, data)


def writer_for_connection() -> PostgresWriter | SqliteWriter:
    return PostgresWriter() if connection.vendor == "postgresql" else SqliteWriter()


class BufferedLoader:
    """Collects Rows per model and flushes them in LOAD_ORDER."""

    def __init__(self, writer: PostgresWriter | SqliteWriter) -> None:
        self.writer = writer
        self.buffers: dict[str, list[tuple]] = {}
        self.specs: dict[str, TableSpec] = {}
        self.fields: dict[str, tuple[str, ...]] = {}
        self.counts: dict[str, int] = {}
        self.pending = 0

    def add(self, batch: Rows) -> None:
        if batch.label not in self.specs:
            self.specs[batch.label] = table_spec(batch.label, batch.fields)
            self.fields[batch.label] = batch.fields
        elif self.fields[batch.label] != batch.fields:
            raise ValueError(f"{batch.label}: rows with different fields in one load")
        self.buffers.setdefault(batch.label, []).extend(batch.rows)
        self.pending += len(batch.rows)
        if self.pending >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        unknown = set(self.buffers) - set(LOAD_ORDER)
        if unknown:
            raise ValueError(f"no load order for {sorted(unknown)}")
        for label in LOAD_ORDER:
            rows = self.buffers.get(label)
            if rows:
                self.writer.write(self.specs[label], rows)
                self.counts[label] = self.counts.get(label, 0) + len(rows)
                rows.clear()
        self.pending = 0


def next_ids() -> IdAllocator:
    """Start every generated id above what the table already holds."""
    start = {}
    for label in LOAD_ORDER:
        model = model_for(label)
        top = model.objects.aggregate(top=models.Max("id"))["top"] or 0
        start[label] = top + 1
    return IdAllocator(start)


def reset_sequences() -> None:
    sql = connection.ops.sequence_reset_sql(no_style(), [model_for(x) for x in LOAD_ORDER])
    with connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)


def analyse_tables() -> None:
    """VACUUM ANALYZE the loaded tables (PostgreSQL): planner statistics, visibility map."""
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for label in LOAD_ORDER:
            cursor.execute(f"VACUUM (ANALYZE) {quote(model_for(label)._meta.db_table)}")


def load_clinic(
    size: ClinicSize, today: date, progress: Callable[[str], None] | None = None
) -> dict[str, int]:
    """Generate and load the whole clinic into the default database; return row counts."""
    plan = ClinicPlan(
        size=size,
        today=today,
        password_hash=make_password(BENCH_PASSWORD),
        catalog=ensure_catalog(),
        ids=next_ids(),
    )
    loader = BufferedLoader(writer_for_connection())
    total = size.patients + len(size.showcase_days)
    started = time.monotonic()

    def report(done: int) -> None:
        if progress is not None and (done % 250 == 0 or done == total):
            rows = sum(loader.counts.values()) + loader.pending
            progress(
                f"  {done}/{total} patients, {rows:,} rows, {time.monotonic() - started:.0f} s"
            )

    for batch in clinic_rows(plan, report):
        loader.add(batch)
    loader.flush()
    reset_sequences()
    return {label: loader.counts.get(label, 0) for label in LOAD_ORDER}


# --- the marker ------------------------------------------------------------------------


def migrations_fingerprint() -> str:
    """A hash of the migration files on disk: a database loaded under others is re-seeded."""
    from django.db.migrations.loader import MigrationLoader

    names = sorted(f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations)
    return hashlib.sha1("\n".join(names).encode(), usedforsecurity=False).hexdigest()[:16]


def generator_fingerprint() -> str:
    """A hash of the generator's source: rows it would now write differently are re-seeded."""
    from pathlib import Path

    source = (Path(__file__).with_name("generator.py")).read_bytes()
    return hashlib.sha1(source, usedforsecurity=False).hexdigest()[:16]


def _ensure_marker_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (key TEXT PRIMARY KEY,"
            " params TEXT NOT NULL, seeded_on TEXT NOT NULL, seconds REAL NOT NULL,"
            " counts TEXT NOT NULL)"
        )


def marker_params(size: ClinicSize) -> str:
    fingerprints = {"migrations": migrations_fingerprint(), "generator": generator_fingerprint()}
    return json.dumps({**size.as_marker(), **fingerprints}, sort_keys=True)


def read_marker() -> dict[str, object] | None:
    """The marker row, or None when the database holds no finished bench clinic."""
    if MARKER_TABLE not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT params, seeded_on, seconds, counts FROM {MARKER_TABLE} WHERE key = %s",  # noqa: S608  # nosec B608 # constant table
            ["clinic"],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    params, seeded_on, seconds, counts = row
    return {
        "params": params,
        "seeded_on": seeded_on,
        "seconds": seconds,
        "counts": json.loads(counts),
    }


def marker_matches(size: ClinicSize) -> bool:
    marker = read_marker()
    return marker is not None and marker["params"] == marker_params(size)


def write_marker(size: ClinicSize, today: date, seconds: float, counts: dict[str, int]) -> None:
    _ensure_marker_table()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {MARKER_TABLE} WHERE key = %s", ["clinic"])  # noqa: S608  # nosec B608 # constant table
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} (key, params, seeded_on, seconds, counts)"  # noqa: S608  # nosec B608 # constant table
            " VALUES (%s, %s, %s, %s, %s)",
            ["clinic", marker_params(size), today.isoformat(), seconds, json.dumps(counts)],
        )
