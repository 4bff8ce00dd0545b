"""Every public page and portal form, on a desktop and on a phone: no accessibility violation that axe-core
reports (any impact) and no horizontal scrolling at 375 px."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from filings.awards.factories import make_programme
from filings.standards.factories import DisclosedStandardFactory
from home.site import build_site
from news.factories import make_news
from registry.factories import EnterpriseFactory
from registry.officers.factories import OfficerFactory

pytestmark = pytest.mark.browser

VIEWPORTS = {"desktop": (1280, 900), "phone": (375, 812)}
PAGES = [
    "/",
    "/news/",
    "/notices/",
    "/policies/",
    "/standards/",
    "/standards/?q=%E8%B4%A8%E9%87%8F",
    "/talent-pool/",
    "/talent-pool/?q=%E7%B2%BE%E5%B7%A5",
    "/awards/",
    "/search/?q=%E8%B4%A8%E9%87%8F",
    "/accounts/login/",
    "/enterprise/register/",
    "/enterprise/forgot-password/",
    "/enterprise/forgot-username/",
    "/qc/register/",
]


@pytest.fixture
def public_site(live_server_with_reference_data, orgs):
    """A portal with one of each kind of public item, so the detail pages are checked too."""
    build_site()
    news = make_news(orgs.hebei, "河北省召开质量工作会议", paragraphs=["会议部署了全年质量工作。"])
    enterprise = EnterpriseFactory(name="石家庄精工质量有限公司", region=orgs.changan.division)
    standard = DisclosedStandardFactory(enterprise=enterprise, name="精工轴承质量要求")
    officer = OfficerFactory(enterprise=enterprise, real_name="李质量")
    officer.save_revision().publish()
    programme = make_programme()
    return PAGES + [news.url, f"/standards/{standard.pk}/", programme.url]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_public_pages_have_no_accessibility_violations_and_fit_a_phone(browser, public_site, viewport, page):
    width, height = VIEWPORTS[viewport]
    page.set_viewport_size({"width": width, "height": height})
    axe = Axe()
    problems = []
    for path in public_site:
        response = page.goto(page.base_url + path)
        assert response.status == 200, path
        for violation in axe.run(page).response["violations"]:
            targets = [node["target"] for node in violation["nodes"]]
            problems.append(f"{path}: {violation['id']} ({violation['impact']}) at {targets}")
        if path == "/":
            page.screenshot_to(f"home-{viewport}")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            problems.append(f"{path}: {scroll_width} px wide in a {width} px window")
    assert not problems, "\n".join(problems)
