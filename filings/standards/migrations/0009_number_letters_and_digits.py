"""``number_alnum``: a standard number's letters and digits (``alnum_of``), searched as users type numbers
(issue 21: ``Q/HBGT 001-2024``, ``HBGT001``, ``qhbgt 001``), with a trigram GIN index on PostgreSQL.

Existing rows are filled by one UPDATE (numbers are stored tidied: half-width, upper case), then indexed.
"""

from django.db import migrations, models

INDEX = "standards_disclosed_alnum_trgm"


def fill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "UPDATE standards_disclosedstandard SET number_alnum = regexp_replace(upper(number), '[^0-9A-Z]', '', 'g')"
        )
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON standards_disclosedstandard USING gin (number_alnum gin_trgm_ops)"
            " WITH (gin_pending_list_limit = 64)"
        )
        return
    from filings.standards.models.catalogue import alnum_of

    DisclosedStandard = apps.get_model("standards", "DisclosedStandard")
    rows = list(DisclosedStandard.objects.only("pk", "number"))
    for row in rows:
        row.number_alnum = alnum_of(row.number)
    DisclosedStandard.objects.bulk_update(rows, ["number_alnum"], batch_size=1000)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("standards", "0008_short_grams")]

    operations = [
        migrations.AddField(
            model_name="disclosedstandard",
            name="number_alnum",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="number letters and digits"
            ),
        ),
        migrations.RunPython(fill, drop),
    ]
