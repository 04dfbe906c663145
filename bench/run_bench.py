"""``make bench``: seed or reuse, time the nightly sweep, time every page, write RESULTS.md.

Steps (all on 127.0.0.1, each child bounded in time):
1. seed or reuse the small and the full-size clinic (bench.prepare --seed-only);
2. the nightly sweep over every patient with 1 and with 2 worker processes, taking turns
   for BENCH_SWEEP_ROUNDS rounds, each judged by its median (bench.sweep);
3. probe every scenario in-process at both sizes: which pages exist, their query counts;
4. gunicorn (2 sync workers) on the full-size clinic; BENCH_ROUNDS interleaved rounds;
5. the "make bench" section of bench/RESULTS.md, and the same table on the terminal.
"""

from __future__ import annotations

import math
import sys
import time

from bench import report
from bench.calibrate import CALIBRATION_ROUNDS, queries_alone
from bench.config import SMALL, full_size, pg_server_url, rounds
from bench.config import database_url as bench_database_url
from bench.measure import HttpClient, Request, Stats, interleaved
from bench.pgadmin import server_version
from bench.runner import prepare, run_redis, say, sweep
from bench.scenarios import FLOOR, LINEAR_CHARTS, SCENARIOS, SIGNED_IN_FLOOR
from bench.stack import WebServer, app_environment, running
from bench.sweep import summarise

WEB_WORKERS = 2


def requests_from(plan: dict) -> list[Request]:
    sessions = plan["sessions"]
    return [
        Request(
            name=p["scenario"],
            method=p["method"],
            path=p["path"],
            data=p["data"],
            session=sessions.get(p["persona"]),
            expect=tuple(p["expect"]),
        )
        for p in plan["probes"]
        if p["available"]
    ]


def ratio(stats: dict[str, Stats], name: str, floor_name: str = FLOOR) -> float:
    if floor_name not in stats:
        return math.nan
    floor = stats[floor_name].median_ms
    value = stats[name].median_ms if name in stats else math.nan
    return value / floor if floor else math.nan


def page_rows(plan_small: dict, plan_full: dict, stats: dict[str, Stats]) -> list[list[str]]:
    small = {p["scenario"]: p for p in plan_small["probes"]}
    rows = []
    for probe in plan_full["probes"]:
        name = probe["scenario"]
        s = stats.get(name)
        q_small, q_full = small.get(name, {}).get("queries"), probe["queries"]
        status = "measured" if s else probe["reason"]
        if s and s.errors:
            status = f"{s.errors} unexpected answers"
        rows.append(
            [
                name,
                f"`{probe['method']} {probe['path'] or '–'}`",
                report.fmt_ms(s.median_ms) if s else "–",
                report.fmt_ms(s.p95_ms) if s else "–",
                report.fmt_ratio(ratio(stats, name)) if s else "–",
                f"≤ {probe['target']:g}×" if probe["target"] else "",
                report.fmt_ratio(ratio(stats, name, SIGNED_IN_FLOOR)) if s else "–",
                report.fmt_ms(s.db_median_ms) if s else "–",
                report.fmt_ms(s.client_median_ms) if s else "–",
                "–" if q_small is None else q_small,
                "–" if q_full is None else q_full,
                status,
            ]
        )
    return rows


def verdicts(plan_small: dict, plan_full: dict, stats: dict, sweep_result: dict) -> list:
    Verdict = report.Verdict
    out = []
    for scenario in SCENARIOS:
        if scenario.target is None:
            continue
        label = f"{scenario.name} ≤ {scenario.target:g}× floor"
        if scenario.name not in stats:
            probe = next(p for p in plan_full["probes"] if p["scenario"] == scenario.name)
            out.append(Verdict(label, "–", "not yet measurable", probe["reason"]))
            continue
        r = ratio(stats, scenario.name)
        met = r <= scenario.target
        cause = "" if met else _ratio_cause(stats, plan_full, scenario.name)
        out.append(Verdict(label, report.fmt_ratio(r), "met" if met else "MISSED", cause))
    out.append(_linear_verdict(stats))
    out.append(_queries_verdict(plan_small, plan_full))
    out += _sweep_verdicts(sweep_result)
    return out


def _ratio_cause(stats: dict, plan_full: dict, name: str) -> str:
    probe = next(p for p in plan_full["probes"] if p["scenario"] == name)
    floor, page = stats[FLOOR].median_ms, stats[name].median_ms
    signed_in = ratio(stats, name, SIGNED_IN_FLOOR)
    sql = stats[name].db_median_ms
    cause = (
        f"{page:.1f} ms against a floor of {floor:.2f} ms (no session, no SQL); "
        f"{probe['queries']} SQL queries wait {report.fmt_ms(sql)} ms of it on the database, the "
        f"rest is Python (ORM, view, template, figures); {report.fmt_ratio(signed_in)} the "
        "signed-in floor"
    )
    alone = queries_alone(probe["queries"], plan_full.get("calibration"))
    if alone is not None:
        cause += (
            f"; its {probe['queries']} queries with the ORM's work of building and reading "
            f"each cost about {report.fmt_ratio(alone)} (calibration)"
        )
    return cause


def calibration_line(calibration: dict | None) -> str:
    """The yardstick under the ratios: one ORM read against the floor, in-process."""
    if not calibration:
        return "Calibration: not measured."
    return (
        f"Calibration (in-process, {CALIBRATION_ROUNDS} interleaved rounds): the floor view "
        f"through Django's test client {calibration['floor_ms']:.2f} ms, a one-row ORM read "
        f"by primary key {calibration['orm_read_ms']:.2f} ms, so each SQL query of a page "
        f"costs about {report.fmt_ratio(calibration['read_per_floor'])} the floor before any "
        "template is rendered (the Targets table multiplies it by each page's query count)."
    )


def _linear_verdict(stats: dict) -> report.Verdict:
    label = "chart time grows at most linearly with years (1, 3, 10)"
    if not all(name in stats for name in LINEAR_CHARTS):
        return report.Verdict(label, "–", "not yet measurable", "chart page not in this build")
    t1, t3, t10 = (stats[name].median_ms for name in LINEAR_CHARTS)
    growth = f"{t1:.0f} / {t3:.0f} / {t10:.0f} ms"
    met = t3 <= 3 * t1 and t10 <= (10 / 3) * t3
    return report.Verdict(label, growth, "met" if met else "MISSED")


def _queries_verdict(plan_small: dict, plan_full: dict) -> report.Verdict:
    small = {p["scenario"]: p["queries"] for p in plan_small["probes"] if p["available"]}
    differing = [
        f"{p['scenario']} ({small[p['scenario']]} → {p['queries']})"
        for p in plan_full["probes"]
        if p["available"] and p["scenario"] in small and small[p["scenario"]] != p["queries"]
    ]
    label = "query count the same at small and full size"
    if differing:
        return report.Verdict(label, "; ".join(differing), "MISSED", "N+1 or size-dependent")
    return report.Verdict(label, f"{len(small)} pages equal", "met")


def _sweep_verdicts(result: dict) -> list[report.Verdict]:
    one_label = "nightly sweep of all patients ≤ 60 s with 1 worker"
    two_label = "with 2 workers ≤ 0.6 × the 1-worker time"
    if not result.get("available"):
        reason = result.get("reason", "not yet available")
        return [
            report.Verdict(one_label, "–", "not yet measurable", reason),
            report.Verdict(two_label, "–", "not yet measurable", reason),
        ]
    summary = summarise(result["runs"])
    one, two = summary.get(1, {}), summary.get(2, {})
    if "seconds" not in one or "seconds" not in two:
        why = one.get("error") or two.get("error") or "sweep did not run"
        return [report.Verdict(one_label, "–", "MISSED", why)]
    fraction = two["seconds"] / one["seconds"] if one["seconds"] else math.nan
    return [
        report.Verdict(
            one_label,
            f"{one['seconds']:.1f} s ({one['patients']} patients; {_median_of(one)})",
            "met" if one["seconds"] <= 60 and one["finished"] else "MISSED",
            "" if one["finished"] else "did not finish",
        ),
        report.Verdict(
            two_label,
            f"{two['seconds']:.1f} s = {fraction:.2f} × ({_median_of(two)})",
            "met" if fraction <= 0.6 and two["finished"] else "MISSED",
            "" if two["finished"] else "did not finish",
        ),
    ]


def _median_of(entry: dict) -> str:
    rounds = f"median of {entry['rounds']} rounds"
    return rounds + (f", {entry['errors']} failed to start" if entry["errors"] else "")


def section(plan_small, plan_full, stats, sweep_result, n_rounds, seconds, pg) -> str:
    size, seed = plan_full["size"], plan_full["seed"]
    seeded = (
        f"reused (seeded {seed['seeded_on']} in {seed['seconds']:.0f} s)"
        if seed.get("reused")
        else f"seeded in {seed['seconds']:.0f} s"
    )
    headers = (
        "page", "request", "median ms", "p95 ms", "× floor", "target", "× signed-in floor",
        "SQL ms", "client median ms",
        "queries (small)", "queries (full)", "status",
    )  # fmt: skip
    sweep_lines = (
        [f"- {run}" for run in sweep_result["runs"]]
        if sweep_result.get("available")
        else [f"- nightly sweep ({sweep_result['task']}): {sweep_result['reason']}"]
    )
    return "\n".join(
        [
            f"## make bench — {report.stamp()}",
            "",
            f"Machine: {report.machine_info(pg)}.",
            "",
            f"Data: {size['patients']:,} patients × {size['days']} days, plus chart patients of "
            f"{', '.join(str(d) for d in size['showcase_days'])} days; "
            f"{size['neurologists']} neurologists, {size['staff']} staff; "
            f"{report.counts_line(seed['counts'])}; {seeded}. Small size for query counts: "
            f"{plan_small['size']['patients']} patients × {plan_small['size']['days']} days.",
            "",
            f"Method: gunicorn, {WEB_WORKERS} sync workers on 127.0.0.1; {n_rounds} interleaved "
            "rounds after 5 warm-up rounds. *median/p95* are server time from the "
            "`Server-Timing: app` header (bench/middleware.py: all of Django's middleware and "
            "the view); *× floor* divides by the floor's median (/ping: no session, no SQL); "
            f'*× signed-in floor* by the median of "{SIGNED_IN_FLOOR}" (session and user '
            "loaded, 2 queries); *SQL ms* is the median time spent in SQL (`Server-Timing: db`); "
            "*client* is the wall time on loopback, for reference. Query "
            "counts come from the test client under CaptureQueriesContext at each size. "
            f"Whole run: {seconds:.0f} s.",
            "",
            calibration_line(plan_full.get("calibration")),
            "",
            report.table(headers, page_rows(plan_small, plan_full, stats)),
            "",
            "Nightly sweep:",
            *sweep_lines,
            "",
            "### Targets",
            "",
            report.verdict_table(verdicts(plan_small, plan_full, stats, sweep_result)),
        ]
    )


def main() -> int:
    started = time.monotonic()
    full, small = full_size(), SMALL
    server = pg_server_url()
    pg = server_version(server)
    full_url = bench_database_url(full.database_name, server)
    small_url = bench_database_url(small.database_name, server)
    with run_redis() as redis_url:
        env_full = app_environment(full_url, redis_url)
        env_small = app_environment(small_url, redis_url)
        say(f"== small clinic ({small.database_name})")
        prepare(small, env_small, "small-seed", "--seed-only")
        say(f"== full clinic ({full.database_name})")
        prepare(full, env_full, "full-seed", "--seed-only")
        say("== nightly sweep")
        sweep_result = sweep(env_full, "1,2", "full")
        if sweep_result["available"]:
            sweep(env_small, "1", "small", rounds=1)  # summaries for the small clinic's probes
        say("== probing pages (query counts)")
        plan_small = prepare(small, env_small, "small")
        plan_full = prepare(full, env_full, "full")
        requests = requests_from(plan_full)
        if not any(r.name == FLOOR for r in requests):
            raise SystemExit("the floor (/ping) is not available: cannot compute ratios")
        n_rounds = rounds()
        say(f"== timing {len(requests)} pages, {n_rounds} interleaved rounds")
        web = WebServer(env_full, workers=WEB_WORKERS).start()
        with running(web):
            cookies = plan_full["cookies"]
            client = HttpClient(web.base_url, cookies["session"], cookies["csrf"])
            stats = interleaved(requests, client.send, n_rounds)
    body = section(
        plan_small, plan_full, stats, sweep_result, n_rounds, time.monotonic() - started, pg
    )
    report.write_section("bench", body)
    print(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
