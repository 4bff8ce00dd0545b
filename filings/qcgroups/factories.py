"""factory-boy factories for filing units and filings (tests and demo data)."""

import datetime

import factory
from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory

from registry import workflows
from registry.factories import UserFactory, make_mobile, make_uscc
from registry.models import Division, User

from .models import Filing, FilingUnit, FilingUnitApprovalTask, YearlySetting

#: The smallest file that passes the licence check: a PDF header and trailer.
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


class UnitAccountFactory(UserFactory):
    kind = User.Kind.ENTERPRISE
    username = factory.Sequence(lambda n: f"qcunit{n:04d}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.cn")


class FilingUnitFactory(DjangoModelFactory):
    class Meta:
        model = FilingUnit
        skip_postgeneration_save = True

    account = factory.SubFactory(UnitAccountFactory, email=factory.SelfAttribute("..email"))
    name = factory.Sequence(lambda n: f"示范石化股份有限公司{n}")
    uscc = factory.Sequence(lambda n: make_uscc(300_000 + n, "130102"))
    licence = factory.LazyFunction(lambda: ContentFile(MINIMAL_PDF, name="licence.pdf"))
    province = factory.LazyFunction(lambda: Division.objects.get(code="130000"))
    city = factory.LazyFunction(lambda: Division.objects.get(code="130100"))
    contact_name = factory.Sequence(lambda n: f"联系人{n}")
    contact_mobile = factory.Sequence(lambda n: make_mobile(70_000_000 + n))
    email = factory.Sequence(lambda n: f"qcunit{n:04d}@example.cn")

    @factory.post_generation
    def status(unit, create, extracted, **kwargs):
        """Approved (live) unless ``status`` says otherwise: pending and rejected units are in their workflow."""
        if not create or extracted in (None, FilingUnit.Status.APPROVED):
            return
        unit.live = False
        unit.save(update_fields=["live"])
        workflows.submit(unit, unit.account, FilingUnitApprovalTask.workflow())
        if extracted == FilingUnit.Status.REJECTED:
            unit.current_workflow_state.current_task_state.specific.reject(comment=kwargs.get("reason", "材料不全"))


class FilingFactory(DjangoModelFactory):
    class Meta:
        model = Filing

    unit = factory.SubFactory(FilingUnitFactory)
    year = factory.LazyFunction(lambda: datetime.date.today().year)
    kind = Filing.Kind.QC_GROUP
    topic = factory.Sequence(lambda n: f"降低装置能耗攻关课题{n}")
    group_name = factory.Sequence(lambda n: f"攻坚QC小组{n}")
    enterprise_name = factory.LazyAttribute(lambda filing: filing.unit.name)
    member_count = 7
    leader = factory.Sequence(lambda n: f"组长{n}")
    founded_on = datetime.date(2022, 3, 1)


class YearlySettingFactory(DjangoModelFactory):
    class Meta:
        model = YearlySetting

    unit = factory.SubFactory(FilingUnitFactory)
    year = factory.LazyFunction(lambda: datetime.date.today().year)
    qc_group_count = 12
    trusted_team_count = 5
