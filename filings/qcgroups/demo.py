"""Demo data: the secretariat's administrator, one approved and one pending unit, filings over two years."""

import datetime

from django.core.files.base import ContentFile

from registry import workflows
from registry.factories import make_mobile, make_uscc
from registry.models import Division, Role, User

from .factories import MINIMAL_PDF
from .models import Filing, FilingUnit, FilingUnitApprovalTask, YearlySetting, current_year, secretariat

UNITS = [
    # (login, name, category, uscc serial, province, city, contact, status)
    ("hbshjt", "华北石化集团有限公司", "group", 900_001, "130000", "130100", "王建华", "approved"),
    ("jshrhg", "江苏恒润化工有限公司", "enterprise", 900_002, "320000", "320500", "李晓燕", "pending"),
]

ENTERPRISES = ["华北石化集团有限公司", "华北石化沧州炼化有限公司", "华北石化邯郸化工有限公司"]
TOPICS = [
    "降低催化裂化装置能耗",
    "提高聚丙烯产品优级品率",
    "缩短加氢裂化装置检修时间",
    "降低污水处理药剂消耗",
    "提高常减压装置轻油收率",
    "减少机泵机械密封泄漏次数",
    "降低乙烯装置火炬排放量",
    "提高化验分析一次合格率",
    "降低锅炉排烟温度",
    "减少仪表故障导致的非计划停车",
]
GROUP_NAMES = ["攻坚", "节能先锋", "精益", "启航", "创新", "蓝天", "匠心", "求实", "聚力", "卓越"]
LEADERS = ["张伟", "刘洋", "陈静", "赵磊", "孙丽", "周强", "吴敏", "郑涛", "冯雪", "何军"]


def unit_for(demo, login, name, category, serial, province, city, contact, status):
    account, created = User.objects.get_or_create(
        username=login, defaults={"kind": User.Kind.ENTERPRISE, "email": f"{login}@example.cn", "real_name": contact}
    )
    unit = FilingUnit.unscoped.filter(account=account).first()
    if unit is None:
        unit = FilingUnit(account=account, licence=ContentFile(MINIMAL_PDF, name="licence.pdf"))
    unit.name, unit.category, unit.uscc = name, category, make_uscc(serial, city)
    unit.province, unit.city = Division.objects.get(code=province), Division.objects.get(code=city)
    unit.contact_name, unit.contact_mobile, unit.email = contact, make_mobile(serial), account.email
    approved = status == FilingUnit.Status.APPROVED
    submitting = not approved and unit.live  # a new unit (live by default) or one approved before
    unit.live = approved
    unit.save()
    if submitting:
        workflows.submit(unit, account, FilingUnitApprovalTask.workflow())
    if approved:
        password = account.issue_one_time_password()
        account.save()
        demo.announce(f"QC/班组成果备案单位（{name}）", login, password, url="/qc/")
    else:
        account.set_unusable_password()
        account.save()
    return unit


def load(demo):
    demo.administrator(secretariat(), Role.INSTITUTION, "石化联合会秘书处", serial=20)
    units = [unit_for(demo, *row) for row in UNITS]
    approved = units[0]
    this_year = current_year()
    for offset, year in enumerate((this_year - 1, this_year)):
        YearlySetting.unscoped.update_or_create(
            unit=approved, year=year, defaults={"qc_group_count": 12 + offset * 3, "trusted_team_count": 6 + offset}
        )
        for index in range(10):
            kind = Filing.Kind.QC_GROUP if index < 7 else Filing.Kind.TRUSTED_TEAM
            suffix = "QC小组" if kind == Filing.Kind.QC_GROUP else "班组"
            Filing.unscoped.update_or_create(
                unit=approved,
                topic=f"{TOPICS[(index + offset * 3) % len(TOPICS)]}（{year}）",
                group_name=f"{GROUP_NAMES[index]}{suffix}",
                defaults={
                    "year": year,
                    "kind": kind,
                    "enterprise_name": ENTERPRISES[index % len(ENTERPRISES)],
                    "member_count": 5 + (index * 3) % 8,
                    "leader": LEADERS[(index + offset) % len(LEADERS)],
                    "founded_on": datetime.date(year - 1, 1 + index, 10),
                },
            )
