"""Demo data: an enterprise account, a small standards catalogue, ~15 disclosures of all four kinds and a registration
by documents waiting for its county."""

import datetime
from decimal import Decimal

from django.utils import timezone

from registry.factories import make_mobile, make_resident_id, make_uscc
from registry.models import Enterprise, User

from . import services
from .factories import EnterpriseVerificationFactory, gtin13
from .models import (
    CatalogueStandard,
    DisclosedStandard,
    EnterpriseProfile,
    EnterpriseVerification,
    Indicator,
    IndicatorCategory,
    ProductCategory,
    StandardKind,
)

CATALOGUE = [
    ("national", "GB/T 10789-2015", "饮料通则"),
    ("national", "GB 19298-2014", "食品安全国家标准 包装饮用水"),
    ("national", "GB 15763.2-2005", "建筑用安全玻璃 第2部分：钢化玻璃"),
    ("national", "GB/T 1499.2-2018", "钢筋混凝土用钢 第2部分：热轧带肋钢筋"),
    ("national", "GB/T 700-2006", "碳素结构钢"),
    ("national", "GB/T 601-2016", "化学试剂 标准滴定溶液的制备"),
    ("national", "GB 5009.3-2016", "食品安全国家标准 食品中水分的测定"),
    ("national", "GB/T 228.1-2021", "金属材料 拉伸试验 第1部分：室温试验方法"),
    ("industry", "JC/T 2128-2012", "超白浮法玻璃"),
    ("industry", "YB/T 5294-2009", "一般用途低碳钢丝"),
    ("industry", "QB/T 2461-1999", "包装用降解聚乙烯薄膜"),
    ("local", "DB13/T 5120-2019", "河北省 建筑用钢筋质量追溯规范"),
]

#: (enterprise serial in registry.demo, kind, number, name, product names, category code, days since publication)
DISCLOSURES = [
    (
        1,
        "enterprise",
        "Q/HBGT 001-2024",
        "热轧带肋钢筋（企业标准）",
        ["HRB400E热轧带肋钢筋", "HRB500E热轧带肋钢筋"],
        "700101",
        400,
    ),
    (1, "enterprise", "Q/HBGT 002-2024", "冷轧低碳钢丝", ["冷轧低碳钢丝"], "700103", 30),
    (1, "national", "GB/T 1499.2-2018", "", ["螺纹钢"], "700101", 200),
    (1, "national", "GB/T 700-2006", "", ["Q235B碳素结构钢板"], "700102", 90),
    (1, "industry", "YB/T 5294-2009", "", ["镀锌低碳钢丝"], "700103", 60),
    (1, "local", "DB13/T 5120-2019", "", ["钢筋追溯标签"], "700202", 10),
    (1, "industry", "YB/T 4001.1-2019", "钢格栅板及配套件 第1部分：钢格栅板", ["压焊钢格栅板"], "700201", 5),
    (2, "enterprise", "Q/SJZY 003-2023", "维生素C泡腾片", ["维C泡腾片（橙味）"], "100102", 800),
    (2, "national", "GB/T 10789-2015", "", ["复合维生素饮料"], "100104", 150),
    (3, "enterprise", "Q/CAJM 001-2025", "精密数控转台", ["TK13250数控转台"], "600301", 2),
    (4, "enterprise", "Q/TSTC 008-2022", "日用细瓷餐具", ["骨瓷餐盘"], "800101", 700),
    (4, "industry", "JC/T 2128-2012", "", ["超白玻璃面板"], "300101", 120),
    (6, "national", "GB 19298-2014", "", ["饮用纯净水 550ml", "饮用纯净水 18.9L"], "100102", 45),
    (6, "enterprise", "Q/BJSP 001-2024", "植物蛋白饮料（核桃乳）", ["核桃乳 240ml"], "100101", 20),
]

ABOLISHED = "Q/TSTC 008-2022"
DRAFT = ("Q/CAJM 002-2025", "高精度滚珠丝杠副")


def demo_enterprises():
    """registry.demo's enterprises by serial (its USCCs carry the serial in the organisation code)."""
    by_serial = {}
    for candidate in Enterprise.unscoped.all():
        code = candidate.uscc[8:17]
        if code.isdigit() and make_uscc(int(code), candidate.uscc[2:8]) == candidate.uscc:
            by_serial.setdefault(int(code), candidate)
    return by_serial


def load(demo):
    for kind, number, name in CATALOGUE:
        CatalogueStandard.objects.update_or_create(number=number, defaults={"kind": kind, "name": name})
    enterprises = demo_enterprises()
    main = enterprises.get(1)
    if main is None:
        return
    main.legal_representative_id_number = main.legal_representative_id_number or make_resident_id(501, "130102")
    main.save()
    account, _created = User.objects.get_or_create(
        username="hbgt_biaozhun",
        defaults={
            "kind": User.Kind.ENTERPRISE,
            "enterprise": main,
            "mobile": make_mobile(70_000_001),
            "id_number": make_resident_id(502, "130102", birth="19860412"),
            "real_name": "刘晓燕",
            "organisation": main.organisation,
        },
    )
    password = account.issue_one_time_password()
    account.save()
    EnterpriseProfile.for_user(account)
    demo.announce(f"企业标准公开账号（{main.name}）", account.username, password, "/accounts/login/")
    waiting_for_documents(enterprises.get(2))

    now = timezone.now()
    category = IndicatorCategory.objects.filter(enterprise=None, name="理化").first()
    for serial, kind, number, name, products, category_code, days in DISCLOSURES:
        owner = enterprises.get(serial)
        if owner is None:
            continue
        entry = CatalogueStandard.objects.filter(number=number).first()
        standard, _created = DisclosedStandard.unscoped.update_or_create(
            enterprise=owner,
            number=number,
            defaults={
                "kind": kind,
                "name": entry.name if entry else name,
                "catalogue_entry": entry,
                "content": DisclosedStandard.Content.INDICATORS if kind == StandardKind.ENTERPRISE else "",
                "status": DisclosedStandard.Status.DRAFT,
                "published_at": None,
                "abolished_at": None,
            },
        )
        standard.products.all().delete()
        standard.indicators.all().delete()
        for index, product in enumerate(products):
            standard.products.create(
                name=product,
                common_name=product.split("（")[0],
                barcode=gtin13(f"69{serial:02d}{standard.pk % 10000:04d}{index:04d}"),
                brand=owner.name[:2],
                specification="按标准规定",
                category=ProductCategory.objects.get(code=category_code),
            )
        standard.refresh_product_copies()
        if kind == StandardKind.ENTERPRISE:
            Indicator.objects.create(
                standard=standard,
                name="有效成分含量",
                category=category,
                lower_limit="95%",
                lower_plus=Decimal("0.100"),
                lower_minus=Decimal("0.200"),
                lower_operator="<",
                quantity="含量",
                upper_operator="<=",
                upper_limit="99",
                upper_plus=Decimal("0.150"),
                upper_minus=Decimal("0.560"),
                unit="%",
                test_method="GB/T 601-2016",
                test_method_standard=CatalogueStandard.objects.filter(number="GB/T 601-2016").first(),
            )
            Indicator.objects.create(
                standard=standard,
                name="外观",
                requirement_type=Indicator.RequirementType.TEXT,
                text_requirement="表面应平整、无裂纹、无明显杂质",
                test_method="目测",
            )
        services.publish(standard, account if owner == main else None, now - datetime.timedelta(days=days))
        if number == ABOLISHED:
            standard.abolished_at = now - datetime.timedelta(days=3)
            standard.save(update_fields=["abolished_at"])

    draft, _created = DisclosedStandard.unscoped.update_or_create(
        enterprise=enterprises.get(3, main),
        number=DRAFT[0],
        defaults={"kind": StandardKind.ENTERPRISE, "name": DRAFT[1], "status": DisclosedStandard.Status.DRAFT},
    )
    if not draft.products.exists():
        draft.products.create(name="SFU2505滚珠丝杠副", category=ProductCategory.objects.get(code="600302"))
        draft.refresh_product_copies()


def waiting_for_documents(enterprise):
    """A registration by documents for the county to check (the registry lacks this enterprise's details)."""
    if enterprise is None or EnterpriseVerification.unscoped.filter(enterprise=enterprise).exists():
        return
    account = User.objects.create(
        username="dengdai_hezhun",
        kind=User.Kind.ENTERPRISE,
        enterprise=enterprise,
        mobile=make_mobile(70_000_002),
        real_name="王等待",
        organisation=enterprise.organisation,
        is_active=False,
    )
    EnterpriseVerificationFactory(
        enterprise=enterprise, account=account, username=account.username, mobile=account.mobile
    )
