"""Add the unique-in-any-case constraints a migration had to leave out (duplicates then).

See clinic/case_constraints.py. Safe to run again: a constraint in place is left alone.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import connection

from clinic.case_constraints import add_unless_duplicated
from clinic.models import User
from patients.models import Patient

CASE_CONSTRAINTS = (
    (Patient, "patient_mrn_any_case", "medical_record_number"),
    (User, "user_username_unique_any_case", "username"),
)


class Command(BaseCommand):
    help = "Add the unique-in-any-case constraints on record numbers and usernames."

    def handle(self, *args, **options) -> None:
        missing = 0
        for model, name, field in CASE_CONSTRAINTS:
            with connection.cursor() as cursor:
                present = connection.introspection.get_constraints(cursor, model._meta.db_table)
            if name in present:
                self.stdout.write(f"{model._meta.label}: {name} is in place.")
                continue
            constraint = next(c for c in model._meta.constraints if c.name == name)
            with connection.schema_editor() as editor:
                added = add_unless_duplicated(editor, model, constraint, field, self.stdout.write)
            self.stdout.write(f"{model._meta.label}: {name} added." if added else "")
            missing += not added
        if missing:
            raise SystemExit(1)
