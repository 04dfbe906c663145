"""Load the treatment catalogs: products, expected timelines, muscles (TIMELINE.md)."""

from django.db import migrations

from treatments.catalog import MUSCLES, PRODUCTS, load_treatment_catalogs


def load(apps, schema_editor):
    load_treatment_catalogs(
        apps.get_model("treatments", "ToxinProduct"),
        apps.get_model("treatments", "ProductTimeline"),
        apps.get_model("treatments", "Muscle"),
        apps.get_model("patients", "BodyRegion"),
    )


def unload(apps, schema_editor):
    apps.get_model("treatments", "Muscle").objects.filter(
        code__in=[code for code, *_ in MUSCLES]
    ).delete()
    apps.get_model("treatments", "ToxinProduct").objects.filter(
        code__in=[spec.code for spec in PRODUCTS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("patients", "0002_body_regions"),
        ("treatments", "0002_catalog_fields_and_rules"),
    ]
    operations = [migrations.RunPython(load, unload)]
