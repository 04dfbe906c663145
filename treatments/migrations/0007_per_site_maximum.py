"""The catalog's maximum per site (TIMELINE.md: Botox for cervical dystonia, "at most 50 U
per site") and the visit's stored confirmation of a site above it.

The catalog's load creates missing rows only, so the rows already stored get the new
value here, once (``fill_site_maxima``); rows without one stay empty.
"""

from django.db import migrations, models

from treatments.catalog import fill_site_maxima


def fill(apps, schema_editor):
    fill_site_maxima(apps.get_model("treatments", "ProductTimeline"))


class Migration(migrations.Migration):
    dependencies = [
        ("treatments", "0006_followup_bookings"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalinjectionvisit",
            name="over_site_maximum_confirmed",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="historicalproducttimeline",
            name="max_units_per_site",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="Empty where the catalog states no maximum per site",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="injectionvisit",
            name="over_site_maximum_confirmed",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="producttimeline",
            name="max_units_per_site",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="Empty where the catalog states no maximum per site",
                null=True,
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
