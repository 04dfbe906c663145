"""The pip-audit gate's decision (.ci/pip_audit_gate.py): pure function, no network."""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path

import pytest

GATE_PATH = Path(__file__).resolve().parents[2] / ".ci" / "pip_audit_gate.py"
spec = importlib.util.spec_from_file_location("pip_audit_gate", GATE_PATH)
assert spec is not None and spec.loader is not None
gate = importlib.util.module_from_spec(spec)
sys.modules["pip_audit_gate"] = gate  # dataclasses look their module up
spec.loader.exec_module(gate)

TODAY = date(2026, 11, 29)
DNS_FAILURE = (
    "Traceback (most recent call last):\n  ...\n"
    "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.osv.dev', port=443):"
    " Max retries exceeded with url: /v1/query (Caused by NameResolutionError(...))"
)


def report(*dependencies: dict) -> dict:
    return {"dependencies": list(dependencies), "fixes": []}


def clean(name: str = "django", version: str = "5.2.19") -> dict:
    return {"name": name, "version": version, "vulns": []}


def vulnerable(vuln_id: str = "PYSEC-2026-1", aliases: tuple[str, ...] = ()) -> dict:
    return {
        "name": "Django",
        "version": "5.2.19",
        "vulns": [
            {"id": vuln_id, "fix_versions": ["5.2.20"], "aliases": list(aliases), "description": ""}
        ],
    }


def skipped(name: str) -> dict:
    return {
        "name": name,
        "skip_reason": f"Dependency not found on PyPI and could not be audited: {name} (1.0)",
    }


def exception(review_by: date = date(2027, 2, 28), **fields) -> gate.AuditException:
    values = {
        "id": "CVE-2026-0001",
        "package": "django",
        "reason": "Only the admin's unused X is affected; 5.2.20 is not out yet.",
        "added": date(2026, 11, 1),
        "review_by": review_by,
    }
    return gate.AuditException(**{**values, **fields})


def decide(run, exceptions=(), required=False):
    return gate.decide(run, list(exceptions), TODAY, required)


def test_no_vulnerabilities_passes():
    decision = decide(gate.AuditRun("pypi", report(clean(), clean("celery", "5.7.0"))))
    assert decision.ok
    assert "2 dependencies audited, passed" in decision.lines[-1]


def test_a_vulnerability_fails_naming_it_and_its_fix():
    decision = decide(gate.AuditRun("pypi", report(clean("celery"), vulnerable())))
    assert not decision.ok
    assert "VULNERABLE django 5.2.19: PYSEC-2026-1 (fixed in: 5.2.20)" in decision.lines


def test_an_excepted_vulnerability_passes_by_alias():
    run = gate.AuditRun("pypi", report(vulnerable(aliases=("CVE-2026-0001",))))
    decision = decide(run, [exception()])
    assert decision.ok
    assert any(line.startswith("excepted django 5.2.19") for line in decision.lines)


def test_an_exception_for_another_package_does_not_apply():
    run = gate.AuditRun("pypi", report(vulnerable(aliases=("CVE-2026-0001",))))
    assert not decide(run, [exception(package="celery")]).ok


def test_an_expired_exception_fails():
    run = gate.AuditRun("pypi", report(vulnerable("CVE-2026-0001")))
    decision = decide(run, [exception(review_by=date(2026, 11, 28))])
    assert not decision.ok
    assert any("EXPIRED EXCEPTION" in line and "2026-11-28" in line for line in decision.lines)


def test_an_exception_due_today_still_holds():
    run = gate.AuditRun("pypi", report(vulnerable("CVE-2026-0001")))
    assert decide(run, [exception(review_by=TODAY)]).ok


def test_an_unused_exception_is_named_but_does_not_fail():
    decision = decide(gate.AuditRun("pypi", report(clean())), [exception()])
    assert decision.ok
    assert "unused exception django CVE-2026-0001: remove it" in decision.lines


def test_unreachable_service_is_not_audited_and_passes():
    decision = decide(gate.AuditRun("osv", None, DNS_FAILURE))
    assert decision.ok
    assert decision.lines[0].startswith("NOT AUDITED: osv unreachable from this machine (")
    assert "NameResolutionError" in decision.lines[0]


def test_unreachable_service_fails_when_the_audit_is_required():
    decision = decide(gate.AuditRun("osv", None, DNS_FAILURE), required=True)
    assert not decision.ok
    assert decision.lines[0].startswith("NOT AUDITED: osv unreachable")


def test_pypi_answering_not_found_for_everything_is_unreachable():
    # What this machine sees: PyPI's JSON API is 404 behind the proxy; pip-audit skips all.
    run = gate.AuditRun("pypi", report(skipped("django"), skipped("celery")))
    decision = decide(run)
    assert decision.ok
    assert "answered 'not found' for all 2 dependencies" in decision.lines[0]
    assert not decide(run, required=True).ok


def test_some_skipped_dependencies_are_named_and_fail_only_when_required():
    run = gate.AuditRun("pypi", report(clean(), skipped("private-pkg")))
    decision = decide(run)
    assert decision.ok
    assert "NOT AUDITED: 1 dependencies skipped (private-pkg)" in decision.lines
    assert not decide(run, required=True).ok


def test_a_vulnerability_fails_even_beside_skipped_dependencies():
    assert not decide(gate.AuditRun("pypi", report(vulnerable(), skipped("x")))).ok


def test_any_other_failure_without_a_report_fails():
    decision = decide(gate.AuditRun("pypi", None, "ERROR: invalid requirements input: ==1"))
    assert not decision.ok
    assert "invalid requirements input" in decision.lines[0]


def test_exceptions_file_parses_dates_and_normalises_names():
    (parsed,) = gate.load_exceptions(
        '[[exception]]\nid = "GHSA-1"\npackage = "Django_Celery.Beat"\n'
        'reason = "why"\nadded = 2026-11-29\nreview_by = 2027-01-31\n'
    )
    assert parsed.package == "django-celery-beat"
    assert parsed.review_by == date(2027, 1, 31)


@pytest.mark.parametrize(
    "body",
    [
        'id = "GHSA-1"\npackage = "x"\nadded = 2026-11-29\nreview_by = 2027-01-31\n',
        'id = "GHSA-1"\npackage = "x"\nreason = " "\nadded = 2026-11-29\nreview_by = 2027-01-31\n',
        'id = "GHSA-1"\npackage = "x"\nreason = "r"\nadded = "2026-11-29"\nreview_by = 2027-01-31',
        'id = "GHSA-1"\npackage = "x"\nreason = "r"\nadded = 2026-11-29\nreview_by = 2026-01-31\n',
    ],
    ids=["no-reason", "blank-reason", "date-as-string", "review-before-added"],
)
def test_an_incomplete_exception_is_refused(body):
    with pytest.raises(ValueError):
        gate.load_exceptions("[[exception]]\n" + body)


def test_the_committed_exceptions_file_is_valid():
    gate.load_exceptions(gate.EXCEPTIONS_FILE.read_text())
