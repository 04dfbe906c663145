"""Review of migration 0008 (session duplicates): migrating back must not leave the
release before it with rows it cannot read (it has one follow-up set per visit)."""

from __future__ import annotations

from datetime import date

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


def test_migrating_0008_back_leaves_visits_without_their_own_follow_ups():
    """The release before 0008 gives each visit its own review and reinjection (and checks
    a booking against that visit's product only). 0008's reverse is a no-op: back on 0007,
    the second visit's follow-ups stay cancelled as merged, a reason that release does not
    know and never reopens (nor does its sweep, which sees two rows on the visit). The
    reverse should either open them again or refuse (irreversible), not pass silently."""
    apps = migrate(BEFORE)
    Patient = apps.get_model("patients", "Patient")
    Product = apps.get_model("treatments", "ToxinProduct")
    Visit = apps.get_model("treatments", "InjectionVisit")
    FollowUp = apps.get_model("treatments", "FollowUp")
    try:
        patient = Patient.objects.create(
            medical_record_number="SESSION-REV",
            first_name="Test",
            last_name="Patient",
            date_of_birth=date(1970, 1, 1),
            distribution="segmental",
            etiology="idiopathic",
            registered_on=date(2026, 1, 5),
        )
        toxin = Product.objects.create(
            code="mig-rev", generic_name="g", brand_name="Botox", serotype="A"
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
        for visit in visits:
            for kind in ("review", "reinjection"):
                FollowUp.objects.create(
                    patient=patient,
                    source_visit=visit,
                    kind=kind,
                    due_from=date(2026, 4, 1),
                    due_until=date(2026, 4, 15),
                )
        migrate(AFTER)
        assert FollowUp.objects.filter(status_reason=MERGED).count() == 2
        try:
            migrate(BEFORE)
        except IrreversibleError:
            return  # refusing is a clear answer
        left = list(FollowUp.objects.filter(status_reason=MERGED).values_list("status", flat=True))
        assert left == [], f"back on 0007, {len(left)} follow-ups stay cancelled as merged"
    finally:
        FollowUp.objects.all().delete()
        Visit.objects.all().delete()
        Patient.objects.all().delete()
        Product.objects.filter(code="mig-rev").delete()
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
