"""0008 closes the duplicate follow-ups of one clinic session left from before the rule.

Rewinds treatments to 0007, writes what that release wrote (each visit of one date with
its own review and reinjection), migrates forward, and reads what stays open.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("treatments", "0007_per_site_maximum")]
AFTER = [("treatments", "0008_merge_session_followup_duplicates")]
MERGED = "Merged: one follow-up per clinic session (visits on the same date)"


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_unbooked_duplicates_are_merged_and_booked_ones_stay():
    apps = migrate(BEFORE)
    Patient = apps.get_model("patients", "Patient")
    Product = apps.get_model("treatments", "ToxinProduct")
    Visit = apps.get_model("treatments", "InjectionVisit")
    FollowUp = apps.get_model("treatments", "FollowUp")
    try:
        patient = Patient.objects.create(
            medical_record_number="SESSION-1",
            first_name="Test",
            last_name="Patient",
            date_of_birth=date(1970, 1, 1),
            distribution="segmental",
            etiology="idiopathic",
            registered_on=date(2026, 1, 5),
        )
        toxin = Product.objects.create(
            code="mig-botox", generic_name="g", brand_name="Botox", serotype="A"
        )
        day = date(2026, 3, 2)
        visits = [
            Visit.objects.create(
                patient=patient,
                date=day,
                indication=indication,
                product=toxin,
                lot_number="L",
                dilution_units_per_ml=1,
                guidance="emg",
            )
            for indication in ("cervical", "blepharospasm")
        ]
        booked_at = datetime(2026, 4, 1, 9, tzinfo=UTC)
        rows = {}
        for visit in visits:
            for kind in ("review", "reinjection"):
                rows[(visit.pk, kind)] = FollowUp.objects.create(
                    patient=patient,
                    source_visit=visit,
                    kind=kind,
                    due_from=date(2026, 4, 1),
                    due_until=date(2026, 4, 15),
                )
        # The second visit's review was booked: it must not disappear.
        FollowUp.objects.filter(pk=rows[(visits[1].pk, "review")].pk).update(
            status="scheduled", scheduled_at=booked_at
        )
        migrate(AFTER)
        state = {
            key: FollowUp.objects.values_list("status", "status_reason").get(pk=row.pk)
            for key, row in rows.items()
        }
        assert state == {
            (visits[0].pk, "review"): ("cancelled", MERGED),
            (visits[0].pk, "reinjection"): ("due", ""),
            (visits[1].pk, "review"): ("scheduled", ""),
            (visits[1].pk, "reinjection"): ("cancelled", MERGED),
        }
    finally:
        FollowUp.objects.all().delete()
        Visit.objects.all().delete()
        Patient.objects.all().delete()
        Product.objects.filter(code="mig-botox").delete()
        migrate(executor_leaf_nodes())


def executor_leaf_nodes():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()
