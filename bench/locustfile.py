"""Locust users of the load run: patients logging, neurologists reading charts, staff
scheduling. Started by bench.run_load (never by hand against anything but 127.0.0.1).

The requests come from the plan bench.prepare wrote (BENCH_LOAD_PLAN): per role, a pool of
signed-in users, each with the available scenarios of that role and their load weights
(bench/scenarios.py). BENCH_LOAD_COUNTS (JSON, role -> users) fixes how many of each run.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from urllib.parse import urlsplit

from locust import HttpUser, between, task

from bench.measure import csrf_token

PLAN = json.loads(open(os.environ["BENCH_LOAD_PLAN"]).read())  # noqa: SIM115
COUNTS = json.loads(os.environ.get("BENCH_LOAD_COUNTS", "{}"))
POOLS = {role: itertools.cycle(pool) for role, pool in PLAN["load"].items() if pool}
COOKIES = PLAN["cookies"]


class ClinicUser(HttpUser):
    abstract = True
    role = ""
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        member = next(POOLS[self.role])
        self.requests = member["requests"]
        self.weights = [r["weight"] for r in self.requests]
        self.csrf = csrf_token()
        host = urlsplit(self.host).hostname
        self.client.cookies.set(COOKIES["session"], member["session"], domain=host)
        self.client.cookies.set(COOKIES["csrf"], self.csrf, domain=host)

    @task
    def one_request(self) -> None:
        request = random.choices(self.requests, weights=self.weights)[0]
        kwargs = {"name": request["name"], "catch_response": True, "allow_redirects": False}
        if request["method"] == "POST":
            kwargs["data"] = request["data"]
            kwargs["headers"] = {"X-CSRFToken": self.csrf}
        with self.client.request(request["method"], request["path"], **kwargs) as response:
            if response.status_code in request["expect"]:
                response.success()
            else:
                response.failure(f"status {response.status_code}")


class PatientUser(ClinicUser):
    role = "patient"
    fixed_count = COUNTS.get("patient", 0)


class NeurologistUser(ClinicUser):
    role = "neurologist"
    fixed_count = COUNTS.get("neurologist", 0)


class StaffUser(ClinicUser):
    role = "staff"
    fixed_count = COUNTS.get("staff", 0)
