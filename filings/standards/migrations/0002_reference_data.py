"""Preset product categories (three levels) and indicator categories."""

from django.db import migrations

#: segment → family → classes (a condensed GS1 GPC-style tree in Chinese)
PRODUCT_CATEGORIES = {
    ("10", "食品、饮料和烟草"): {
        ("1001", "饮料"): ["果蔬汁饮料", "包装饮用水", "碳酸饮料", "茶饮料"],
        ("1002", "乳制品"): ["液体乳", "乳粉", "发酵乳"],
        ("1003", "粮油制品"): ["食用植物油", "大米", "面粉及挂面"],
    },
    ("20", "家用电器"): {
        ("2001", "厨房电器"): ["电饭锅", "电磁炉", "微波炉"],
        ("2002", "环境电器"): ["空气净化器", "电风扇", "加湿器"],
    },
    ("30", "建筑材料"): {
        ("3001", "玻璃制品"): ["钢化玻璃", "夹层玻璃", "中空玻璃"],
        ("3002", "水泥及制品"): ["通用硅酸盐水泥", "混凝土预制件"],
    },
    ("40", "化工产品"): {
        ("4001", "涂料"): ["建筑涂料", "工业涂料"],
        ("4002", "日用化学品"): ["洗涤剂", "化妆品", "消毒剂"],
    },
    ("50", "乐器、游戏、玩具、工艺品、教育器材和用品"): {
        ("5001", "教室的专业装饰和装饰附属物"): ["教室装饰物和用品", "教学挂图"],
        ("5002", "玩具"): ["毛绒玩具", "塑料玩具", "电动玩具"],
    },
    ("60", "机械设备"): {
        ("6001", "泵及阀门"): ["离心泵", "阀门"],
        ("6002", "农业机械"): ["拖拉机", "播种机"],
    },
}

INDICATOR_CATEGORIES = ["标准", "指标", "温度", "技术", "感官", "理化", "微生物", "安全", "卫生", "性能"]


def load(apps, schema_editor):
    ProductCategory = apps.get_model("standards", "ProductCategory")
    IndicatorCategory = apps.get_model("standards", "IndicatorCategory")
    for (segment_code, segment_name), families in PRODUCT_CATEGORIES.items():
        segment, _ = ProductCategory.objects.update_or_create(
            code=segment_code, defaults={"name": segment_name, "level": 1, "parent": None}
        )
        for (family_code, family_name), classes in families.items():
            family, _ = ProductCategory.objects.update_or_create(
                code=family_code, defaults={"name": family_name, "level": 2, "parent": segment}
            )
            for index, class_name in enumerate(classes, start=1):
                ProductCategory.objects.update_or_create(
                    code=f"{family_code}{index:02d}", defaults={"name": class_name, "level": 3, "parent": family}
                )
    for name in INDICATOR_CATEGORIES:
        IndicatorCategory.objects.get_or_create(name=name, enterprise=None)


class Migration(migrations.Migration):
    dependencies = [("standards", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
