"""In a real browser: a province administrator reads the dashboard charts and drills into a city."""

import re

import pytest

from registry.factories import AdministratorFactory
from registry.models import Role
from tests.browser import admin_login
from tests.registry.test_statistics_views import enterprise, officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_charts_render_and_drill_down(page, orgs):
    for serial, region in enumerate(["130102", "130102", "130104", "130203"], start=1):
        company = enterprise(serial, region)
        if serial != 2:
            officer(serial, company)
    admin = AdministratorFactory(organisation=orgs.hebei, role=Role.PROVINCIAL)
    admin_login(page, admin.mobile)
    panel = page.locator("#statistics-dashboard-section")
    panel.locator("#stat-subregion svg rect").first.wait_for()
    assert panel.locator("[data-figure=enterprises]").inner_text() == "4"
    assert panel.locator("[data-figure=covered]").inner_text() == "3"
    widths = [
        float(w)
        for w in panel.locator("#stat-subregion svg rect").evaluate_all("r => r.map(e => e.getAttribute('width'))")
    ]
    assert max(widths) > 0 and len(widths) == orgs.hebei.get_children_count()  # every city, empty ones too
    freshness = panel.locator("[data-figure=as-of]")
    assert freshness.is_visible() and re.fullmatch(
        r"数据更新于 \d{4}-\d\d-\d\d \d\d:\d\d", freshness.inner_text().strip()
    )
    panel.locator("#stat-subregion").scroll_into_view_if_needed()
    page.screenshot_to("statistics_dashboard_panel")

    page.goto(f"{page.base_url}/admin/statistics/?unit={orgs.shijiazhuang.pk}")
    assert page.locator("[data-figure=enterprises]").inner_text() == "3"
    page.locator("#stat-subregion summary").click()
    table = page.locator("#stat-subregion table").inner_text()
    assert orgs.changan.name in table and orgs.tangshan.name not in table
    page.screenshot_to("statistics_city_page")

    page.goto(f"{page.base_url}/admin/statistics/progress/")
    assert orgs.shijiazhuang.name in page.content() and orgs.beijing.name not in page.content()
    page.screenshot_to("statistics_progress_report")


def test_county_dashboard_counts_its_own_records_with_their_freshness(page, orgs):
    for serial, region in enumerate(["130102", "130102", "130104"], start=1):
        officer(serial, enterprise(serial, region))
    admin = AdministratorFactory(organisation=orgs.changan, role=Role.INSTITUTION)
    admin_login(page, admin.mobile)
    page.goto(f"{page.base_url}/admin/statistics/")
    assert page.locator("[data-figure=enterprises]").inner_text() == "2"
    assert page.locator("[data-figure=as-of]").inner_text().startswith("数据更新于 ")
    page.screenshot_to("statistics_county_page")
