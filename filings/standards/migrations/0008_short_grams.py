"""GIN indexes on ``cqo_short_grams`` (migration registry 0009) of the searched text columns (PostgreSQL only),
so a search for one or two characters (质量, 钢) is an index look-up rather than a scan of every standard.

Pending lists are bounded as in migration 0006. The standard number's digits get none: a fragment of one or two digits matches most standards anyway.
"""

from django.db import migrations

INDEXES = [
    ("standards_disclosed_ent_name_grams", "enterprise_name"),
    ("standards_disclosed_name_grams", "name"),
    ("standards_disclosed_products_grams", "products_text"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON standards_disclosedstandard USING gin (cqo_short_grams({column}))"
            " WITH (gin_pending_list_limit = 64)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, _column in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("standards", "0007_product_rows"), ("registry", "0009_short_grams")]

    operations = [migrations.RunPython(create, drop)]
