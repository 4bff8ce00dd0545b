"""An enterprise the registry knows only by name and code registers with its documents, its county bureau confirms
in the admin, the applicant is told by SMS and signs in (issue 21 item 2, real Chromium)."""

import re

import pytest

from filings.standards.factories import SCAN
from filings.standards.models import EnterpriseVerification
from registry import sms
from registry.factories import AdministratorFactory, EnterpriseFactory, make_mobile, make_resident_id
from registry.models import Division, Role
from tests.browser import admin_login
from tests.conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_enterprise_without_registry_details_registers_by_documents(page, browser, orgs, tmp_path):
    sms.outbox.clear()
    enterprise = EnterpriseFactory(
        name="石家庄港资精密模具有限公司",
        legal_representative="",
        legal_representative_id_number="",
        registered_address="",
        region=Division.objects.get(code="130102"),
    )
    county = AdministratorFactory(organisation=enterprise.organisation, role=Role.INSTITUTION)
    licence, permit = tmp_path / "licence.pdf", tmp_path / "permit.pdf"
    licence.write_bytes(SCAN)
    permit.write_bytes(SCAN)
    base = page.base_url

    page.goto(f"{base}/enterprise/register/")
    page.fill("#id_code", enterprise.uscc)
    page.fill("#id_name", enterprise.name)
    page.fill("#id_legal_representative", "陈港生")
    page.select_option("#id_legal_representative_document_type", "hk_macau_permit")
    page.fill("#id_legal_representative_id_number", "H1234567")  # one digit short
    page.fill("#id_registered_address", "河北省石家庄市长安区中山东路9号")
    page.click("main button[type=submit]")
    assert "H12345678" in page.inner_text("main")  # the permit's own format, not "应为18位"
    page.fill("#id_legal_representative_id_number", "H12345678")
    page.click("main button[type=submit]")
    page.wait_for_url("**/enterprise/register/account/")
    assert page.is_visible("#documents-needed")

    mobile = make_mobile(27182)
    page.fill("#id_username", "ganggzi_mold")
    page.fill("#id_real_name", "李联系")
    page.fill("#id_id_number", make_resident_id(13))
    page.fill("#id_password1", "Gang-Zi-2026")
    page.fill("#id_password2", "Gang-Zi-2026")
    page.fill("#id_mobile", mobile)
    page.click("[data-send-code=register]")
    page.wait_for_selector("[data-code-status]:has-text('验证码已发送')")
    page.fill("#id_sms_code", re.search(r"\d{6}", sms.outbox[-1][1]).group())
    page.check("#id_accept_terms")
    page.set_input_files("#id_business_licence", str(licence))
    page.set_input_files("#id_representative_document", str(permit))
    page.screenshot_to("standards-register-documents")
    page.click("#register-account button[type=submit]")
    page.wait_for_selector("#registration-pending")
    page.screenshot_to("standards-register-pending")

    bureau_context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    bureau = bureau_context.new_page()
    bureau.set_default_timeout(15_000)
    bureau.base_url = base
    admin_login(bureau, county.mobile)
    bureau.goto(f"{base}/admin/standards/verifications/")
    bureau.click(f"a:has-text('{enterprise.name}')")
    bureau.wait_for_selector("#verification-status")
    assert "陈港生" in bureau.inner_text("main") and "H12345678" in bureau.inner_text("main")
    bureau.screenshot(path=str(SCREENSHOTS / "standards-verification-review.png"), full_page=True)
    bureau.click("button[name=confirm]")
    bureau.wait_for_selector("#verification-status:has-text('已确认')")
    bureau_context.close()
    assert EnterpriseVerification.unscoped.get().status == "confirmed"
    assert sms.outbox[-1][0] == mobile and "ganggzi_mold" in sms.outbox[-1][1]

    page.goto(f"{base}/accounts/login/?next=/enterprise/standards/")
    page.fill("#id_username", "ganggzi_mold")
    page.fill("#id_password", "Gang-Zi-2026")
    page.fill("#id_captcha_1", "PASSED")
    page.click("main button[type=submit]")
    page.wait_for_url("**/enterprise/standards/")
