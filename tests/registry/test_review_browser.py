"""In a real browser, the seed's loop at a province's volume: a county imports 5,000 officers, the city approves them
all in one bulk review, the talent pool lists them; then a county with a single administrator, approved by its city."""

import re
import shutil
from pathlib import Path

import pytest

from registry.factories import AdministratorFactory
from registry.models import ChiefQualityOfficer, Role, certificate_expiry
from tests.browser import admin_login
from tests.registry.test_admin_language_browser import open_header_menu
from tests.registry.test_review import workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTING = "/admin/snippets/registry/chiefqualityofficer/"
SHOTS = Path("/work/notes/shots/review")


def shot(page, name):
    page.screenshot_to(name)
    if SHOTS.parent.exists():  # also where the lead looks, when run on the shared machine
        SHOTS.mkdir(exist_ok=True)
        shutil.copy(Path("test-output/screenshots") / f"{name}.png", SHOTS / f"{name}.png")


def import_file(page, path, rows):
    page.goto(f"{page.base_url}{LISTING}import/")
    page.set_input_files("input[name=workbook]", str(path))
    page.locator("form button[type=submit]").last.click(timeout=300_000)  # the import runs in the request here
    page.wait_for_url(re.compile(r"/import/\d+/$"), timeout=300_000)
    page.wait_for_selector(f"text=新增 {rows} 名首席质量官", timeout=300_000)


def review_all_matching(page, expected):
    """As the city: the pending records' listing, "review all matching", approve, and the job's outcome."""
    page.goto(f"{page.base_url}{LISTING}?review_status=pending")
    open_header_menu(page)
    page.get_by_role("link", name=re.compile("Review all matching|审核全部")).click()
    page.wait_for_selector("#bulk-review-count")
    assert page.locator("#bulk-review-count").get_attribute("data-count") == str(expected)
    page.check("input[name=decision][value=approve]")
    page.locator("form[action*='/review/'] button[type=submit]").click(timeout=300_000)
    page.wait_for_url(re.compile(r"/review/\d+/$"), timeout=300_000)
    page.wait_for_selector("#review-outcome", timeout=300_000)


def open_as(browser, base_url, mobile):
    """A browser context of its own, logged in as the administrator with ``mobile``."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = base_url
    page.screenshot_to = lambda name: page.screenshot(path=f"test-output/screenshots/{name}.png", full_page=True)
    admin_login(page, mobile)
    return context, page


def test_a_county_imports_5000_the_city_approves_them_in_bulk_and_the_talent_pool_lists_them(page, browser, orgs):
    importer = AdministratorFactory(organisation=orgs.changan, role=Role.INSTITUTION)
    AdministratorFactory(organisation=orgs.changan, role=Role.INSTITUTION)  # a colleague
    city = AdministratorFactory(organisation=orgs.shijiazhuang, role=Role.INSTITUTION)
    path = Path("test-output") / "officers-5000.xlsx"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(workbook(range(1, 5001)))

    admin_login(page, importer.mobile)
    import_file(page, path, 5000)
    shot(page, "review_import_5000_done")

    # Its speed with 5,000 in review is measured by bench/ (ratios), its query count at two sizes by test_query_counts.
    assert page.goto(f"{page.base_url}/admin/").status == 200
    assert page.locator("[data-in-review-total]").get_attribute("data-in-review-total") == "5000"
    assert page.locator("[data-awaiting-review-total]").count() == 0  # nobody reviews their own
    shot(page, "review_dashboard_importer")

    approver_context, approver = open_as(browser, page.base_url, city.mobile)
    assert approver.locator("[data-awaiting-review-total]").get_attribute("data-awaiting-review-total") == "5000"
    shot(approver, "review_dashboard_city")
    review_all_matching(approver, 5000)
    shot(approver, "review_job_done")
    assert ChiefQualityOfficer.unscoped.filter(live=True).count() == 5000

    # The talent pool lists approved officers holding a valid certificate (training issues them: tests/training).
    ChiefQualityOfficer.unscoped.filter(live=True).update(certificate_valid_until=certificate_expiry(2100))
    approver.goto(f"{page.base_url}/talent-pool/")
    table = approver.locator("table.talent-pool").inner_text()
    assert "王质量5000" in table and "长安精工5000有限公司" in table
    shot(approver, "review_talent_pool")

    # A county with one administrator: its city approves, here by ticking the rows of a listing page.
    alone = AdministratorFactory(organisation=orgs.qiaoxi, role=Role.INSTITUTION)
    path.write_bytes(workbook(range(6001, 6031), region="130104"))
    alone_context, alone_page = open_as(browser, page.base_url, alone.mobile)
    import_file(alone_page, path, 30)
    alone_page.goto(f"{page.base_url}/admin/")
    assert alone_page.locator("[data-awaiting-review-total]").count() == 0  # the only administrator: not theirs
    alone_context.close()

    approver.goto(f"{page.base_url}{LISTING}?review_status=pending")
    approver.locator("th.bulk-actions-filter-checkbox input[type=checkbox]").first.check()
    approver.locator("[data-bulk-action-button][href*='/review/']").first.click()
    approver.wait_for_selector("#bulk-review-count")
    assert approver.locator("#bulk-review-count").get_attribute("data-count") == "20"  # one page of the listing
    shot(approver, "review_bulk_confirm")
    approver.check("input[name=decision][value=reject]")
    approver.locator("form[action*='/review/'] button[type=submit]").click()
    approver.wait_for_selector(".error-message")  # a rejection needs its reason
    approver.check("input[name=decision][value=approve]")
    approver.locator("form[action*='/review/'] button[type=submit]").click(timeout=120_000)
    approver.wait_for_selector("#review-outcome", timeout=120_000)
    review_all_matching(approver, 10)
    approver_context.close()
    assert ChiefQualityOfficer.unscoped.filter(organisation=orgs.qiaoxi, live=True).count() == 30
