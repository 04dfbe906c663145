"""Benchmarks, load runs and fault drills for the Dystonia Clinic (issue 8).

Entry points (each a ``make`` target, see README "Benchmarks, load and fault drills"):

* ``python -m bench.run_bench``  -> ``make bench``: interleaved page timings, query counts,
  nightly sweep timings, written to bench/RESULTS.md;
* ``python -m bench.run_load``   -> ``make load``: locust, headless, on 127.0.0.1 only;
* ``python -m bench.faults``     -> ``make faults``: the durability drills.

The orchestrators import no Django: everything that touches the database runs in a child
process (``python -m bench.prepare`` and friends) whose DATABASE_URL names the database it
works on, so several databases (small and full size) can be used in one run.
"""
