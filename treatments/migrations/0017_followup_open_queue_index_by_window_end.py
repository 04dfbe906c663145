from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """The queue's pages of open follow-ups are ordered by the end of their window (the
    overdue first): its partial index leads with due_until after the status."""

    dependencies = [
        ("treatments", "0016_visit_early_reason_next_pair"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(model_name="followup", name="followup_open_queue_idx"),
        migrations.AddIndex(
            model_name="followup",
            index=models.Index(
                condition=models.Q(("status__in", ["due", "scheduled"])),
                fields=["status", "due_until", "due_from"],
                include=("patient", "id"),
                name="followup_open_queue_idx",
            ),
        ),
    ]
