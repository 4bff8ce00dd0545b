"""Which trigrams are common in enterprise names, sampled by ANALYZE (PostgreSQL 14 and later only).

``registry.lookups.Fragment`` looks a longer name fragment up by its rare windows, which these statistics tell from
the common ones (the region's, the trade's, the legal form's).
"""

from django.db import migrations

STATISTICS = "registry_enterprise_name_trigrams"


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql" or connection.pg_version < 140000:
        return
    schema_editor.execute(f"CREATE STATISTICS IF NOT EXISTS {STATISTICS} ON (show_trgm(name)) FROM registry_enterprise")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {STATISTICS}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0027_officer_revised_index")]

    operations = [migrations.RunPython(create, drop)]
