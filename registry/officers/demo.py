"""Demo Chief Quality Officers: about forty over the demo enterprises and regions, some approved, some pending."""

import datetime

from django.db import transaction

from ..factories import make_mobile, make_resident_id, make_uscc
from ..models import (
    ChiefQualityOfficer,
    Division,
    EconomicType,
    EducationLevel,
    Enterprise,
    IndustryCategory,
    ReviewStatus,
    User,
)
from .submission import submit

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["建国", "秀英", "志强", "丽娜", "海涛", "晓燕", "国华", "文静", "明辉", "雪梅", "立新", "慧敏", "振华", "红梅"]
POSITIONS = ["副总经理", "质量总监", "总工程师", "质量部部长", "常务副总经理"]
TRADES = [
    ("精密机械", "3421", ["PRIVATE"]),
    ("食品", "1391", ["PRIVATE", "LLC"]),
    ("制药", "2720", ["LISTED", "JSC"]),
    ("钢结构", "3311", ["SOE"]),
    ("电子科技", "3971", ["JOINT"]),
    ("纺织", "1713", ["MIXED"]),
    ("包装材料", "2231", ["PRIVATE"]),
    ("汽车零部件", "3670", ["FOREIGN"]),
]
#: county-level regions of the demo administrators' units
REGIONS = ["130102", "130104", "130105", "130108", "130203", "110105", "110108", "110101"]
DEMO_OFFICERS = 40
NUMERALS = "一二三四五六七八九十"


def place_name(division):
    return division.name.removesuffix("区").removesuffix("县")


@transaction.atomic
def load(demo):
    divisions = {d.code: d for d in Division.objects.filter(code__in=REGIONS)}
    educations = list(EducationLevel.objects.filter(code__in=["DOCTOR", "MASTER", "BACHELOR", "COLLEGE"]))
    enterprises = list(Enterprise.unscoped.order_by("id")[:8])
    for serial in range(1, DEMO_OFFICERS + 1 - len(enterprises)):
        trade, industry, natures = TRADES[serial % len(TRADES)]
        region = divisions[REGIONS[serial % len(REGIONS)]]
        enterprise, _created = Enterprise.unscoped.update_or_create(
            uscc=make_uscc(5000 + serial, region.code),
            defaults={
                "name": f"{place_name(region)}{trade}{NUMERALS[serial % 10]}厂有限公司",
                "region": region,
                "industry": IndustryCategory.objects.get(code=industry),
                "employees": 80 + serial * 37,
                "revenue": 1500 + serial * 900,
                "assets": 2000 + serial * 700,
                "legal_representative": SURNAMES[(serial + 7) % len(SURNAMES)] + GIVEN[(serial + 3) % len(GIVEN)],
                "registered_address": f"{region.full_name}工业大道{serial * 11}号",
            },
        )
        enterprise.economic_types.set(EconomicType.objects.filter(code__in=natures))
        enterprises.append(enterprise)
    approvers = {}
    for index, enterprise in enumerate(enterprises, start=1):
        if ChiefQualityOfficer.unscoped.filter(enterprise=enterprise).exists():
            continue
        organisation = enterprise.organisation
        submitter = approvers.get(organisation.pk) or submitter_for(organisation)
        approvers[organisation.pk] = submitter
        name = SURNAMES[index % len(SURNAMES)] + GIVEN[index % len(GIVEN)]
        officer = ChiefQualityOfficer(
            enterprise=enterprise,
            organisation=organisation,
            real_name=name,
            gender="F" if index % 3 == 0 else "M",
            education=educations[index % len(educations)],
            major="质量管理工程" if index % 2 else "机械工程",
            mobile=make_mobile(66_000_000 + index),
            position=POSITIONS[index % len(POSITIONS)],
            id_number=make_resident_id(index, enterprise.region_id[:6], f"19{70 + index % 20}0{1 + index % 9}15"),
            graduate_school=["河北工业大学", "北京理工大学", "天津大学", "燕山大学"][index % 4],
            title=["高级工程师", "工程师", "正高级工程师"][index % 3],
            quality_years=5 + index % 20,
            address=enterprise.registered_address,
            postcode="050000" if enterprise.region_id.startswith("13") else "100000",
            email=f"cqo{index:03d}@example.cn",
            appointment_date=datetime.date(2019 + index % 6, 1 + index % 12, 1 + index % 27),
            training_certificate_number=f"CQO{2020 + index % 5}{index:04d}",
            training_certificate_issuer="河北省市场监督管理局"
            if enterprise.region_id.startswith("13")
            else "北京市市场监督管理局",
            work_history=f"{2000 + index % 10}年起从事质量管理工作，主持建立企业质量管理体系，推行卓越绩效管理模式。",
            live=False,
        )
        officer.full_clean()
        officer.save()
        if index % 3 == 0:  # pending: submitted and waiting in the organisation's review queue
            submit(officer, submitter)
        else:
            officer.live = True
            officer.review_status = ReviewStatus.APPROVED
            # Seeded as already approved: no approval task ran, so no permission check either.
            officer.save_revision(user=submitter).publish(user=submitter, skip_permission_checks=True)


def submitter_for(organisation):
    """A demo administrator above ``organisation``, so that the unit's own administrator can approve the record."""
    for unit in [*reversed(organisation.get_ancestors()), organisation]:
        user = User.objects.filter(organisation=unit, kind=User.Kind.ADMINISTRATOR).exclude(role="").first()
        if user is not None:
            return user
    return User.objects.filter(is_superuser=True).first()
