"""A copy of each disclosure's products on its own row, so the public detail page reads one row."""

from django.db import migrations, models

#: As models.disclosures.PRODUCT_ROW_FIELDS when this migration was written.
FIELDS = ("name", "common_name", "barcode", "brand", "specification", "model", "category_id")
CHUNK = 1000


def copy_products(apps, schema_editor):
    DisclosedStandard = apps.get_model("standards", "DisclosedStandard")
    Product = apps.get_model("standards", "Product")
    ids = list(DisclosedStandard.objects.filter(products__isnull=False).distinct().values_list("id", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = {standard_id: [] for standard_id in chunk}
        for product in Product.objects.filter(standard_id__in=chunk).order_by("id").values("standard_id", *FIELDS):
            rows[product.pop("standard_id")].append(product)
        standards = [DisclosedStandard(id=standard_id, product_rows=products) for standard_id, products in rows.items()]
        DisclosedStandard.objects.bulk_update(standards, ["product_rows"])


class Migration(migrations.Migration):
    dependencies = [
        ("standards", "0006_search_tuning"),
    ]

    operations = [
        migrations.AddField(
            model_name="disclosedstandard",
            name="product_rows",
            field=models.JSONField(
                blank=True,
                default=list,
                editable=False,
                help_text="Kept by refresh_product_copies() so the public pages read one row.",
                verbose_name="products as listed",
            ),
        ),
        migrations.AlterField(
            model_name="disclosedstandard",
            name="products_text",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="Kept by refresh_product_copies() so one trigram index serves product searches.",
                verbose_name="product names and barcodes",
            ),
        ),
        migrations.RunPython(copy_products, migrations.RunPython.noop),
    ]
