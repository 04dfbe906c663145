"""Drill: restart PostgreSQL while patients use the app.

Never the shared cluster: the drill creates its own throwaway cluster (initdb in a
temporary folder, as the ``postgres`` user when run as root) on a free loopback port, loads
a small clinic into it, serves it with gunicorn, and restarts that cluster with
``pg_ctl restart -m fast`` in the middle of the load. Passes when errors happen only for
requests that started inside the restart window, none after, and every acknowledged diary
POST is in the database afterwards.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bench.config import DRILL
from bench.faults.common import (
    FAIL,
    NOT_YET,
    PASS,
    DrillResult,
    Posters,
    check_writes,
    diary_probe,
    free_days,
    server_errors,
    stored_days,
)
from bench.measure import HttpClient
from bench.pgadmin import create_database
from bench.runner import prepare
from bench.stack import LOOPBACK, WebServer, app_environment, free_port, running

BEFORE, AFTER = 8.0, 12.0  # seconds of load before the restart and after it
DRILL_DATABASE = "clinic_bench_drill"


def postgres_bin() -> Path | None:
    """The newest /usr/lib/postgresql/<version>/bin holding initdb and pg_ctl."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name)
    )
    for folder in reversed(candidates):
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


def _as_postgres(argv: list[str]) -> list[str]:
    """initdb refuses root: run the cluster's commands as the postgres user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *argv]
    return argv


@dataclass
class Cluster:
    """A throwaway PostgreSQL cluster in a temporary folder, on a free loopback port."""

    bin: Path
    folder: Path
    port: int

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def server_url(self) -> str:
        return f"postgres://postgres@{LOOPBACK}:{self.port}"

    def _run(self, *argv: str, timeout: float = 60) -> None:
        subprocess.run(_as_postgres(list(argv)), check=True, timeout=timeout,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip

    def init(self) -> None:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U",
                  "postgres", "-E", "UTF8", "--no-instructions")  # fmt: skip

    def pg_ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses={LOOPBACK}"
        self._run(str(self.bin / "pg_ctl"), action, "-D", str(self.data), "-w", "-t", "60",
                  "-o", options, "-l", str(self.folder / "server.log"), *extra)  # fmt: skip


@contextlib.contextmanager
def throwaway_cluster(bin_folder: Path) -> Iterator[Cluster]:
    folder = Path(tempfile.mkdtemp(prefix="clinic-bench-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    cluster = Cluster(bin_folder, folder, free_port())
    try:
        cluster.init()
        cluster.pg_ctl("start")
        yield cluster
    finally:
        with contextlib.suppress(Exception):
            cluster.pg_ctl("stop", "-m", "immediate")
        shutil.rmtree(folder, ignore_errors=True)


def run(redis_url: str) -> DrillResult:
    name = "PostgreSQL restarted during load"
    started = time.monotonic()
    bin_folder = postgres_bin()
    if bin_folder is None:
        return DrillResult(name, NOT_YET, "no PostgreSQL server binaries (initdb, pg_ctl)", 0.0)
    with throwaway_cluster(bin_folder) as cluster:
        create_database(cluster.server_url, DRILL_DATABASE)
        url = f"{cluster.server_url}/{DRILL_DATABASE}"
        env = app_environment(url, redis_url)
        plan = prepare(DRILL, env, "pgdrill", "--drill")
        web = WebServer(env, workers=2).start()
        with running(web):
            result = _restart_under_load(plan, url, cluster, web)
    result.seconds = time.monotonic() - started
    return result


def _restart_under_load(plan: dict, url: str, cluster: Cluster, web: WebServer) -> DrillResult:
    name = "PostgreSQL restarted during load"
    today = date.fromisoformat(plan["today"])
    probe = diary_probe(plan)
    patients = plan["drill"]["patients"]
    ids = [p["id"] for p in patients]
    if probe["available"]:
        free_days(plan, url, ids, today)
    cookies = plan["cookies"]
    client = HttpClient(web.base_url, cookies["session"], cookies["csrf"], timeout=20)
    read_path = next(p["path"] for p in plan["probes"] if p["scenario"] == "Today (patient)")
    posters = Posters(
        client, probe["path"] if probe["available"] else "", patients, today, read_path=read_path
    ).start()
    time.sleep(BEFORE)
    window_start = time.monotonic()
    cluster.pg_ctl("restart", "-m", "fast")
    window_end = time.monotonic()
    time.sleep(AFTER)
    posters.stop()
    samples = posters.reads + [p.sample for p in posters.posts]
    after = server_errors(samples, after=window_end)
    inside = server_errors(samples) - after
    counts = (
        f"restart window {window_end - window_start:.1f} s; {len(samples)} requests, "
        f"{inside} errors started before the window ended, {after} after it"
    )
    if not probe["available"]:
        counts += f"; diary writes: {probe['reason']}"
        return DrillResult(name, FAIL if after else NOT_YET, counts)
    writes = check_writes(posters.posts, stored_days(plan, url, ids, today))
    counts += f"; {writes.text()}"
    ok = after == 0 and writes.ok and writes.acknowledged > 0
    return DrillResult(name, PASS if ok else FAIL, counts)
