# Admin-site access follows the role (clinic.User.access_follows_role) for rows saved
# before that rule. A superuser or staff user with the patient role and no patient record
# was made by ``createsuperuser`` (which gave the default role): the clinic's
# administrator, who becomes one. Every other user's flags are set from their role, so a
# neurologist or staff member once given the admin site no longer has it.

from django.db import migrations


def follow_role(apps, schema_editor):
    user = apps.get_model("clinic", "User")
    patient = apps.get_model("patients", "Patient")
    linked = patient.objects.filter(user__isnull=False).values("user_id")
    made_by_createsuperuser = user.objects.filter(role="patient", is_superuser=True).exclude(
        pk__in=linked
    )
    made_by_createsuperuser.update(role="admin")
    user.objects.filter(role="admin").update(is_staff=True, is_superuser=True)
    user.objects.exclude(role="admin").update(is_staff=False, is_superuser=False)


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0008_user_manager_admin_role"),
        ("patients", "0004_patient_mrn_any_case"),
    ]

    operations = [migrations.RunPython(follow_role, migrations.RunPython.noop)]
