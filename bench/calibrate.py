"""What one SQL query costs against the floor: the yardstick of the ratio targets.

Measured in the prepare process (Django set up on the full-size clinic), interleaved:
the floor view through the whole middleware stack (Django's test client, ``GET /ping``) and
a one-row ORM read by primary key (``Patient.objects.filter(pk=...).first()``: build the
SQL, send it on the open connection, make the model instance). Their ratio tells how many
"floors" each query of a page costs before any template is rendered, which is what makes a
ratio target reachable or not.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from statistics import median

CALIBRATION_ROUNDS = 300
WARM_UP_ROUNDS = 20


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def interleaved_medians(
    actions: dict[str, Callable[[], object]], rounds: int = CALIBRATION_ROUNDS
) -> dict[str, float]:
    """The median milliseconds of each action, run in turn ``rounds`` times after a warm-up."""
    for _ in range(WARM_UP_ROUNDS):
        for action in actions.values():
            action()
    samples: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(rounds):
        for name, action in actions.items():
            samples[name].append(_timed(action))
    return {name: median(values) for name, values in samples.items()}


def query_cost(rounds: int = CALIBRATION_ROUNDS) -> dict[str, float]:
    """``{"floor_ms", "orm_read_ms", "read_per_floor"}`` measured in this process."""
    from django.test import Client
    from django.urls import reverse

    from patients.models import Patient

    pk = Patient.objects.order_by("pk").values_list("pk", flat=True).first()
    client, ping = Client(), reverse("ping")
    medians = interleaved_medians(
        {
            "floor_ms": lambda: client.get(ping),
            "orm_read_ms": lambda: Patient.objects.filter(pk=pk).first(),
        },
        rounds,
    )
    medians["read_per_floor"] = medians["orm_read_ms"] / medians["floor_ms"]
    return medians


def queries_alone(queries: int | None, calibration: dict | None) -> float | None:
    """How many floors ``queries`` one-row reads cost by themselves (None if unknown)."""
    if queries is None or not calibration or not calibration.get("read_per_floor"):
        return None
    return queries * calibration["read_per_floor"]
