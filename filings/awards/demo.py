"""Demo data: the awards index, 2026年全国质量标杆 open now, a filed organisation with an application past
qualification review, its enterprise applicant, an association reviewer and an expert (idempotent)."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Page, Site

from registry.factories import make_mobile, make_uscc
from registry.models import EconomicType, Enterprise, Organisation, Role, User

from . import access
from .factories import PLEDGE, ProjectFactory
from .models import (
    Application,
    AwardIndexPage,
    AwardProgrammePage,
    EconomicYear,
    MaterialTemplate,
    OrganisationFiling,
    ScoringCriterion,
)
from .review import act, submit

PROGRAMME_SLUG = "2026-quality-benchmark"
CRITERIA = [("领导与战略", 20), ("质量管理体系与方法", 30), ("创新与改进成效", 30), ("示范推广价值", 20)]
APPLICANT_USERNAME = "hbgt-quality"


def small_pdf(title, body):
    """A real one-page Chinese PDF for demo evidence and templates."""
    from weasyprint import HTML

    html = (
        '<html lang="zh-CN"><body style="font-family: \'Noto Sans CJK SC\'">'
        f"<h1>{title}</h1><p>{body}</p></body></html>"
    )
    return ContentFile(HTML(string=html).write_pdf(), name="demo.pdf")


def award_index():
    from home.models import HomePage

    index = AwardIndexPage.objects.first()
    if index is not None:
        return index
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    parent = HomePage.objects.first() or (site.root_page if site else Page.get_first_root_node())
    index = AwardIndexPage(title="质量奖项", slug="awards", intro="<p>中国质量协会组织的质量标杆等申报活动。</p>")
    parent.add_child(instance=index)
    index.save_revision().publish()
    return index


def programme(index, association):
    now = timezone.now()
    existing = AwardProgrammePage.objects.filter(slug=PROGRAMME_SLUG).first()
    page = existing or AwardProgrammePage(slug=PROGRAMME_SLUG)
    page.title = "2026年全国质量标杆"
    page.description = (
        "<p>为深入贯彻质量强国建设纲要，总结推广企业在质量管理方面的典型经验，中国质量协会开展2026年全国质量标杆活动。"
        "申报单位须先完成组织备案，经中国质量协会审核通过后提交申报。</p>"
    )
    page.opens_at = min(page.opens_at or now, now - datetime.timedelta(days=30))
    page.closes_at = max(page.closes_at or now, now + datetime.timedelta(days=60))
    page.first_data_year, page.last_data_year = now.year - 3, now.year - 1
    page.pledge = PLEDGE
    page.organiser = association
    if existing is None:
        index.add_child(instance=page)
        for order, (name, max_score) in enumerate(CRITERIA):
            ScoringCriterion.objects.create(page=page, name=name, max_score=max_score, sort_order=order)
        document = get_document_model().objects.create(
            title="关于开展2026年全国质量标杆活动材料编写说明",
            file=small_pdf(
                "质量标杆总结材料编写说明", "总结材料包括：单位概况、经验背景、主要做法、实施成效、推广价值。"
            ),
        )
        MaterialTemplate.objects.create(page=page, title=document.title, document=document)
    page.recommending_units.set(
        Organisation.objects.filter(kind=Organisation.Kind.ASSOCIATION).exclude(function=access.ORGANISER)
        | Organisation.objects.filter(division_id__in=["110000", "130000"])
    )
    page.save_revision().publish()
    return AwardProgrammePage.objects.get(pk=page.pk)


def applicant(demo, enterprise):
    user, _created = User.objects.get_or_create(
        username=APPLICANT_USERNAME, defaults={"kind": User.Kind.ENTERPRISE, "enterprise": enterprise}
    )
    user.kind, user.enterprise, user.real_name = User.Kind.ENTERPRISE, enterprise, "河钢质量部申报员"
    password = user.issue_one_time_password()
    user.save()
    demo.announce(f"申报企业账号（{enterprise.name}）", user.username, password, url="/apply/")
    return user


def expert(demo, association):
    mobile = make_mobile(61)
    user, _created = User.objects.get_or_create(username=mobile, defaults={"mobile": mobile})
    user.kind, user.role, user.organisation, user.real_name = User.Kind.ADMINISTRATOR, "", association, "周评审"
    password = user.issue_one_time_password()
    user.save()
    demo.announce("质量标杆评审专家（门户登录）", mobile, password, url="/apply/reviews/")
    return user


def industry_division(category):
    """The two-digit industry division (门类下的大类) the filing form offers."""
    while category.level != category.Level.DIVISION:
        category = category.parent
    return category


def filing(enterprise, years):
    existing = OrganisationFiling.objects.filter(enterprise=enterprise).first()
    if existing is not None:
        return existing
    record = OrganisationFiling.objects.create(
        enterprise=enterprise,
        name=enterprise.name,
        economic_type=enterprise.economic_types.first() or EconomicType.objects.order_by("order").first(),
        region=enterprise.region.parent,
        address=enterprise.registered_address,
        industry=enterprise.industry.section
        if enterprise.industry.level == "division"
        else enterprise.industry.parent.parent,
        quality_head="王建国",
        quality_phone="0311-86001234",
        size=enterprise.size or "large",
        licence_copy=small_pdf("营业执照副本", "仅用于中国质量协会质量标杆备案审核"),
        live=True,  # approved
        submitted_at=timezone.now(),
    )
    for offset, year in enumerate(years):
        EconomicYear.objects.create(
            filing=record,
            year=year,
            total_assets=780000 + offset * 20000,
            revenue=500000 + offset * 10000,
            other_revenue=12000,
            profit=36000 + offset * 2000,
            tax=21000 + offset * 1000,
            employees=2600,
            proof=small_pdf(f"{year}年度财务报表摘要", "经审计的资产负债表和利润表摘要。"),
        )
    return record


def load(demo):
    association = access.association()
    page = programme(award_index(), association)
    enterprise = Enterprise.unscoped.get(uscc=make_uscc(1, "130102"))
    account = applicant(demo, enterprise)
    reviewer = demo.administrator(association, Role.INSTITUTION, "中国质协审核员", 60)
    expert(demo, association)
    record = filing(enterprise, page.data_years)
    if Application.unscoped.filter(programme=page, enterprise=enterprise).exists():
        return
    project = ProjectFactory(
        enterprise=enterprise,
        name="河北钢铁实施全流程质量追溯与在线检测提升板材一致性的经验",
        keywords="质量追溯、在线检测、数字化",
        introduction=(
            "公司以“数据驱动质量”为主线，建设覆盖炼铁、炼钢、轧制、精整和交付的全流程质量追溯平台，"
            "部署在线表面检测和成分快速分析系统，实现关键质量特性100%在线监控。"
            "实施三年来，热轧板一次合格率由97.8%提升至99.4%，质量损失率下降42%，客户投诉下降55%。"
        ),
        rows=(6, 4),
    )
    application = Application.unscoped.create(
        programme=page,
        enterprise=enterprise,
        filing=record,
        project=project,
        created_by=account,
        pledge_accepted_at=timezone.now(),
        contact_department="质量管理部",
        contact_person="李明",
        contact_post="部长",
        contact_mobile="13931100001",
        contact_phone="0311-86001234",
        contact_email="quality@hbgt-demo.cn",
        contact_postcode="050011",
        contact_address=enterprise.registered_address,
        summary_material=small_pdf("质量标杆总结材料", "河北钢铁全流程质量追溯经验总结。"),
        recommending_unit=Organisation.objects.get(division_id="130000"),
    )
    submit(application, account)
    act(application, "qualify", reviewer, "材料齐全，符合申报条件。")
