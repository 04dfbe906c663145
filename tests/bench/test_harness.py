"""Unit tests of the harness's pure parts: statistics, report sections, guards, drills' checks."""

from __future__ import annotations

import math
from datetime import date

import pytest

from bench import report, run_bench
from bench.calibrate import interleaved_medians, queries_alone
from bench.config import database_url, full_size, is_bench_database
from bench.faults.common import Post, check_writes, server_errors
from bench.measure import Sample, Stats, percentile
from bench.middleware import parse_server_timing
from bench.run_load import spawn_rate, user_counts
from bench.sweep import find_task, round_order, summarise


def sample(status: int = 200, server: float | None = 1.0, started: float = 0.0) -> Sample:
    return Sample(status, server, 2.0, 3, started)


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 0.5) == 50
    assert percentile(values, 0.95) == 95
    assert percentile([7.0], 0.95) == 7.0
    with pytest.raises(ValueError):
        percentile([], 0.5)


def test_stats_count_unexpected_answers_as_errors():
    stats = Stats.of("x", [sample(), sample(server=3.0), sample(status=500)], (200,))
    assert stats.count == 2 and stats.errors == 1
    assert stats.median_ms == 1.0 and stats.p95_ms == 3.0
    assert math.isnan(Stats.of("y", [sample(status=0)], (200,)).median_ms)


def test_server_timing_header_parses():
    assert parse_server_timing("app;dur=12.5, db;dur=0.25") == {"app": 12.5, "db": 0.25}
    assert parse_server_timing(None) == {}
    assert parse_server_timing("app;dur=oops") == {}


def test_sections_replace_only_themselves(tmp_path):
    path = tmp_path / "RESULTS.md"
    report.write_section("bench", "first bench", path)
    report.write_section("load", "first load", path)
    report.write_section("bench", "second bench", path)
    text = path.read_text()
    assert "second bench" in text and "first load" in text and "first bench" not in text
    assert text.count("<!-- bench:bench -->") == 1


def test_bench_databases_are_the_only_ones_touched():
    assert database_url("clinic_bench_2000x1095", "postgres://h").endswith(
        "/clinic_bench_2000x1095"
    )
    for name in ("clinic", "test_clinic", "postgres", "clinic_patients", "test"):
        assert not is_bench_database(name)
        with pytest.raises(SystemExit):
            database_url(name, "postgres://h")


def test_sizes_come_from_the_environment():
    size = full_size({"BENCH_PATIENTS": "200", "BENCH_DAYS": "30"})
    assert (size.patients, size.days, size.neurologists) == (200, 30, 20)
    assert size.database_name == "clinic_bench_200x30"
    with pytest.raises(SystemExit):
        full_size({"BENCH_PATIENTS": "many"})


def test_absent_roles_hand_their_load_users_to_the_others():
    wanted = {"patient": 12, "neurologist": 5, "staff": 3}
    assert user_counts(wanted, {"patient": [1], "neurologist": [1], "staff": [1]}, 20) == wanted
    counts = user_counts(wanted, {"patient": [1], "staff": [1]}, 20)
    assert sum(counts.values()) == 20 and set(counts) == {"patient", "staff"}
    with pytest.raises(SystemExit):
        user_counts(wanted, {}, 20)


def test_load_users_arrive_over_the_ramp_not_in_one_instant():
    assert spawn_rate(20, 5) == 4.0
    assert spawn_rate(20, 0) == 20.0  # no ramp: all at once


def test_write_check_finds_missing_changed_and_duplicated_days():
    day = date(2026, 1, 1)
    posts = [
        Post(1, day, 5, sample(status=302)),
        Post(2, day, 6, sample(status=302)),
        Post(3, day, 7, sample(status=302)),
        Post(4, day, 8, sample(status=500)),  # not acknowledged: not required in the DB
    ]
    rows = [(1, day, 5), (2, day, 1), (2, day, 1)]
    check = check_writes(posts, rows)
    assert (check.acknowledged, check.missing, check.wrong_value, check.duplicates) == (3, 1, 1, 1)
    assert not check.ok
    assert check_writes(posts[:1], rows[:1]).ok


def test_server_errors_can_be_counted_after_a_moment():
    samples = [sample(status=503, started=1.0), sample(status=0, started=5.0), sample()]
    assert server_errors(samples) == 2
    assert server_errors(samples, after=2.0) == 1


def test_a_task_not_in_this_build_is_not_yet_available():
    task, reason = find_task("treatments.tasks.no_such_module.sweep")
    assert task is None and reason.startswith("not yet available")
    task, reason = find_task("clinic.tasks.no_such_task")
    assert task is None and "has no no_such_task" in reason
    task, reason = find_task("clinic.tasks.heartbeat")
    assert task is not None and reason == ""


def test_interleaved_medians_run_each_action_in_turn():
    calls: list[str] = []
    medians = interleaved_medians(
        {"a": lambda: calls.append("a"), "b": lambda: calls.append("b")}, 3
    )
    assert set(medians) == {"a", "b"} and all(m >= 0 for m in medians.values())
    assert calls[-6:] == ["a", "b", "a", "b", "a", "b"]


def test_queries_alone_multiplies_the_calibrated_cost():
    calibration = {"floor_ms": 0.5, "orm_read_ms": 0.75, "read_per_floor": 1.5}
    assert queries_alone(9, calibration) == pytest.approx(13.5)
    assert queries_alone(None, calibration) is None
    assert queries_alone(9, None) is None
    line = run_bench.calibration_line(calibration)
    assert "0.50 ms" in line and "0.75 ms" in line and "1.5×" in line


def test_the_commit_is_marked_changed_by_code_not_by_the_results_file(tmp_path, monkeypatch):
    import subprocess

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    (tmp_path / "bench").mkdir()
    results, code = tmp_path / "bench" / "RESULTS.md", tmp_path / "code.py"
    results.write_text("old figures\n")
    code.write_text("x = 1\n")
    git("init", "-q")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "start")
    monkeypatch.setattr(report, "ROOT", tmp_path)
    monkeypatch.setattr(report, "RESULTS", results)
    results.write_text("new figures\n")
    assert "local changes" not in report.git_commit()
    code.write_text("x = 2\n")
    assert report.git_commit().endswith("(with local changes)")


def _stats(name: str, median: float, db: float = math.nan) -> Stats:
    return Stats(name, 10, median, median, median, 0, None, db)


def test_a_missed_ratio_target_says_its_cause_and_a_met_one_says_nothing():
    from bench.scenarios import FLOOR, SCENARIOS, SIGNED_IN_FLOOR

    targeted = [s for s in SCENARIOS if s.target]
    missed, met = targeted[0], targeted[1]
    stats = {
        FLOOR: _stats(FLOOR, 0.5),
        SIGNED_IN_FLOOR: _stats(SIGNED_IN_FLOOR, 2.0),
        missed.name: _stats(missed.name, 0.5 * missed.target + 4.0, db=1.5),
        met.name: _stats(met.name, 0.5 * met.target - 0.1, db=0.2),
    }
    probes = [
        {"scenario": s.name, "queries": 6, "reason": "", "available": True} for s in SCENARIOS
    ]
    plan = {"probes": probes, "calibration": {"read_per_floor": 2.0}}
    sweep = {"available": False, "task": "x.y", "reason": "not yet available: x", "runs": []}
    by_label = {v.target.split(" ≤ ")[0]: v for v in run_bench.verdicts(plan, plan, stats, sweep)}

    assert by_label[met.name].outcome == "met" and by_label[met.name].cause == ""
    cause = by_label[missed.name].cause
    assert by_label[missed.name].outcome == "MISSED"
    assert "6 SQL queries wait 1.5 ms of it on the database" in cause
    assert f"{(0.5 * missed.target + 4.0) / 2.0:.1f}× the signed-in floor" in cause
    assert "cost about 12.0× (calibration)" in cause  # 6 queries × 2.0 floors each


def test_the_sweep_worker_counts_take_turns_round_by_round():
    assert round_order([1, 2], 3) == [(1, 1), (1, 2), (2, 1), (2, 2), (3, 1), (3, 2)]


def _sweep_run(workers: int, seconds: float, finished: bool = True) -> dict:
    return {"workers": workers, "seconds": seconds, "patients": 40, "finished": finished}


def test_each_worker_count_is_judged_by_the_median_of_its_rounds():
    runs = [_sweep_run(1, 30.0), _sweep_run(2, 14.0), _sweep_run(1, 20.0)]
    runs += [_sweep_run(2, 19.0), _sweep_run(1, 24.0), _sweep_run(2, 13.0)]
    runs.append({"workers": 2, "error": "worker did not start"})
    summary = summarise(runs)
    assert summary[1]["seconds"] == 24.0 and summary[1]["rounds"] == 3
    assert summary[2]["seconds"] == 14.0 and summary[2]["errors"] == 1
    sweep = {"available": True, "task": "t", "reason": "", "runs": runs}
    one, two = run_bench._sweep_verdicts(sweep)
    assert one.outcome == "met" and "24.0 s" in one.measured
    assert "median of 3 rounds" in one.measured
    assert two.outcome == "met" and "0.58 ×" in two.measured
    assert "1 failed to start" in two.measured


def test_a_two_worker_median_above_six_tenths_is_missed_and_unfinished_rounds_say_so():
    runs = [_sweep_run(1, 20.0), _sweep_run(2, 13.0, finished=False)]
    one, two = run_bench._sweep_verdicts({"available": True, "runs": runs})
    assert one.outcome == "met"
    assert two.outcome == "MISSED" and "0.65 ×" in two.measured
    assert two.cause == "did not finish"
    only_errors = summarise([{"workers": 1, "error": "worker did not start"}])
    assert only_errors[1]["error"] == "worker did not start" and "seconds" not in only_errors[1]
