"""Daxxify's minimum re-injection interval for cervical dystonia (12 weeks) on the row
already stored, and the catalog's new rows (Daxxify in the "any type A" indications).

The catalog's load creates missing rows only; the stored Daxxify row gets its interval
here, once (``fill_daxxify_interval``), unless an administrator set one.
"""

from django.db import migrations

from treatments.catalog import fill_daxxify_interval, load_timelines


def forward(apps, schema_editor):
    timeline = apps.get_model("treatments", "ProductTimeline")
    load_timelines(apps.get_model("treatments", "ToxinProduct"), timeline)
    fill_daxxify_interval(timeline)


class Migration(migrations.Migration):
    dependencies = [
        ("treatments", "0014_course_entered_in_error"),
    ]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
