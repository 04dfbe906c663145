"""0008 closes the duplicate follow-ups of one clinic session left from before the rule,
and its reverse opens them again.

Rewinds treatments to 0007, writes what that release wrote (each visit of one date with
its own review and reinjection), migrates forward (and back), and reads what stays open.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.exceptions import IrreversibleError
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("treatments", "0007_per_site_maximum")]
AFTER = [("treatments", "0008_merge_session_followup_duplicates")]
MERGED = "Merged: one follow-up per clinic session (visits on the same date)"


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@contextmanager
def session_before_0008(code: str) -> Iterator[tuple]:
    """On 0007: one patient's two Botox visits of one date (cervical, blepharospasm), each
    with its own review and reinjection as that release wrote them. Yields the historical
    FollowUp model and {(visit pk, kind): row}; afterwards removes them and migrates to the
    latest state."""
    apps = migrate(BEFORE)
    Patient = apps.get_model("patients", "Patient")
    Product = apps.get_model("treatments", "ToxinProduct")
    Visit = apps.get_model("treatments", "InjectionVisit")
    FollowUp = apps.get_model("treatments", "FollowUp")
    try:
        patient = Patient.objects.create(
            medical_record_number=f"SESSION-{code}",
            first_name="Test",
            last_name="Patient",
            date_of_birth=date(1970, 1, 1),
            distribution="segmental",
            etiology="idiopathic",
            registered_on=date(2026, 1, 5),
        )
        toxin = Product.objects.create(
            code=code, generic_name="g", brand_name="Botox", serotype="A"
        )
        rows = {}
        for indication in ("cervical", "blepharospasm"):
            visit = Visit.objects.create(
                patient=patient,
                date=date(2026, 3, 2),
                indication=indication,
                product=toxin,
                lot_number="L",
                dilution_units_per_ml=1,
                guidance="emg",
            )
            for kind in ("review", "reinjection"):
                rows[(visit.pk, kind)] = FollowUp.objects.create(
                    patient=patient,
                    source_visit=visit,
                    kind=kind,
                    due_from=date(2026, 4, 1),
                    due_until=date(2026, 4, 15),
                )
        yield FollowUp, rows
    finally:
        FollowUp.objects.all().delete()
        Visit.objects.all().delete()
        Patient.objects.all().delete()
        Product.objects.filter(code=code).delete()
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_unbooked_duplicates_are_merged_and_booked_ones_stay():
    with session_before_0008("mig-botox") as (FollowUp, rows):
        first, second = sorted({visit_pk for visit_pk, _ in rows})
        # The second visit's review was booked: it must not disappear.
        FollowUp.objects.filter(pk=rows[(second, "review")].pk).update(
            status="scheduled", scheduled_at=datetime(2026, 4, 1, 9, tzinfo=UTC)
        )
        migrate(AFTER)
        state = {
            key: FollowUp.objects.values_list("status", "status_reason").get(pk=row.pk)
            for key, row in rows.items()
        }
        assert state == {
            (first, "review"): ("cancelled", MERGED),
            (first, "reinjection"): ("due", ""),
            (second, "review"): ("scheduled", ""),
            (second, "reinjection"): ("cancelled", MERGED),
        }


def test_migrating_0008_back_opens_what_it_merged():
    """The release before 0008 gives each visit its own review and reinjection (and checks
    a booking against that visit's product only): back on 0007, nothing may stay cancelled
    as merged, a reason that release does not know and never reopens. (Refusing to migrate
    back, irreversible, would be a clear answer too.)"""
    with session_before_0008("mig-rev") as (FollowUp, _rows):
        migrate(AFTER)
        assert FollowUp.objects.filter(status_reason=MERGED).count() == 2
        try:
            migrate(BEFORE)
        except IrreversibleError:
            return
        left = list(FollowUp.objects.filter(status_reason=MERGED).values_list("status", flat=True))
        assert left == [], f"back on 0007, {len(left)} follow-ups stay cancelled as merged"
