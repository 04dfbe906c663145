"""Migrations run on a clinic's populated database, not only on an empty one.

A release adds a constraint that rows written under the previous release may break: the
migrate step (docker-compose's `migrate` service) must still finish, or web and worker
never start. Each test rewinds one app to the migration before, writes the rows that
release allowed, and migrates forward again.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def constraints_of(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, table))


def migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_record_numbers_differing_only_in_case_do_not_stop_the_migration():
    before = [("patients", "0003_invitation_time_zone")]
    apps = migrate(before)
    Patient = apps.get_model("patients", "Patient")
    # Registration before 0004 compared record numbers exactly: both were accepted.
    for mrn in ("ab-1001", "AB-1001"):
        Patient.objects.create(
            medical_record_number=mrn,
            first_name="Test",
            last_name="Patient",
            date_of_birth=date(1970, 1, 1),
            distribution="focal",
            etiology="idiopathic",
            registered_on=date(2026, 1, 5),
        )
    try:
        migrate([("patients", "0004_patient_mrn_any_case")])
        assert Patient.objects.count() == 2  # no patient lost on the way
        assert "patient_mrn_any_case" not in constraints_of("patients_patient")
        # Resolved (the clinic renumbers one), the command adds the constraint.
        Patient.objects.filter(medical_record_number="ab-1001").update(
            medical_record_number="AB-1002"
        )
        migrate_to_latest()
        out = io.StringIO()
        call_command("add_case_constraints", stdout=out)
        assert "patients.Patient: patient_mrn_any_case added." in out.getvalue()
        assert "patient_mrn_any_case" in constraints_of("patients_patient")
    finally:
        Patient.objects.all().delete()
        migrate(before)  # forward again on clean rows: the constraint is in place
        migrate_to_latest()


def test_usernames_differing_only_in_case_do_not_stop_the_migration():
    before = [("clinic", "0005_notification_patient_uuid")]
    apps = migrate(before)
    User = apps.get_model("clinic", "User")
    # Django's own username check is exact: "Ana.Silva" and "ana.silva" could both sign up.
    for username in ("Ana.Silva", "ana.silva"):
        User.objects.create(username=username, password="!")
    try:
        migrate([("clinic", "0006_username_unique_any_case")])
        assert User.objects.count() == 2
        assert "user_username_unique_any_case" not in constraints_of("clinic_user")
    finally:
        User.objects.all().delete()
        migrate(before)
        migrate_to_latest()
    assert "user_username_unique_any_case" in constraints_of("clinic_user")
