"""An enterprise registers, logs in, publishes a standard, and the public search finds it (real Chromium)."""

import re

import pytest

from filings.standards.factories import gtin13
from registry import sms
from registry.factories import EnterpriseFactory, make_mobile, make_resident_id
from registry.models import Division


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_enterprise_from_registration_to_a_published_standard_found_publicly(page, settings):
    settings.PAGE_CACHE_SECONDS = 300  # as in production: the public list is kept between visits
    sms.outbox.clear()
    enterprise = EnterpriseFactory(
        name="石家庄恒通(集团)饮品有限公司",
        legal_representative="周建国",
        legal_representative_id_number=make_resident_id(11, region_code="130102"),
        registered_address="河北省石家庄市长安区中山东路(东段)88号",
        region=Division.objects.get(code="130102"),
    )
    base = page.base_url
    visitor = page.context.browser.new_context(locale="zh-CN").new_page()
    visitor.goto(f"{base}/standards/")
    assert "没有找到符合条件的标准" in visitor.inner_text("#results")

    page.goto(f"{base}/enterprise/register/")
    page.fill("#id_code", enterprise.uscc)
    page.fill("#id_name", "石家庄恒通（集团）饮品有限公司")  # full-width brackets, as typed with a Chinese IME
    page.fill("#id_legal_representative", "周建国")
    page.fill("#id_legal_representative_id_number", enterprise.legal_representative_id_number)
    page.fill("#id_registered_address", "石家庄市长安区中山东路（东段）８８号")  # no province, full-width digits
    page.click("main button[type=submit]")
    page.wait_for_url("**/enterprise/register/account/")

    mobile = make_mobile(31415)
    page.fill("#id_username", "hengtong_std")
    page.fill("#id_real_name", "李翠翠")
    page.fill("#id_id_number", make_resident_id(12))
    page.fill("#id_password1", "Heng-Tong-2026")
    page.fill("#id_password2", "Heng-Tong-2026")
    page.fill("#id_mobile", mobile)
    page.click("[data-send-code=register]")
    page.wait_for_selector("[data-code-status]:has-text('验证码已发送')")
    code = re.search(r"\d{6}", sms.outbox[-1][1]).group()
    page.fill("#id_sms_code", code)
    page.check("#id_accept_terms")
    page.screenshot_to("standards-register-account")
    page.click("#register-account button[type=submit]")
    page.wait_for_url("**/accounts/login/**")

    page.fill("#id_username", "hengtong_std")
    page.fill("#id_password", "Heng-Tong-2026")
    page.fill("#id_captcha_1", "PASSED")
    page.click("main button[type=submit]")
    page.wait_for_url("**/enterprise/standards/")  # registration sends the login on to the standards list
    page.click("a:has-text('+ 新增企业标准')")
    page.fill("#id_number", "Q/HT 001-2026")
    page.fill("#id_name", "核桃植物蛋白饮料")
    page.check("input[name=content][value=indicators]")
    page.fill("#id_indicators-0-name", "蛋白质含量")
    page.fill("#id_indicators-0-lower_limit", "0.55")
    page.select_option("#id_indicators-0-lower_operator", "<=")
    page.fill("#id_indicators-0-quantity", "蛋白质")
    page.fill("#id_indicators-0-unit", "g/100g")
    page.fill("#id_products-0-name", "恒通核桃乳 240ml")
    page.fill("#id_products-0-barcode", gtin13("692345678901"))
    page.select_option("#id_products-0-category", label="果蔬汁饮料")
    assert page.is_disabled("#submit-button")  # the pledge is not ticked yet
    assert "Q/HT 001-2026《核桃植物蛋白饮料》" in page.inner_text("#pledge")
    page.check("#id_pledge_accepted")
    assert page.is_enabled("#submit-button")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#submit-button")
    page.wait_for_selector("#published td:has-text('Q/HT 001-2026')")
    page.screenshot_to("standards-own-list")

    visitor.goto(f"{base}/standards/?utm_source=wechat")  # a first visit the page cache has not stored
    assert "Q/HT 001-2026" in visitor.inner_text("#results") and "核桃植物蛋白饮料" in visitor.inner_text("#results")
    visitor.screenshot(path=page.screenshot_path("standards-public-list"), full_page=True)
    visitor.context.close()

    page.goto(f"{base}/standards/?q=恒通")
    page.click("#results a:has-text('Q/HT 001-2026')")
    page.wait_for_selector("h1:has-text('核桃植物蛋白饮料')")
    assert "0.55 <= 蛋白质g/100g" in page.inner_text("body")
    public_part = page.inner_html("main")  # the header greets the logged-in contact; the record must not name her
    assert "李翠翠" not in public_part and mobile not in public_part
    page.screenshot_to("standards-public-detail")
