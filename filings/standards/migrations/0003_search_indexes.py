"""Trigram GIN indexes for the public search (PostgreSQL only; SQLite scans, which is fine at its scale).

Chinese text is not segmented by PostgreSQL's parsers, so substring search (icontains) is what users
need; pg_trgm GIN indexes make ``LIKE/ILIKE '%…%'`` (registry.lookups.Fragment) use an index for fragments of three
or more characters.
"""

from django.db import migrations

INDEXES = [
    ("standards_disclosed_ent_name_trgm", "standards_disclosedstandard", "enterprise_name"),
    ("standards_disclosed_name_trgm", "standards_disclosedstandard", "name"),
    ("standards_disclosed_digits_trgm", "standards_disclosedstandard", "number_digits"),
    ("standards_catalogue_digits_trgm", "standards_cataloguestandard", "number_digits"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("standards", "0002_reference_data")]

    operations = [migrations.RunPython(create, drop)]
