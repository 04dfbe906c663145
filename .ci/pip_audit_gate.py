"""pip-audit gate of `make test`: 0 known vulnerabilities, or a dated exception with a reason.

Runs pip-audit on requirements.txt and requirements-dev.txt (resolved, so transitive
dependencies count too) with JSON output, reads `.ci/pip-audit-exceptions.toml` and decides:

- a vulnerability without an exception fails; one with an exception passes until the
  exception's `review_by` date, then fails;
- when the vulnerability service cannot be reached (no DNS, a proxy, a timeout, or PyPI's
  JSON API answering 404 for every dependency, which pip-audit reports as "skipped"),
  it prints ``NOT AUDITED: <service> unreachable from this machine (<error>)`` and passes,
  because CI runs on a machine with a closed network; with ``PIP_AUDIT_REQUIRED=1`` that
  fails instead.

`--strict` is not used: it stops pip-audit at the first skipped dependency without a
report; the gate reads the skips from the report instead and names them.

Environment: PIP_AUDIT_SERVICE (pypi, the default, or osv), PIP_AUDIT_REQUIRED (1 to fail
when not audited), PIP_AUDIT_TIMEOUT (seconds for the whole run, default 300).
"""

from __future__ import annotations

import json
import os
import re
import subprocess  # nosec B404 # runs pip-audit with a fixed argument list
import sys
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = ("requirements.txt", "requirements-dev.txt")
EXCEPTIONS_FILE = ROOT / ".ci" / "pip-audit-exceptions.toml"

# What a network that does not let us reach the service looks like in pip-audit's stderr.
UNREACHABLE_MARKERS = (
    "ConnectionError",
    "NameResolutionError",
    "Name or service not known",
    "Temporary failure in name resolution",
    "Max retries exceeded",
    "Could not connect to",
    "Network is unreachable",
    "Connection refused",
    "ConnectTimeout",
    "ReadTimeout",
    "timed out",
    "ProxyError",
    "SSLError",
    "ServiceError",
)
NOT_FOUND_SKIP = "Dependency not found on PyPI"


@dataclass(frozen=True)
class AuditException:
    """One accepted vulnerability: why, since when, and until when it is accepted."""

    id: str
    package: str
    reason: str
    added: date
    review_by: date


@dataclass(frozen=True)
class AuditRun:
    """What one pip-audit run left: its parsed JSON report (None without one) and stderr."""

    service: str
    report: dict[str, Any] | None
    error: str = ""


@dataclass
class Decision:
    ok: bool
    lines: list[str] = field(default_factory=list)


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def load_exceptions(text: str) -> list[AuditException]:
    """Parse the exceptions file; a missing field, empty reason or bad dates raise ValueError."""
    data = tomllib.loads(text)
    exceptions = []
    for entry in data.get("exception", []):
        missing = {"id", "package", "reason", "added", "review_by"} - set(entry)
        if missing:
            raise ValueError(f"exception {entry.get('id', '?')} lacks {sorted(missing)}")
        added, review_by = entry["added"], entry["review_by"]
        if not isinstance(added, date) or not isinstance(review_by, date):
            raise ValueError(f"exception {entry['id']}: added and review_by are TOML dates")
        if review_by < added:
            raise ValueError(f"exception {entry['id']}: review_by is before added")
        if not str(entry["reason"]).strip():
            raise ValueError(f"exception {entry['id']}: the reason is empty")
        exceptions.append(
            AuditException(
                id=str(entry["id"]),
                package=canonical(str(entry["package"])),
                reason=str(entry["reason"]).strip(),
                added=added,
                review_by=review_by,
            )
        )
    return exceptions


def unreachable_reason(error: str) -> str | None:
    """The line of a failed run's stderr that says the service was not reached, if any."""
    for line in reversed(error.strip().splitlines()):
        if any(marker in line for marker in UNREACHABLE_MARKERS):
            return line.strip()[:300]
    return None


def not_audited(run: AuditRun, required: bool, why: str) -> Decision:
    loud = f"NOT AUDITED: {run.service} unreachable from this machine ({why})"
    if required:
        return Decision(False, [loud, "PIP_AUDIT_REQUIRED=1: failing."])
    return Decision(True, [loud, "Passing because PIP_AUDIT_REQUIRED is not set."])


def decide(
    run: AuditRun, exceptions: list[AuditException], today: date, required: bool
) -> Decision:
    """Pass or fail for one pip-audit run, with the lines to print. Pure: no I/O, no clock."""
    if run.report is None:
        reason = unreachable_reason(run.error)
        if reason is not None:
            return not_audited(run, required, reason)
        tail = run.error.strip().splitlines()[-1:] or ["no output"]
        return Decision(False, [f"pip-audit failed without a report: {tail[0]}"])

    dependencies = run.report.get("dependencies", [])
    skipped = [d for d in dependencies if d.get("skip_reason")]
    if dependencies and len(skipped) == len(dependencies):
        not_found = all(NOT_FOUND_SKIP in d["skip_reason"] for d in skipped)
        why = (
            f"its vulnerability API answered 'not found' for all {len(skipped)} dependencies"
            if not_found
            else f"all {len(skipped)} dependencies skipped: {skipped[0]['skip_reason']}"
        )
        return not_audited(run, required, why)

    ok = True
    lines: list[str] = []
    used: set[tuple[str, str]] = set()
    for dependency in dependencies:
        package = canonical(dependency["name"])
        for vuln in dependency.get("vulns", []):
            ids = {vuln["id"], *vuln.get("aliases", [])}
            label = f"{package} {dependency.get('version', '?')}: {vuln['id']}"
            match = next(
                (e for e in exceptions if e.package == package and e.id in ids),
                None,
            )
            if match is None:
                ok = False
                fixes = ", ".join(vuln.get("fix_versions", [])) or "none known"
                lines.append(f"VULNERABLE {label} (fixed in: {fixes})")
            elif match.review_by < today:
                ok = False
                lines.append(
                    f"EXPIRED EXCEPTION {label}: review was due {match.review_by.isoformat()}"
                )
                used.add((match.package, match.id))
            else:
                lines.append(
                    f"excepted {label} until {match.review_by.isoformat()}: {match.reason}"
                )
                used.add((match.package, match.id))
    for exception in exceptions:
        if (exception.package, exception.id) not in used:
            lines.append(f"unused exception {exception.package} {exception.id}: remove it")
    if skipped:
        names = ", ".join(sorted(canonical(d["name"]) for d in skipped))
        lines.append(f"NOT AUDITED: {len(skipped)} dependencies skipped ({names})")
        if required:
            ok = False
            lines.append("PIP_AUDIT_REQUIRED=1: failing.")
    audited = len(dependencies) - len(skipped)
    lines.append(
        f"pip-audit ({run.service}): {audited} dependencies audited, "
        + ("passed" if ok else "FAILED")
    )
    return Decision(ok, lines)


def run_pip_audit(service: str, timeout: float) -> AuditRun:
    """Run pip-audit on the requirement files; a timeout counts as an unreachable service."""
    report_path = ROOT / "var" / "pip-audit.json"
    report_path.parent.mkdir(parents=True, exist_ok=True)
    report_path.unlink(missing_ok=True)
    command = [sys.executable, "-m", "pip_audit", "--vulnerability-service", service]
    for name in REQUIREMENTS:
        command += ["-r", str(ROOT / name)]
    command += ["--format", "json", "--output", str(report_path), "--progress-spinner", "off"]
    try:
        result = subprocess.run(  # noqa: S603  # nosec B603 # fixed argv, no shell
            command, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return AuditRun(service, None, f"ConnectTimeout: pip-audit timed out after {timeout} s")
    text = report_path.read_text() if report_path.exists() else ""
    try:
        report = json.loads(text) if text.strip() else None
    except json.JSONDecodeError:
        report = None
    return AuditRun(service, report, result.stderr)


def main() -> int:
    service = os.environ.get("PIP_AUDIT_SERVICE", "pypi")
    required = os.environ.get("PIP_AUDIT_REQUIRED", "") == "1"
    timeout = float(os.environ.get("PIP_AUDIT_TIMEOUT", "300"))
    try:
        exceptions = load_exceptions(EXCEPTIONS_FILE.read_text())
    except (OSError, ValueError, tomllib.TOMLDecodeError) as error:
        print(f"pip-audit gate: bad {EXCEPTIONS_FILE.name}: {error}", file=sys.stderr)
        return 1
    run = run_pip_audit(service, timeout)
    decision = decide(run, exceptions, datetime.now(UTC).date(), required)
    banner = "!" * 78
    loud = any(line.startswith("NOT AUDITED") for line in decision.lines)
    if loud:
        print(banner)
    for line in decision.lines:
        print(line)
    if loud:
        print(banner)
    return 0 if decision.ok else 1


if __name__ == "__main__":
    sys.exit(main())
