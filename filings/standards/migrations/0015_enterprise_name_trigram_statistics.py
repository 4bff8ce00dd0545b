"""Which trigrams are common in the disclosing enterprises' names, sampled by ANALYZE (PostgreSQL 14 and later).

As registry migration 0028 for the enterprise register: ``registry.lookups.Fragment`` looks a longer name fragment
up by its rare windows, which these statistics tell from the common ones.
"""

from django.db import migrations

STATISTICS = "standards_disclosedstandard_enterprise_name_trigrams"


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql" or connection.pg_version < 140000:
        return
    schema_editor.execute(
        f"CREATE STATISTICS IF NOT EXISTS {STATISTICS} ON (show_trgm(enterprise_name)) FROM standards_disclosedstandard"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {STATISTICS}")


class Migration(migrations.Migration):
    dependencies = [("standards", "0014_encrypted_identifiers")]

    operations = [migrations.RunPython(create, drop)]
