"""In a real browser: a county administrator writes news, the city administrator approves it, the public sees it."""

import re

import pytest

from home import demo as home_demo
from news import demo as news_demo
from news.models import NewsPage
from news.sections import ensure_section
from registry.demo import DemoSite
from registry.factories import AdministratorFactory
from tests.browser import admin_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "长安区开展“质量月”企业首席质量官交流活动"


def test_county_news_is_approved_by_the_city_and_then_public(page, browser, orgs):
    for demo_module in (home_demo, news_demo):  # a realistic portal around the news under test
        demo_module.load(DemoSite())
    county = AdministratorFactory(organisation=orgs.changan, email="changan@example.cn")
    city = AdministratorFactory(organisation=orgs.shijiazhuang, email="sjz@example.cn")
    section = ensure_section(orgs.changan)

    admin_login(page, county.mobile)
    page.goto(f"{page.base_url}/admin/pages/add/news/newspage/{section.pk}/", wait_until="networkidle")
    page.fill("#id_title", TITLE)
    page.locator("#id_slug").evaluate("slug => { slug.value = 'changan-quality-month'; }")  # on the Promote tab
    page.fill("#id_summary", "长安区市场监管局组织辖区40余家企业首席质量官开展质量管理经验交流。")
    page.locator("button[name=action-submit]").evaluate("button => button.click()")
    page.wait_for_url(re.compile(rf"/admin/pages/{section.pk}/$"))  # back in the section's listing: created
    news = NewsPage.objects.get(title=TITLE)
    assert not news.live and news.current_workflow_state is not None
    assert TITLE not in page.context.request.get(f"{page.base_url}/news/").text()

    approver_context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    approver = approver_context.new_page()
    approver.set_default_timeout(15_000)
    approver.base_url = page.base_url
    admin_login(approver, city.mobile)
    assert TITLE in approver.content()  # "awaiting your review" on the dashboard
    approver.goto(f"{page.base_url}/admin/pages/{news.pk}/edit/", wait_until="networkidle")
    approver.locator('button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])').evaluate(
        "button => button.click()"
    )
    approver.wait_for_url(re.compile(r"/admin/(pages/\d+/)?$"))
    approver.wait_for_load_state()
    approver_context.close()
    news.refresh_from_db()
    assert news.live

    page.goto(f"{page.base_url}/")
    page.get_by_role("button", name="退出").first.click()  # portal logout: the public sees what follows
    page.wait_for_load_state()
    page.goto(f"{page.base_url}/news/")
    assert page.locator(".news-list").get_by_text(TITLE).is_visible()
    assert "待审核" not in page.content()  # demo news still awaiting approval stay hidden
    page.screenshot_to("news_index")
    page.get_by_role("link", name=TITLE).click()
    assert page.locator("h1").inner_text() == TITLE
    page.screenshot_to("news_page")
    page.goto(f"{page.base_url}/")
    assert page.get_by_role("link", name=TITLE).first.is_visible()
    page.screenshot_to("home")
