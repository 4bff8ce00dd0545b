"""In a real browser: a province administrator imports officers, a colleague approves one, the public sees it."""

import re

import pytest

from registry.factories import AdministratorFactory
from registry.models import ChiefQualityOfficer, Role, certificate_expiry
from tests.browser import admin_login
from tests.registry.test_import_officers import row, workbook_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTING = "/admin/snippets/registry/chiefqualityofficer/"


def test_province_administrator_imports_reviews_and_publishes(page, browser, orgs, tmp_path):
    importer = AdministratorFactory(organisation=orgs.hebei, role=Role.PROVINCIAL)
    reviewer = AdministratorFactory(organisation=orgs.hebei, role=Role.PROVINCIAL)
    workbook = tmp_path / "officers.xlsx"
    workbook.write_bytes(workbook_bytes([row(1), row(2), row(3, region="130203", uscc="91130203MA0000003" + "X")]))

    admin_login(page, importer.mobile)
    page.goto(f"{page.base_url}{LISTING}import/")
    page.set_input_files("input[name=workbook]", str(workbook))
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/import/\d+/$"))
    page.wait_for_selector("#import-errors")
    assert "没有写入任何数据" in page.content()  # the third row's USCC check character is wrong
    page.screenshot_to("officer_import_errors")
    assert ChiefQualityOfficer.unscoped.count() == 0

    workbook.write_bytes(workbook_bytes([row(1), row(2)]))
    page.goto(f"{page.base_url}{LISTING}import/")
    page.set_input_files("input[name=workbook]", str(workbook))
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/import/\d+/$"))
    page.wait_for_selector("text=新增 2 名首席质量官")
    page.screenshot_to("officer_import_done")
    page.goto(f"{page.base_url}{LISTING}?review_status=pending")
    assert "王质量1" in page.content() and "王质量2" in page.content()

    officer = ChiefQualityOfficer.unscoped.get(real_name="王质量1")
    assert page.context.request.get(f"{page.base_url}/talent-pool/").text().count("王质量1") == 0

    reviewer_context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    approver = reviewer_context.new_page()
    approver.set_default_timeout(15_000)
    approver.base_url = page.base_url
    admin_login(approver, reviewer.mobile)
    approver.goto(f"{page.base_url}{LISTING}edit/{officer.pk}/", wait_until="networkidle")
    with approver.expect_navigation():
        approver.locator('button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])').evaluate(
            "button => button.click()"
        )
    approver.wait_for_load_state()
    reviewer_context.close()
    officer.refresh_from_db()
    assert officer.live

    # The talent pool lists approved officers holding a valid certificate (training issues them: tests/training).
    ChiefQualityOfficer.unscoped.filter(pk=officer.pk).update(certificate_valid_until=certificate_expiry(2100))
    page.goto(f"{page.base_url}/talent-pool/?enterprise=长安精工1")
    table = page.locator("table.talent-pool").inner_text()
    assert "王质量1" in table and "长安精工1有限公司" in table
    assert "王质量2" not in table
    assert officer.mobile not in page.content() and officer.id_number not in page.content()
    page.screenshot_to("talent_pool")

    # The enterprise renamed in the admin: the pool finds and shows it by its new name at once.
    page.goto(f"{page.base_url}/admin/enterprises/edit/{officer.enterprise_id}/")
    page.fill("#id_name", "长安更名精工有限公司")
    page.locator("button.action-save").click()
    page.wait_for_url(f"{page.base_url}/admin/enterprises/")
    page.goto(f"{page.base_url}/talent-pool/?enterprise=更名精工")
    table = page.locator("table.talent-pool").inner_text()
    assert "王质量1" in table and "长安更名精工有限公司" in table
    page.goto(f"{page.base_url}/talent-pool/?enterprise=长安精工1")
    assert "王质量1" not in page.locator("table.talent-pool").inner_text()
    page.screenshot_to("talent_pool_renamed")
    # Two characters typed in the form (on PostgreSQL the pool's pair index, kept by triggers): the new name's pair
    # finds him, a pair only the old name held does not.
    for pair, listed in (("更名", True), ("工1", False)):
        page.fill("#tp-enterprise", pair)
        with page.expect_navigation():
            page.locator("form.talent-pool-search button").click()
        assert ("王质量1" in page.locator("table.talent-pool").inner_text()) == listed, pair
    page.screenshot_to("talent_pool_pair_search")


def test_listing_steps_through_pages_by_cursor(page, orgs):
    """Next and Previous in the real admin carry the neighbouring id, and the rows they show follow the listing."""
    from tests.registry.test_officers import make_officer

    administrator = AdministratorFactory(organisation=orgs.changan, role=Role.INSTITUTION)
    officers = [make_officer(orgs.changan, serial=serial) for serial in range(1, 46)]  # 3 pages of 20
    make_officer(orgs.qiaoxi, region="130104", serial=99)  # a neighbour's record never shows

    def names():
        return page.locator("table.listing tbody td.title .title-wrapper a").all_inner_texts()

    def expected(first, last):
        return [officer.real_name for officer in reversed(officers[first:last])]

    admin_login(page, administrator.mobile)
    page.goto(f"{page.base_url}{LISTING}")
    assert names() == expected(25, 45)
    page.locator("nav.pagination li.next a").first.click()
    page.wait_for_url(re.compile(rf"after={officers[25].pk}\b"))
    assert names() == expected(5, 25)
    page.locator("nav.pagination li.next a").first.click()
    page.wait_for_url(re.compile(rf"after={officers[5].pk}\b"))
    assert names() == expected(0, 5) and "李质量99" not in page.content()
    page.locator("nav.pagination li.prev a").first.click()
    page.wait_for_url(re.compile(rf"before={officers[4].pk}\b"))
    assert names() == expected(5, 25)
