"""Trigram GIN indexes on the officer's real name and mobile, and a short-grams index on the real name, for the
officer admin search (registry.officers.filters; PostgreSQL only, like 0008 and 0009).

A phone number's last four digits ("5678") or a two-character name ("王伟") are found through these indexes
instead of a scan of every officer; SQLite scans, which is fine at its scale.
"""

from django.db import migrations

INDEXES = {
    "registry_officer_real_name_trgm": "USING gin (real_name gin_trgm_ops)",
    "registry_officer_real_name_grams": "USING gin (cqo_short_grams(real_name)) WITH (gin_pending_list_limit = 64)",
    "registry_officer_mobile_trgm": "USING gin (mobile gin_trgm_ops)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON registry_chiefqualityofficer {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0009_short_grams")]

    operations = [migrations.RunPython(create, drop)]
