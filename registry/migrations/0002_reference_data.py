"""Load the shipped reference tables and the organisation tree built from them."""

from django.db import migrations


def load(apps, schema_editor):
    from registry.reference import load_all

    load_all(
        apps.get_model("registry", "Division"),
        apps.get_model("registry", "IndustryCategory"),
        apps.get_model("registry", "EconomicType"),
        apps.get_model("registry", "EducationLevel"),
        apps.get_model("registry", "Organisation"),
    )


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]
