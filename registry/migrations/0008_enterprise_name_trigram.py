"""A trigram GIN index on the enterprise name, for the public talent pool's search (PostgreSQL only).

``registry.lookups.Fragment`` matches ``LIKE '%…%'`` on the raw column, which this index serves for
fragments of three or more characters; SQLite scans, which is fine at its scale.
"""

from django.db import migrations

INDEX = "registry_enterprise_name_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON registry_enterprise USING gin (name gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0007_officer_listing_indexes")]

    operations = [migrations.RunPython(create, drop)]
