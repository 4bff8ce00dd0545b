"""Factories for tests, demo data and the benchmark."""

import datetime
import io
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory
from wagtail.models import Page, Site

from registry import workflows
from registry.factories import EnterpriseAccountFactory
from registry.models import Division, EconomicType, EnterpriseSize, IndustryCategory, Organisation

from .access import association
from .models import (
    Application,
    AwardIndexPage,
    AwardProgrammePage,
    EconomicYear,
    Honour,
    IntellectualProperty,
    OrganisationFiling,
    OrganisationFilingApprovalTask,
    Project,
    ScoringCriterion,
)


def _blank_pdf():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


#: A one-page blank PDF: passes the upload checks and can be appended to the printed application.
MINIMAL_PDF = _blank_pdf()
PLEDGE = (
    "本单位承诺：所提交的申报材料真实、准确、完整，无任何虚假内容；近三年未发生重大质量、安全、环境事故；"
    "如有不实，愿意承担相应责任并接受取消申报资格的处理。"
)


def pdf_file(name="material.pdf"):
    return ContentFile(MINIMAL_PDF, name=name)


def award_index():
    """The awards index page, created under the home page (else the default site's root page) when missing."""
    index = AwardIndexPage.objects.first()
    if index is None:
        from home.models import HomePage

        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        parent = HomePage.objects.first() or (site.root_page if site else Page.get_first_root_node())
        index = parent.add_child(instance=AwardIndexPage(title="质量奖项", slug="awards"))
    return index


def make_programme(title="2026年全国质量标杆", *, criteria=(("质量管理体系", 40), ("创新与成效", 60)), **fields):
    """A live programme page open now, organised by the association, with scoring criteria."""
    now = timezone.now()
    year = timezone.localdate().year
    values = {
        "title": title,
        "slug": f"programme-{AwardProgrammePage.objects.count() + 1}",
        "opens_at": now - datetime.timedelta(days=30),
        "closes_at": now + datetime.timedelta(days=60),
        "first_data_year": year - 3,
        "last_data_year": year - 1,
        "pledge": PLEDGE,
        "organiser": association(),
        "description": "<p>总结推广企业在质量管理方面的典型经验和做法。</p>",
    }
    values.update(fields)
    recommending_units = values.pop("recommending_units", None)
    programme = award_index().add_child(instance=AwardProgrammePage(**values))
    for order, (name, max_score) in enumerate(criteria):
        ScoringCriterion.objects.create(page=programme, name=name, max_score=max_score, sort_order=order)
    if recommending_units is None:
        recommending_units = Organisation.objects.filter(division_id__in=["110000", "130000"])
    programme.recommending_units.set(recommending_units)
    programme.save_revision().publish()
    return AwardProgrammePage.objects.get(pk=programme.pk)


class FilingFactory(DjangoModelFactory):
    """An approved filing; pass ``years=[...]`` for its economic data (default: the last three years)."""

    class Meta:
        model = OrganisationFiling
        skip_postgeneration_save = True

    enterprise = factory.LazyAttribute(lambda o: EnterpriseAccountFactory().enterprise)
    name = factory.LazyAttribute(lambda o: o.enterprise.name)
    economic_type = factory.LazyFunction(lambda: EconomicType.objects.order_by("order").first())
    region = factory.LazyFunction(lambda: Division.objects.get(code="130100"))
    address = "河北省石家庄市长安区中山东路100号"
    industry = factory.LazyFunction(lambda: IndustryCategory.objects.get(code="31"))
    quality_head = "王质量"
    quality_phone = "0311-86001234"
    size = EnterpriseSize.LARGE
    licence_copy = factory.LazyFunction(lambda: pdf_file("licence.pdf"))

    @factory.post_generation
    def status(obj, create, extracted, **kwargs):
        """Approved (live) unless ``status`` says otherwise: a pending or rejected filing is in its workflow,
        filed by one of its enterprise's accounts (``status__reason``: the rejection's)."""
        if not create or extracted in (None, OrganisationFiling.Status.APPROVED):
            return
        obj.live = False
        obj.save(update_fields=["live"])
        if extracted == OrganisationFiling.Status.DRAFT:
            return
        workflows.submit(obj, obj.enterprise.accounts.first(), OrganisationFilingApprovalTask.workflow())
        if extracted == OrganisationFiling.Status.REJECTED:
            obj.current_workflow_state.current_task_state.specific.reject(comment=kwargs.get("reason", "材料不全"))

    @factory.post_generation
    def years(obj, create, extracted, **kwargs):
        if not create:
            return
        this_year = timezone.localdate().year
        for year in extracted if extracted is not None else range(this_year - 3, this_year):
            EconomicYear.objects.create(
                filing=obj,
                year=year,
                total_assets=Decimal("86000.00") + year,
                revenue=Decimal("52000.00") + year,
                other_revenue=Decimal("1200.00"),
                profit=Decimal("4800.00"),
                tax=Decimal("2600.00"),
                employees=2600,
                proof=pdf_file(f"proof-{year}.pdf"),
            )


class ProjectFactory(DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    enterprise = factory.LazyAttribute(lambda o: EnterpriseAccountFactory().enterprise)
    name = factory.Sequence(lambda n: f"实施全流程质量追溯体系提升产品一致性的经验{n}")
    keywords = "质量追溯、数字化"
    introduction = "企业建立覆盖原料、生产、检验、交付全过程的质量追溯体系，关键工序一次合格率提升至99.6%。"

    @factory.post_generation
    def rows(obj, create, extracted, **kwargs):
        """``rows=(ip_count, honour_count)``: tables of realistic rows (default one of each)."""
        if not create:
            return
        ip_count, honour_count = extracted or (1, 1)
        for n in range(ip_count):
            IntellectualProperty.objects.create(
                project=obj,
                kind=IntellectualProperty.Kind.INVENTION,
                name=f"一种在线质量检测装置及方法（第{n + 1}项）",
                granted_on=datetime.date(2023, 5, 1 + n % 28),
                certificate_number=f"第{4512000 + n}号",
                holder=obj.enterprise.name,
                inventors="张工、李工",
                term_years=20,
                application_number=f"CN2022{10000000 + n}.X",
                patent_number=f"ZL2022{10000000 + n}.X",
            )
        for n in range(honour_count):
            Honour.objects.create(
                project=obj,
                award=f"省级质量管理优秀成果（第{n + 1}项）",
                level=Honour.Level.PROVINCIAL,
                awarding_body="河北省质量协会",
                awarded_on=datetime.date(2024, 10, 1 + n % 28),
                note="质量改进成果一等奖",
            )


class ApplicationFactory(DjangoModelFactory):
    """A complete draft: submitting it succeeds while its programme is open."""

    class Meta:
        model = Application

    programme = factory.LazyFunction(make_programme)
    filing = factory.SubFactory(FilingFactory)
    enterprise = factory.SelfAttribute("filing.enterprise")
    project = factory.SubFactory(ProjectFactory, enterprise=factory.SelfAttribute("..enterprise"))
    created_by = factory.LazyAttribute(lambda o: o.enterprise.accounts.first())
    pledge_accepted_at = factory.LazyFunction(timezone.now)
    contact_department = "质量管理部"
    contact_person = "李联系"
    contact_post = "部长"
    contact_mobile = "13911112222"
    contact_phone = "0311-86001234"
    contact_email = "quality@example.cn"
    contact_postcode = "050000"
    contact_address = "河北省石家庄市长安区中山东路100号"
    summary_material = factory.LazyFunction(lambda: pdf_file("summary.pdf"))
    recommending_unit = factory.LazyAttribute(
        lambda o: o.programme.recommending_units.first() if o.programme.uses_recommendation else None
    )
