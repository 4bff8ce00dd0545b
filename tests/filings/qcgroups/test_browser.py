"""End to end in Chromium: registration, the secretariat's approval, an imported batch in the summary table."""

import re

import pytest
from django.core import mail

from filings.qcgroups.factories import MINIMAL_PDF
from filings.qcgroups.models import Filing, FilingUnit, current_year, secretariat
from registry.factories import AdministratorFactory, make_uscc
from registry.models import Role
from tests.conftest import SCREENSHOTS

from .conftest import row, xlsx


@pytest.mark.browser
def test_registration_to_imported_batch_in_summary(page, browser):
    base = page.base_url
    page.goto(f"{base}/qc/register/")
    page.check("input[name=agree]")
    page.fill("input[name=name]", "山东鲁润石化有限公司")
    page.fill("input[name=uscc]", make_uscc(515151, "370500"))
    page.set_input_files(
        "input[name=licence]", {"name": "执照.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}
    )
    page.fill("input[name=username]", "lrsh2025")
    page.fill("input[name=password1]", "Lurun-qc-2025")
    page.fill("input[name=password2]", "Lurun-qc-2025")
    page.fill("input[name=contact_name]", "孙明")
    page.fill("input[name=contact_mobile]", "13905460001")
    page.select_option("select[name=province]", "370000")
    page.select_option("select[name=city]", "370500")
    page.fill("input[name=email]", "qc@lurun.example.cn")
    page.fill("input[name=captcha_1]", "PASSED")
    page.screenshot_to("qcgroups-registration-form")
    page.click("#main form button[type=submit]")
    page.wait_for_selector("#registration-done")
    page.screenshot_to("qcgroups-registration-done")
    unit = FilingUnit.unscoped.get(name="山东鲁润石化有限公司")
    assert unit.status == FilingUnit.Status.PENDING

    # The secretariat approves in the Wagtail admin.
    admin = AdministratorFactory(organisation=secretariat(), role=Role.INSTITUTION)
    admin_context = browser.new_context(locale="zh-CN")
    admin_page = admin_context.new_page()
    admin_page.goto(f"{base}/admin/login/")
    admin_page.fill("input[name=username]", admin.mobile)
    admin_page.fill("input[name=password]", "Test-pass-123")
    admin_page.fill("input[name=captcha_1]", "PASSED")
    admin_page.click("button[type=submit]")
    admin_page.wait_for_url(re.compile(r"/admin/$"))
    assert "山东鲁润石化有限公司" in admin_page.locator("#awaiting-review-section").inner_text()  # the review queue
    admin_page.locator("#awaiting-review-section").screenshot(path=str(SCREENSHOTS / "qcgroups-review-queue.png"))
    admin_page.goto(f"{base}/admin/qc-units/review/{unit.pk}/")
    admin_page.click("button[name=approve]")
    admin_page.wait_for_selector("text=已通过审核")
    admin_page.screenshot(path=str(SCREENSHOTS / "qcgroups-unit-approved.png"), full_page=True)
    admin_context.close()
    unit.refresh_from_db()
    assert unit.status == FilingUnit.Status.APPROVED
    assert mail.outbox[-1].to == ["qc@lurun.example.cn"]

    # The unit logs in on the portal and imports a batch.
    page.goto(f"{base}/accounts/login/?next=/qc/")
    page.fill("input[name=username]", "lrsh2025")
    page.fill("input[name=password]", "Lurun-qc-2025")
    page.fill("input[name=captcha_1]", "PASSED")
    page.click("#main form button[type=submit]")
    page.wait_for_selector("#unit-status")
    page.goto(f"{base}/qc/import/")
    batch = xlsx([row(1), row(2, topic="提高乙烯收率", group="启航班组", kind="质量信得过班组", members=11)])
    page.set_input_files(
        "input[name=file]",
        {
            "name": "成果备案.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": batch.getvalue(),
        },
    )
    page.select_option("select[name=year]", str(current_year()))
    page.click("form.qc-form button[type=submit]")
    page.wait_for_selector("#import-summary")
    assert "已导入 2 条" in page.inner_text("#import-summary")
    page.goto(f"{base}/qc/summary/")
    summary = page.inner_text("#summary")
    page.screenshot_to("qcgroups-summary")
    assert "提高乙烯收率" in summary and "启航班组" in summary and "合计 2 项" in summary
    assert Filing.unscoped.filter(unit=unit).count() == 2
