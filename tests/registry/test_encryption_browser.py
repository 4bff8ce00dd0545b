"""In a real browser: a county administrator sees an officer's ID number and mobile masked, reveals them with a
reason, and finds the reveal in the record's history (issue 20 item 2)."""

import pytest

from registry.factories import AdministratorFactory, EnterpriseFactory, make_uscc
from registry.models import ChiefQualityOfficer, Role
from tests.browser import admin_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTING = "/admin/snippets/registry/chiefqualityofficer/"
ID_NUMBER = "130102198001015014"
MOBILE = "13812345678"


def test_county_administrator_sees_masked_values_and_reveals_them_audited(page, orgs):
    county = AdministratorFactory(organisation=orgs.changan, role=Role.INSTITUTION, real_name="长安区管理员")
    enterprise = EnterpriseFactory(uscc=make_uscc(777, "130102"), region_id="130102", name="石家庄长安精工有限公司")
    officer = ChiefQualityOfficer.objects.create(
        enterprise=enterprise,
        organisation=orgs.changan,
        real_name="赵质量",
        gender="F",
        mobile=MOBILE,
        id_number=ID_NUMBER,
        live=False,
    )
    admin_login(page, county.mobile)

    page.goto(f"{page.base_url}{LISTING}")
    listing = page.content()
    assert "赵质量" in listing and "138****5678" in listing and MOBILE not in listing
    page.screenshot_to("identifiers_listing_masked")

    page.goto(f"{page.base_url}{LISTING}inspect/{officer.pk}/")
    inspect = page.content()
    assert "1301**********5014" in inspect and "138****5678" in inspect
    assert ID_NUMBER not in inspect and MOBILE not in inspect
    page.screenshot_to("identifiers_inspect_masked")

    page.locator("a[data-reveal]").first.click()  # beside the masked value (also in the header's menu)
    page.wait_for_url(f"**{LISTING}reveal/{officer.pk}/")
    page.get_by_label("联系首席质量官").check()
    page.screenshot_to("identifiers_reveal_reason")
    page.get_by_role("button", name="查看", exact=True).click()
    page.wait_for_selector("[data-revealed]")
    revealed = page.content()
    assert ID_NUMBER in revealed and MOBILE in revealed
    page.screenshot_to("identifiers_revealed")

    page.goto(f"{page.base_url}{LISTING}history/{officer.pk}/")
    history = page.content()
    assert "已查看完整证件号码和手机号：联系首席质量官" in history and "长安区管理员" in history
    page.screenshot_to("identifiers_reveal_in_history")
