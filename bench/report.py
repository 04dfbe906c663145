"""bench/RESULTS.md: one dated section per target (bench, load, faults), with the machine.

Each run replaces only its own section (between ``<!-- bench:NAME -->`` markers) and keeps
the others and the hand-written notes, so the file always holds the latest figures of each.
"""

from __future__ import annotations

import contextlib
import math
import os
import platform
import re
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from bench.config import RESULTS, ROOT

HEADER = """# Benchmark, load and fault-drill results

Written by `make bench`, `make load` and `make faults` (see README, "Benchmarks, load and
fault drills"); each run replaces its own section. Figures are from the machine named in
each section; a target that is missed says so, with its cause.
"""


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def machine_info(pg_version: str | None = None) -> str:
    """One line: CPU, cores, memory, OS, Python, PostgreSQL, Redis, Django, commit."""
    cpu = re.search(r"model name\s*:\s*(.+)", _read("/proc/cpuinfo"))
    mem = re.search(r"MemTotal:\s*(\d+) kB", _read("/proc/meminfo"))
    redis = ""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        out = subprocess.run(
            ["redis-server", "--version"], capture_output=True, text=True, timeout=5
        ).stdout
        found = re.search(r"v=(\S+)", out)
        redis = found.group(1) if found else ""
    parts = [
        cpu.group(1).strip() if cpu else platform.processor() or "unknown CPU",
        f"{os.cpu_count()} cores",
        f"{int(mem.group(1)) / 1024 / 1024:.0f} GiB" if mem else "? GiB",
        f"{platform.system()} {platform.release()}",
        f"Python {platform.python_version()}",
        f"PostgreSQL {pg_version}" if pg_version else "",
        f"Redis {redis}" if redis else "",
        f"Django {_version('django')}",
        f"gunicorn {_version('gunicorn')}",
        f"commit {git_commit()}",
        "load average at the end {:.1f} / {:.1f} / {:.1f} (1/5/15 min; other work shares the "
        "machine)".format(*os.getloadavg()),
    ]
    return ", ".join(p for p in parts if p)


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


def git_commit() -> str:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout.strip()
        # The results file itself is rewritten by each run: it is not a local change of
        # the code being measured.
        dirty = subprocess.run(
            [
                "git",
                "status",
                "--porcelain",
                "--untracked-files=no",
                "--",
                ".",
                f":!{RESULTS.relative_to(ROOT)}",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{commit}{' (with local changes)' if dirty else ''}" if commit else "unknown"


def stamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def fmt_ms(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def fmt_ratio(value: float | None) -> str:
    if value is None or math.isnan(value):
        return "–"
    return f"{value:.1f}×"


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


@dataclass(frozen=True)
class Verdict:
    """One target: what it asks, what was measured, and whether it was met."""

    target: str
    measured: str
    outcome: str  # "met", "MISSED", "not yet measurable"
    cause: str = ""


def verdict_table(verdicts: Sequence[Verdict]) -> str:
    return table(
        ("target", "measured", "outcome", "cause / note"),
        ((v.target, v.measured, v.outcome, v.cause) for v in verdicts),
    )


def replace_section(text: str, name: str, body: str) -> str:
    """Put ``body`` between the section's markers, appending the section if it is new."""
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{body.strip()}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if pattern.search(text):
        return pattern.sub(lambda _: block, text)
    return f"{text.rstrip()}\n\n{block}\n"


def write_section(name: str, body: str, path: Path = RESULTS) -> None:
    text = path.read_text() if path.exists() else HEADER
    path.write_text(replace_section(text, name, body))


def counts_line(counts: Mapping[str, int]) -> str:
    short = {
        "patients.DiaryEntry": "diary entries",
        "patients.RegionSeverity": "region severities",
        "treatments.InjectionVisit": "injection visits",
        "treatments.InjectionSite": "injection sites",
        "treatments.FollowUp": "follow-ups",
        "clinic.Notification": "notifications",
        "clinic.User": "users",
    }
    return ", ".join(f"{counts.get(k, 0):,} {v}" for k, v in short.items())
