# Adds the constraint only when no usernames differ only in case (clinic/case_constraints.py).

from django.db import migrations, models
from django.db.models.functions import Lower

from clinic.case_constraints import add_unless_duplicated, remove_if_present

CONSTRAINT = models.UniqueConstraint(
    Lower("username"),
    name="user_username_unique_any_case",
    violation_error_message="That username is taken.",
)


def add(apps, schema_editor):
    user = apps.get_model("clinic", "User")
    add_unless_duplicated(schema_editor, user, CONSTRAINT, "username")


def remove(apps, schema_editor):
    remove_if_present(schema_editor, apps.get_model("clinic", "User"), CONSTRAINT)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("clinic", "0005_notification_patient_uuid"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddConstraint(model_name="user", constraint=CONSTRAINT)],
            database_operations=[migrations.RunPython(add, remove)],
        ),
    ]
