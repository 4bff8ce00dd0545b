"""factory-boy factory for Chief Quality Officers (tests, the scoping sweep, benchmarks)."""

import factory
from factory.django import DjangoModelFactory

from ..factories import EnterpriseFactory, make_mobile, make_resident_id
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
