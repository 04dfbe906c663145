"""Notifications and deliveries name the patient they are about (for the inbox's scope).

Cycle alerts already sent or waiting carry the patient's UUID at the start of their
delivery key (``<patient uuid>:<injection date>:<verdict>``): it is copied into the new
field of the delivery and of the notification it became.
"""

import uuid

from django.db import migrations, models

CYCLE_ALERT = "cycle_alert"  # clinic.notify.CYCLE_ALERT, as it was when this was written


def patient_of_key(key: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(key.split(":", 1)[0])
    except ValueError:
        return None


def name_the_patients_of_cycle_alerts(apps, schema_editor):
    Delivery = apps.get_model("clinic", "Delivery")
    Notification = apps.get_model("clinic", "Notification")
    alerts = Delivery.objects.filter(kind=CYCLE_ALERT, patient_uuid__isnull=True)
    for delivery in alerts.only("pk", "key", "notification_id").iterator():
        patient_uuid = patient_of_key(delivery.key)
        if patient_uuid is None:
            continue
        Delivery.objects.filter(pk=delivery.pk).update(patient_uuid=patient_uuid)
        if delivery.notification_id is not None:
            Notification.objects.filter(pk=delivery.notification_id).update(
                patient_uuid=patient_uuid
            )


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0004_audit_break_glass_miss"),
    ]

    operations = [
        migrations.AddField(
            model_name="delivery",
            name="patient_uuid",
            field=models.UUIDField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="notification",
            name="patient_uuid",
            field=models.UUIDField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(name_the_patients_of_cycle_alerts, migrations.RunPython.noop),
    ]
