"""Bound the pending lists of the trigram GIN indexes (PostgreSQL only).

With fastupdate, new entries of a GIN index wait in an unsorted pending list that every search reads in full,
merged only when it outgrows gin_pending_list_limit (4 MB by default) or at a vacuum. On a large table autovacuum
seldom comes, so searches read hundreds of pending pages per index (milliseconds each). At 64 kB (the minimum)
a search reads at most 8 pending pages per index, and writes still merge in batches.
"""

from django.db import migrations

INDEXES = [
    "standards_disclosed_ent_name_trgm",
    "standards_disclosed_name_trgm",
    "standards_disclosed_digits_trgm",
    "standards_disclosed_products_trgm",
    "standards_catalogue_digits_trgm",
]
PENDING_LIST_KB = 64


def tune(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"ALTER INDEX {name} SET (gin_pending_list_limit = {PENDING_LIST_KB})")
        schema_editor.execute("SELECT gin_clean_pending_list(%s::regclass)", [name])


def untune(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"ALTER INDEX {name} RESET (gin_pending_list_limit)")


class Migration(migrations.Migration):
    dependencies = [("standards", "0005_products_text")]

    operations = [migrations.RunPython(tune, untune)]
