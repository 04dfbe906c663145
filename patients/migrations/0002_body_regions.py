"""Load the body-region catalog (DESIGN §2)."""

from django.db import migrations

from patients.catalog import REGIONS, load_body_regions


def load(apps, schema_editor):
    load_body_regions(apps.get_model("patients", "BodyRegion"))


def unload(apps, schema_editor):
    apps.get_model("patients", "BodyRegion").objects.filter(
        code__in=[code for code, _, _ in REGIONS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("patients", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
