"""In a real browser, as a city and a county administrator: the officer search box, the industry filter and the unit
chooser; creating an administrator and resetting a password, each one-time password shown once."""

import pytest
from django.urls import reverse

from registry.factories import AdministratorFactory
from registry.models import Administrator, Role
from tests.browser import admin_login
from tests.registry.test_officer_search import officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTING = "/admin/snippets/registry/chiefqualityofficer/"


def rows(page):
    return set(page.locator("table.listing tbody td.title .title-wrapper a").all_inner_texts())


def search(page, text):
    box = page.locator("input[name=q]").first
    box.fill(text)
    box.press("Enter")
    # Typing and Enter each start a search and the later one aborts the earlier; Wagtail writes the query into the
    # address only after it has swapped that query's results in.
    page.wait_for_function("text => new URLSearchParams(location.search).get('q') === text", arg=text)
    return rows(page)


def test_city_and_county_administrators_search_filter_and_manage_accounts(page, browser, orgs):
    officer(orgs.changan, "130102", 1, "赵长安", "13912345678", "石家庄钢化玻璃有限公司")
    officer(orgs.qiaoxi, "130104", 2, "钱桥西", "13800005678", "桥西精密机床有限公司", industry="3311")
    officer(orgs.tangshan, "130203", 3, "孙唐山", "13700005678", "唐山陶瓷有限公司")
    city = AdministratorFactory(organisation=orgs.shijiazhuang, role=Role.INSTITUTION)
    county = AdministratorFactory(organisation=orgs.changan, role=Role.INSTITUTION)

    admin_login(page, city.mobile)
    page.goto(f"{page.base_url}{LISTING}")
    assert search(page, "5678") == {"赵长安", "钱桥西"}  # last four digits; 唐山 is not the city's
    assert search(page, "长安区") == {"赵长安"}
    assert search(page, "石家庄") == {"赵长安", "钱桥西"}
    page.screenshot_to("officer_search_region")

    page.goto(f"{page.base_url}{LISTING}?industry=34")
    assert rows(page) == {"赵长安"}  # 3421 is in division 34
    page.goto(f"{page.base_url}{LISTING}")
    page.locator("#filters-drilldown button").first.click()  # 筛选 (the sliders icon)
    page.locator("[aria-controls='drilldown-id_industry']").click()
    industry = page.locator("input[data-select-search=id_industry]")
    industry.fill("通用设备")
    assert page.locator("#id_industry").evaluate("select => select.size") > 1
    page.select_option("#id_industry", "34")
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => document.querySelectorAll('table.listing tbody tr').length === 1")
    assert rows(page) == {"赵长安"}
    page.screenshot_to("officer_filter_industry")

    # A new administrator: the unit found by typing, the lowest role already chosen, the password shown once.
    page.goto(f"{page.base_url}{reverse('administrators:add')}")
    assert page.locator("#id_role").input_value() == Role.INSTITUTION
    page.fill("#id_mobile", "13812340000")
    page.fill("#id_real_name", "新管理员")
    page.locator("input[data-select-search=id_organisation]").fill("长安")
    labels = page.locator("#id_organisation option:not([hidden])").all_inner_texts()
    assert "河北省 / 石家庄市 / 长安区市场监督管理局" in labels
    page.select_option("#id_organisation", label="河北省 / 石家庄市 / 长安区市场监督管理局")
    page.screenshot_to("administrator_add")
    page.locator("form button[type=submit]").last.click()
    password = page.locator("[data-one-time-password]").inner_text()
    created = Administrator.objects.get(mobile="13812340000")
    assert created.check_password(password) and created.organisation == orgs.changan
    page.screenshot_to("administrator_created")

    page.goto(f"{page.base_url}/admin/administrators/")
    assert "新管理员" in page.content()
    page.locator(f"a[href='/admin/administrators/reset-password/{created.pk}/']").first.click()
    page.locator("form button[type=submit]").last.click()
    new_password = page.locator("[data-one-time-password]").inner_text()
    created.refresh_from_db()
    assert new_password != password and created.check_password(new_password) and created.must_change_password
    page.screenshot_to("administrator_password_reset")
    page.reload()  # the password is not shown again: the reload asks to post again or shows the confirmation
    page.context.clear_cookies()

    admin_login(page, county.mobile)
    page.goto(f"{page.base_url}{LISTING}")
    assert search(page, "5678") == {"赵长安"}
    page.screenshot_to("officer_search_county")
