"""End to end in Chromium: filing, the association's approval, a project, an application, qualification
review in the admin, and the printed PDF downloaded from "My applications"."""

import io
import re

import pytest
from pypdf import PdfReader
from wagtail.models import Page, Site

from filings.awards import access
from filings.awards.factories import MINIMAL_PDF, make_programme
from filings.awards.models import Application, OrganisationFiling
from registry.factories import AdministratorFactory, EnterpriseAccountFactory
from registry.models import Role

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def site_root():
    """The transactional test database starts without Wagtail's tree: give it a root and a default site."""
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.get_children().first() or root.add_child(instance=Page(title="首页", slug="home"))
    Site.objects.get_or_create(hostname="localhost", defaults={"root_page": home, "is_default_site": True})


def admin_login(browser, base, admin):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", admin.mobile)
    page.fill("input[name=password]", "Test-pass-123")
    page.fill("input[name=captcha_1]", "PASSED")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))
    return context, page


@pytest.mark.browser
def test_filing_to_printed_pdf(page, browser):
    site_root()
    programme = make_programme()
    years = programme.data_years
    account = EnterpriseAccountFactory(enterprise__name="河北钢铁质量示范有限公司")
    association_admin = AdministratorFactory(organisation=access.association(), role=Role.INSTITUTION)
    base = page.base_url

    page.goto(f"{base}/accounts/login/?next=/apply/")
    page.fill("input[name=username]", account.username)
    page.fill("input[name=password]", "Test-pass-123")
    page.fill("input[name=captcha_1]", "PASSED")
    page.click("#main form button[type=submit]")
    page.wait_for_url(re.compile(r"/apply/$"))

    # Organisation filing with the economic data of every required year.
    page.click("a[href='/apply/filings/new/']")
    page.fill("input[name=name]", "河北钢铁质量示范有限公司")
    page.select_option("select[name=economic_type]", index=1)
    page.select_option("select[name=region]", "130100")
    page.fill("input[name=address]", "河北省石家庄市长安区中山东路100号")
    page.select_option("select[name=industry]", "31")
    page.fill("input[name=quality_head]", "王建国")
    page.fill("input[name=quality_phone]", "0311-86001234")
    page.select_option("select[name=size]", "large")
    page.set_input_files("input[name=licence_copy]", {"name": "执照.png", "mimeType": "image/png", "buffer": PNG})
    for index, year in enumerate(years):
        page.fill(f"input[name=years-{index}-year]", str(year))
        for field, value in (
            ("total_assets", "86000"),
            ("revenue", "52000"),
            ("other_revenue", "1200"),
            ("profit", "4800"),
            ("tax", "2600"),
            ("employees", "2600"),
        ):
            page.fill(f"input[name=years-{index}-{field}]", value)
        page.set_input_files(
            f"input[name=years-{index}-proof]",
            {"name": f"{year}.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF},
        )
    page.click("button[name=file]")
    page.wait_for_url(re.compile(r"/apply/$"))
    filing = OrganisationFiling.objects.get(enterprise=account.enterprise)
    assert filing.status == OrganisationFiling.Status.PENDING

    # The association approves the filing in the admin.
    admin_context, admin_page = admin_login(browser, base, association_admin)
    admin_page.goto(f"{base}/admin/award_filings/{filing.pk}/")
    admin_page.click("button[value=approve]")
    admin_page.wait_for_url(re.compile(r"/admin/award_filings/$"))
    filing.refresh_from_db()
    assert filing.status == OrganisationFiling.Status.APPROVED

    # A project with one patent.
    page.goto(f"{base}/apply/projects/new/")
    page.fill("input[name=name]", "实施全流程质量追溯体系提升板材一致性的经验")
    page.fill("input[name=keywords]", "质量追溯、在线检测")
    page.fill("textarea[name=introduction]", "建设覆盖炼钢、轧制、交付的质量追溯平台，一次合格率提升至99.4%。")
    page.select_option("select[name=ip-0-kind]", "invention")
    page.fill("input[name=ip-0-name]", "一种热轧板表面缺陷在线检测方法")
    page.fill("input[name=ip-0-holder]", "河北钢铁质量示范有限公司")
    page.fill("input[name=ip-0-patent_number]", "ZL202210000001.X")
    page.click("#main form button[type=submit]")
    page.wait_for_url(re.compile(r"/apply/projects/\d+/$"))

    # The application: pledge, contacts, summary material, recommending unit; then submit.
    page.goto(f"{base}/apply/programmes/{programme.pk}/apply/")
    page.select_option("select[name=filing]", str(filing.pk))
    page.select_option("select[name=project]", label="实施全流程质量追溯体系提升板材一致性的经验")
    page.check("input[name=accept_pledge]")
    for field, value in (
        ("contact_department", "质量管理部"),
        ("contact_person", "李明"),
        ("contact_post", "部长"),
        ("contact_mobile", "13931100001"),
        ("contact_email", "quality@example.cn"),
        ("contact_postcode", "050011"),
        ("contact_address", "河北省石家庄市长安区中山东路100号"),
    ):
        page.fill(f"input[name={field}]", value)
    page.set_input_files(
        "input[name=summary_material]", {"name": "总结材料.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}
    )
    page.select_option("select[name=recommending_unit]", label="河北省市场监督管理局")
    page.click("button[name=submit]")
    page.wait_for_url(re.compile(r"/apply/applications/\d+/$"))
    application = Application.unscoped.get(enterprise=account.enterprise)
    assert application.state == Application.State.QUALIFICATION
    assert page.locator(f"a[href='/apply/applications/{application.pk}/print/']").count() == 0

    # Qualification review in the admin.
    admin_page.goto(f"{base}/admin/award_applications/{application.pk}/")
    admin_page.fill("textarea[name=comment]", "材料齐全，符合申报条件。")
    admin_page.click("button[value=qualify]")
    admin_page.wait_for_selector("#application-state")
    admin_context.close()
    application.refresh_from_db()
    assert application.state == Application.State.RECOMMENDATION

    # My applications: the log and the printed PDF.
    page.goto(f"{base}/apply/")
    page.click(f"#my-applications a[href='/apply/applications/{application.pk}/']")
    assert "材料齐全，符合申报条件。" in page.inner_text(".review-log")
    page.screenshot_to("awards-application-log")
    with page.expect_download() as download_info:
        page.click(f"a[href='/apply/applications/{application.pk}/print/']")
    pdf = PdfReader(io.BytesIO(open(download_info.value.path(), "rb").read()))
    text = "".join("".join(p.extract_text() for p in pdf.pages).split())
    for expected in (
        "推荐表",
        "河北钢铁质量示范有限公司",
        "一种热轧板表面缺陷在线检测方法",
        "材料齐全，符合申报条件。",
    ):
        assert expected in text
