# Adds the constraint only when no record numbers differ only in case (clinic/case_constraints.py).

from django.conf import settings
from django.db import migrations, models
from django.db.models.functions import Upper

from clinic.case_constraints import add_unless_duplicated, remove_if_present

CONSTRAINT = models.UniqueConstraint(Upper("medical_record_number"), name="patient_mrn_any_case")


def add(apps, schema_editor):
    patient = apps.get_model("patients", "Patient")
    add_unless_duplicated(schema_editor, patient, CONSTRAINT, "medical_record_number")


def remove(apps, schema_editor):
    remove_if_present(schema_editor, apps.get_model("patients", "Patient"), CONSTRAINT)


class Migration(migrations.Migration):
    dependencies = [
        ("patients", "0003_invitation_time_zone"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddConstraint(model_name="patient", constraint=CONSTRAINT)
            ],
            database_operations=[migrations.RunPython(add, remove)],
        ),
    ]
