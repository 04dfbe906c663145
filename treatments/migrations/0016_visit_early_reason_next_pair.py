"""A visit recorded late between two visits, early on both sides: its one reason is
written about the pair with the next visit too (``early_reason_next_pair``)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("treatments", "0015_daxxify_interval_and_type_a_rows"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalinjectionvisit",
            name="early_reason_next_pair",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="treatments.injectionvisit",
            ),
        ),
        migrations.AddField(
            model_name="injectionvisit",
            name="early_reason_next_pair",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="treatments.injectionvisit",
            ),
        ),
    ]
