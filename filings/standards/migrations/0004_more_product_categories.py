"""More product categories: metal products, machine-tool accessories and household ceramics."""

from django.db import migrations

ADDED = {
    ("70", "金属材料及制品"): {
        ("7001", "钢材"): ["钢筋", "钢板及型钢", "钢丝"],
        ("7002", "金属构件"): ["钢格栅板", "金属标牌"],
    },
    ("80", "日用品"): {
        ("8001", "日用陶瓷"): ["陶瓷餐具", "陶瓷茶具"],
    },
}
MACHINE_TOOL_ACCESSORIES = ("6003", "机床附件", ["数控转台", "滚珠丝杠副"])


def load(apps, schema_editor):
    ProductCategory = apps.get_model("standards", "ProductCategory")

    def add_family(segment, code, name, classes):
        family, _ = ProductCategory.objects.update_or_create(
            code=code, defaults={"name": name, "level": 2, "parent": segment}
        )
        for index, class_name in enumerate(classes, start=1):
            ProductCategory.objects.update_or_create(
                code=f"{code}{index:02d}", defaults={"name": class_name, "level": 3, "parent": family}
            )

    for (segment_code, segment_name), families in ADDED.items():
        segment, _ = ProductCategory.objects.update_or_create(
            code=segment_code, defaults={"name": segment_name, "level": 1, "parent": None}
        )
        for (code, name), classes in families.items():
            add_family(segment, code, name, classes)
    add_family(ProductCategory.objects.get(code="60"), *MACHINE_TOOL_ACCESSORIES)


class Migration(migrations.Migration):
    dependencies = [("standards", "0003_search_indexes")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
