"""The durability drills of ``make faults`` (loopback only, each bounded in time).

Run with ``python -m bench.faults``; each drill prints PASS / FAIL / NOT YET AVAILABLE with
its counts and the section "make faults" of bench/RESULTS.md is rewritten.
"""
