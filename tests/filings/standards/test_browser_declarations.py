"""Every declaration path of the four kinds in Chromium (issue 21): a failed attempt, then save, submit,
modify within 24 hours, revise (enterprise standards, past 24 hours) and abolish."""

import datetime

import pytest
from django.utils import timezone

from filings.standards.factories import CatalogueStandardFactory, gtin13
from filings.standards.models import DisclosedStandard
from registry.factories import EnterpriseAccountFactory

from .test_disclosure import PDF

GOOD = gtin13("692345678901")
BAD = GOOD[:-1] + str((int(GOOD[-1]) + 1) % 10)
CATALOGUE = {"national": "GB/T 1499.2-2018", "industry": "YB/T 1499-2020", "local": "DB13/T 1499-2022"}


def login(page, account):
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("#id_username", account.username)
    page.fill("#id_password", "Test-pass-123")
    page.fill("#id_captcha_1", "PASSED")
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def submit(page):
    page.check("#id_pledge_accepted")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#submit-button")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["enterprise", "national", "industry", "local"])
def test_every_declaration_path(page, kind, tmp_path):
    account = EnterpriseAccountFactory(username=f"decl_{kind}")
    if kind != "enterprise":
        CatalogueStandardFactory(kind=kind, number=CATALOGUE[kind], name="钢筋混凝土用钢")
    number = CATALOGUE.get(kind, "Q/HBGT 001-2024")
    login(page, account)

    # New, with a mistyped barcode: the error shows next to the field, the chosen PDF is kept.
    page.goto(f"{page.base_url}/enterprise/standards/?kind={kind}")
    page.click("nav.tabs a:has-text('+ 新增')")
    if kind == "enterprise":
        page.fill("#id_number", number)
        page.fill("#id_name", "钢筋混凝土用钢")
        page.check("input[name=content][value=full_text]")
        pdf = tmp_path / "全文.pdf"
        pdf.write_bytes(PDF)
        page.set_input_files("#id_full_text", str(pdf))
    else:
        page.fill("#catalogue-q", number.split(" ", 1)[1])  # as typed from the paper: "1499-2020"
        page.click(f"#catalogue-results button:has-text('{number}')")
        assert page.is_hidden("#content") if kind != "national" else page.locator("#content").count() == 0
    page.fill("#id_products-0-name", "热轧带肋钢筋")
    page.fill("#id_products-0-barcode", BAD)
    page.select_option("#id_products-0-category", label="果蔬汁饮料")
    page.click("button[value=save]")
    page.wait_for_selector("#form-errors")
    assert "校验位" in page.inner_text(".formset-row:has(#id_products-0-barcode)")
    if kind == "enterprise":
        assert "全文.pdf" in page.inner_text(".kept-upload")
    page.screenshot_to(f"standards-declare-{kind}-error")

    # Corrected: saved as a draft; then opened from the unpublished list and submitted.
    page.fill("#id_products-0-barcode", GOOD)
    page.click("button[value=save]")
    page.wait_for_selector(".messages >> text=已保存")
    page.goto(f"{page.base_url}/enterprise/standards/?kind={kind}")
    page.click(f"#drafts tr:has-text('{number}') a:has-text('修改')")
    submit(page)
    page.wait_for_selector(f"#published td:has-text('{number}')")
    standard = DisclosedStandard.objects.get(number=number)
    assert standard.is_published and standard.products.get().barcode == GOOD
    if kind == "enterprise":
        assert standard.full_text.read() == PDF

    # Modify within 24 hours: a failed attempt (product without a name), then corrected.
    page.click(f"#published tr:has-text('{number}') a:has-text('修改')")
    page.fill("#id_products-0-name", "")
    submit(page)
    page.wait_for_selector("#form-errors")
    page.fill("#id_products-0-name", "热轧带肋钢筋 HRB400")
    submit(page)
    page.wait_for_selector("#published td:has-text('热轧带肋钢筋 HRB400')")

    if kind == "enterprise":  # revise: enterprise standards only, once the 24 hours are over
        DisclosedStandard.unscoped.filter(pk=standard.pk).update(
            published_at=timezone.now() - datetime.timedelta(days=3)
        )
        page.reload()
        page.click(f"#published tr:has-text('{number}') button:has-text('修订')")
        page.wait_for_selector("h1:has-text('修订')")
        assert page.is_disabled("#id_number")
        page.fill("#id_products-0-name", "热轧带肋钢筋 HRB500")
        submit(page)
        page.wait_for_selector("#published td:has-text('热轧带肋钢筋 HRB500')")
        assert DisclosedStandard.objects.filter(revises=standard, status="published").exists()

    # Abolish: the record stays, with its end time.
    row = f"#published tr:has-text('{number}'):not(.abolished)"
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(row).first.locator("button:has-text('废止')").click()
    page.wait_for_selector(f"#published tr.abolished:has-text('{number}')")
    page.screenshot_to(f"standards-declare-{kind}-done")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_indicator_editor_previews_the_public_format_and_fits_a_laptop_and_a_phone(page):
    account = EnterpriseAccountFactory(username="decl_indicators")
    CatalogueStandardFactory(kind="national", number="GB/T 5750.4-2023", name="生活饮用水标准检验方法")
    login(page, account)
    page.goto(f"{page.base_url}/enterprise/standards/new/enterprise/")
    page.fill("#id_number", "Q/HBGT 002-2024")
    page.fill("#id_name", "饮用纯净水")
    page.check("input[name=content][value=indicators]")
    card = "#indicators [data-indicator]:nth-child(1)"
    page.fill("#id_indicators-0-name", "浓度")
    page.fill("#id_indicators-0-lower_limit", "95%")
    page.fill("#id_indicators-0-lower_plus", "0.1")
    page.fill("#id_indicators-0-lower_minus", "0.2")
    page.select_option("#id_indicators-0-lower_operator", "<")
    page.fill("#id_indicators-0-quantity", "浓度")
    page.select_option("#id_indicators-0-upper_operator", "<=")
    page.fill("#id_indicators-0-upper_limit", "99")
    page.fill("#id_indicators-0-upper_plus", "0.15")
    page.fill("#id_indicators-0-upper_minus", "0.56")
    page.fill("#id_indicators-0-unit", "/L")
    expected = "95%(+0.100,-0.200) < 浓度 <= 99(+0.150,-0.560)/L"  # the seed's own example
    assert page.inner_text(f"{card} [data-preview]") == expected
    assert page.is_hidden("#id_indicators-0-text_requirement")
    page.fill("#id_indicators-0-test_method", "5750")  # the test-method chooser asks the catalogue
    page.wait_for_selector("#test-methods option", state="attached")
    page.fill("#id_indicators-0-test_method", "GB/T 5750.4-2023")

    page.click("button[data-add-row=indicators]")  # a second, text indicator
    page.fill("#id_indicators-1-name", "感官")
    page.select_option("#id_indicators-1-requirement_type", "text")
    assert page.is_hidden("#id_indicators-1-lower_limit") and page.is_visible("#id_indicators-1-text_requirement")
    page.fill("#id_indicators-1-text_requirement", "无色透明，无异味")
    assert page.inner_text("#indicators [data-indicator]:nth-child(2) [data-preview]") == "无色透明，无异味"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.screenshot_to("standards-indicator-editor")
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot_to("standards-indicator-editor-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.fill("#id_products-0-name", "纯净水 550ml")
    page.fill("#id_products-0-barcode", GOOD)
    page.select_option("#id_products-0-category", label="包装饮用水")
    submit(page)
    page.wait_for_selector("#published td:has-text('Q/HBGT 002-2024')")
    standard = DisclosedStandard.objects.get(number="Q/HBGT 002-2024")
    page.goto(f"{page.base_url}/standards/{standard.pk}/")
    body = page.inner_text("main")
    assert expected in body and "无色透明，无异味" in body and "GB/T 5750.4-2023" in body
