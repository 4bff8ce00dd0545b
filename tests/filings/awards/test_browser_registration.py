"""A new organisation, not in the registry, registers to apply for awards and reaches the filing form (Chromium)."""

import re

import pytest

from registry import sms
from registry.factories import make_mobile
from registry.validators import uscc_check_char

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_organisation_registers_and_reaches_the_award_filing_form(page):
    sms.outbox.clear()
    base = page.base_url
    uscc = "91130102MA0AWB002" + uscc_check_char("91130102MA0AWB002")

    page.goto(f"{base}/apply/")  # an applicant without an account: the login page offers registration
    page.click("a[href='/apply/register/']")
    page.fill("#id_name", "石家庄新晋质量科技有限公司")
    page.fill("#id_uscc", uscc[:17] + ("0" if uscc[17] != "0" else "1"))  # a wrong check character first
    page.click("#register-organisation button[type=submit]")
    assert uscc[17] in page.inner_text("#register-organisation")
    page.fill("#id_uscc", uscc)
    page.click("#register-organisation button[type=submit]")
    page.wait_for_url("**/apply/register/account/")

    mobile = make_mobile(16180)
    page.fill("#id_username", "xinjin_quality")
    page.fill("#id_real_name", "钱联系")
    page.fill("#id_mobile", mobile)
    page.click("[data-send-code=register]")
    page.wait_for_selector("[data-code-status]:has-text('验证码已发送')")
    page.fill("#id_sms_code", re.search(r"\d{6}", sms.outbox[-1][1]).group())
    page.fill("#id_password1", "Xin-Jin-2026")
    page.fill("#id_password2", "Xin-Jin-2026")
    page.screenshot_to("awards-register-account")
    page.click("#register-account button[type=submit]")
    page.wait_for_url("**/apply/filings/new/")
    assert page.is_visible("form")
    page.screenshot_to("awards-register-filing-form")
