"""factory-boy factory for Chief Quality Officers (tests, the scoping sweep, benchmarks)."""

import factory
from factory.django import DjangoModelFactory

from ..factories import EnterpriseFactory, make_mobile, make_resident_id, make_uscc
from ..models import ChiefQualityOfficer


class OfficerFactory(DjangoModelFactory):
    """A pending officer of a fresh enterprise, reviewed by the enterprise's supervising bureau."""

    class Meta:
        model = ChiefQualityOfficer

    enterprise = factory.SubFactory(EnterpriseFactory)
    organisation = factory.LazyAttribute(lambda officer: officer.enterprise.organisation)
    real_name = factory.Sequence(lambda n: f"质量官{n}")
    gender = "M"
    mobile = factory.Sequence(lambda n: make_mobile(30_000_000 + n))
    id_number = factory.Sequence(lambda n: make_resident_id(n, "110105"))
    email = factory.Sequence(lambda n: f"officer{n}@example.cn")
    appointment_date = "2024-01-01"
    live = False


def import_row(serial, *, region="130102", number_base=70_000, **overrides):
    """One valid row of the officer import template, in template column order (tests and benchmarks)."""
    from .columns import COLUMNS

    values = {
        "serial": serial,
        "real_name": f"王质量{serial}",
        "gender": "男" if serial % 2 else "女",
        "education": "大学本科",
        "major": "质量工程",
        "mobile": make_mobile(number_base + serial),
        "enterprise_name": f"长安精工{serial}有限公司",
        "position": "副总经理",
        "uscc": make_uscc(number_base * 10 + serial, region),
        "region": region,
        "size": "中型",
        "industry": "3421",
        "natures": "PRIVATE",
        "category": "",
        "id_document_type": "",
        "id_number": make_resident_id(serial, "130102", f"{1960 + serial // 1000}0101"),
        "quality_years": 8,
        "concurrent_posts": "",
        "address": "河北省石家庄市长安区建设北大街1号",
        "postcode": "050000",
        "email": f"cqo{serial}@example.cn",
        "appointment_date": "2024-03-01",
        "training_certificate_number": "",
        "training_certificate_issuer": "",
        "remarks": "",
    }
    values.update(overrides)
    return [values[column.key] for column in COLUMNS]
