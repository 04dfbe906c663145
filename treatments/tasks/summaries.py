"""Celery tasks that keep CycleSummary and CycleProfile rows up to date.

Tasks take patient ids (never health data), call the service, and are idempotent and
``acks_late``: a task redelivered after a worker crash recomputes the same rows again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

from treatments.selectors.timeline import patients_needing_recompute
from treatments.services.summaries import cycle_summaries_recompute

logger = logging.getLogger("treatments.summaries")

# The sweep sends this many patients per task message: few messages for a big clinic,
# and one slow patient delays only its own chunk.
SWEEP_CHUNK_SIZE = 50


class SummaryRecomputeFailed(Exception):
    """A database error without its text: Celery logs a retried task's exception, and a
    database error's text (an IntegrityError's DETAIL) holds the row's values, such as a
    patient's injection date."""


@shared_task(
    name="treatments.recompute_patient_summaries",
    acks_late=True,
    ignore_result=True,
    autoretry_for=(SummaryRecomputeFailed,),
    retry_backoff=True,
    max_retries=5,
)
def recompute_patient_summaries(patient_id: int) -> None:
    """Recompute one patient's cycle summaries and profile (a missing patient: no-op)."""
    try:
        cycle_summaries_recompute(patient_id=patient_id)
    except DatabaseError as error:
        raise SummaryRecomputeFailed(f"patient {patient_id}: {type(error).__name__}") from None


@shared_task(name="treatments.recompute_summaries_chunk", acks_late=True, ignore_result=True)
def recompute_summaries_chunk(patient_ids: Sequence[int]) -> int:
    """Recompute several patients in turn; one failure is logged (its type only) and the
    others go on. A failed patient stays stale for the next sweep. Returns successes."""
    done = 0
    for patient_id in patient_ids:
        try:
            cycle_summaries_recompute(patient_id=patient_id)
        except Exception as exc:  # keep the chunk going; the profile stays stale
            logger.warning("Summary recompute failed for one patient (%s)", type(exc).__name__)
        else:
            done += 1
    return done


def _chunks(ids: Sequence[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


@shared_task(name="treatments.sweep_stale_summaries", acks_late=True, ignore_result=True)
def sweep_stale_summaries() -> int:
    """Fan out a recompute for every stale or missing profile, and every profile computed
    before its patient's own day began (their midnight, ``patients_needing_recompute``),
    in chunks.

    Returns the number of patients sent. Runs every hour (clinic/celery.py), so each
    patient's profile moves on within the hour after their own midnight (each is
    recomputed once a day, whatever their zone), and after an expected-timeline default
    changes.
    """
    ids = patients_needing_recompute(now=timezone.now())
    for chunk in _chunks(ids, SWEEP_CHUNK_SIZE):
        recompute_summaries_chunk.delay(chunk)
    return len(ids)
