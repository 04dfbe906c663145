"""Drill: pg_dump -> restore into a scratch database -> the same tables, counts and diary.

The dump is taken from the full-size bench database in PostgreSQL's custom format
(``pg_dump -Fc``, what README "Backup and restore" tells a clinic to run), restored with
``pg_restore`` into ``clinic_bench_restore``, compared table by table (row counts) and by
an MD5 checksum of every diary row in (patient, date) order, then the scratch database
and the dump file are removed.
"""

from __future__ import annotations

import subprocess
import time

from bench.config import VAR
from bench.faults.common import FAIL, PASS, DrillResult
from bench.pgadmin import create_database, drop_database, execute, split_database

RESTORE_DATABASE = "clinic_bench_restore"
TABLES_SQL = (
    "SELECT table_name FROM information_schema.tables"
    " WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
)
DIARY_CHECKSUM_SQL = (
    "SELECT count(*), md5(string_agg(concat_ws(',', patient_id, date, severity, pain,"
    " interference, triggers::text, note, entered_by_id), '|' ORDER BY patient_id, date))"
    " FROM {table}"
)


def table_counts(url: str) -> dict[str, int]:
    counts = {}
    for (table,) in execute(url, TABLES_SQL):
        counts[table] = execute(url, f'SELECT count(*) FROM "{table}"')[0][0]  # noqa: S608  # nosec B608 # table names come from the catalog query
    return counts


def diary_checksum(url: str, table: str) -> tuple[int, str]:
    count, digest = execute(url, DIARY_CHECKSUM_SQL.format(table=table))[0]
    return count, digest or ""


def run(source_url: str, diary_table: str) -> DrillResult:
    name = "backup: pg_dump, restore, compare"
    started = time.monotonic()
    server, _ = split_database(source_url)
    restore_url = f"{server}/{RESTORE_DATABASE}"
    dump = VAR / "backup-drill.dump"
    VAR.mkdir(parents=True, exist_ok=True)
    drop_database(server, RESTORE_DATABASE)
    try:
        subprocess.run(
            ["pg_dump", "--format=custom", f"--file={dump}", f"--dbname={source_url}"],
            check=True, timeout=600,
        )  # fmt: skip
        dumped = time.monotonic()
        create_database(server, RESTORE_DATABASE)
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "--jobs=2",
             f"--dbname={restore_url}", str(dump)],
            check=True, timeout=900,
        )  # fmt: skip
        restored = time.monotonic()
        size_mb = dump.stat().st_size / 1e6
        before, after = table_counts(source_url), table_counts(restore_url)
        sum_before = diary_checksum(source_url, diary_table)
        sum_after = diary_checksum(restore_url, diary_table)
    finally:
        drop_database(server, RESTORE_DATABASE)
        dump.unlink(missing_ok=True)
    differing = sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))
    ok = not differing and sum_before == sum_after and sum_before[0] > 0
    counts = (
        f"{len(before)} tables, {sum(before.values()):,} rows; dump {size_mb:.0f} MB in "
        f"{dumped - started:.0f} s, restore in {restored - dumped:.0f} s; "
        f"{len(differing)} tables differ{(' ' + str(differing[:5])) if differing else ''}; "
        f"diary checksum over {sum_before[0]:,} rows "
        f"{'equal' if sum_before == sum_after else 'DIFFERENT'} ({sum_before[1][:12]}…)"
    )
    return DrillResult(name, PASS if ok else FAIL, counts, time.monotonic() - started)
