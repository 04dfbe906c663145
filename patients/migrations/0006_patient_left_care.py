# A patient who left the clinic's care: the date and the reason (treatments.services.care).
#
# The patient table gets its two columns by ALTER TABLE ADD COLUMN on every database: on
# SQLite, Django would rebuild the table for a NOT NULL column, and the rebuild creates every
# constraint of the model's state, so it would add patient_mrn_any_case (or fail on the
# record numbers that differ only in case), which migration 0004 leaves to
# `manage.py add_case_constraints` while such duplicates remain.

from django.db import migrations, models

REASONS = [
    ("discharged", "Discharged"),
    ("moved_away", "Moved away"),
    ("transferred", "Transferred to another clinic"),
    ("died", "Died"),
]


def reason_field() -> models.CharField:
    return models.CharField(blank=True, choices=REASONS, default="", max_length=16)


class Migration(migrations.Migration):
    dependencies = [
        ("patients", "0005_user_access_follows_role"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalpatient",
            name="left_care_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="historicalpatient",
            name="left_care_reason",
            field=reason_field(),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="patient",
                    name="left_care_on",
                    field=models.DateField(blank=True, null=True),
                ),
                migrations.AddField(
                    model_name="patient",
                    name="left_care_reason",
                    field=reason_field(),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE patients_patient ADD COLUMN left_care_on date NULL",
                    "ALTER TABLE patients_patient DROP COLUMN left_care_on",
                ),
                migrations.RunSQL(
                    "ALTER TABLE patients_patient "
                    "ADD COLUMN left_care_reason varchar(16) DEFAULT '' NOT NULL",
                    "ALTER TABLE patients_patient DROP COLUMN left_care_reason",
                ),
            ],
        ),
    ]
