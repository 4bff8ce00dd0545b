"""In a real browser: a provincial administrator hands a person a copy of their data, then erases it (issue 20)."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from registry.models import ChiefQualityOfficer, certificate_expiry
from registry.officers.factories import OfficerFactory
from tests.browser import admin_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTING = "/admin/snippets/registry/chiefqualityofficer/"


def test_province_gives_a_copy_then_erases_a_persons_data(page, orgs, admins, tmp_path):
    officer = OfficerFactory(
        enterprise__region_id="130102",
        real_name="隐私测试",
        live=True,
        certificate_valid_until=certificate_expiry(timezone.localdate().year),
    )
    officer.save_revision(user=admins.changan)
    mobile = officer.mobile

    admin_login(page, admins.hebei.mobile)
    page.goto(f"{page.base_url}{LISTING}?q=隐私测试", wait_until="networkidle")
    row = page.locator("tr", has_text="隐私测试")
    row.get_by_role("button", name="更多").first.click()
    with page.expect_download() as download:
        row.get_by_role("link", name="个人信息副本（xlsx）").click()
    workbook = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    copied = {cells[0]: cells[1] for cells in workbook.worksheets[0].iter_rows(values_only=True)}
    assert copied["姓名"] == "隐私测试" and mobile in copied.values()

    row.get_by_role("button", name="更多").first.click()
    row.get_by_role("link", name="删除个人信息").click()
    page.wait_for_url(f"**{LISTING}erase/{officer.pk}/")
    with page.expect_navigation():
        page.get_by_role("button", name="删除个人信息").click()
    assert page.locator(".error-message").count() > 0  # a reason is required; nothing is erased without one
    page.screenshot_to("personal_data_erase_reason_required")
    assert ChiefQualityOfficer.unscoped.get(pk=officer.pk).erased_at is None

    page.get_by_label("本人申请删除").check()
    page.get_by_label("评语").fill("本人书面申请")
    page.get_by_role("button", name="删除个人信息").click()
    page.wait_for_url(f"**{LISTING}")
    assert "已删除" in page.content()
    page.screenshot_to("personal_data_erased")

    erased = ChiefQualityOfficer.unscoped.get(pk=officer.pk)
    assert erased.erased_at is not None and erased.mobile in ("", None) and erased.real_name == "已删除"
    page.goto(f"{page.base_url}{LISTING}?q=已删除", wait_until="networkidle")
    row = page.locator("tr", has_text="已删除")
    row.get_by_role("button", name="更多").first.click()
    assert row.get_by_role("link", name="删除个人信息").count() == 0  # nobody erases or copies it again
    assert row.get_by_role("link", name="个人信息副本（xlsx）").count() == 0
    assert row.get_by_role("link", name="撤销审核").count() == 0  # it stays counted, as it was
    assert row.get_by_role("link", name="登记表（PDF）").count() == 0
    assert "隐私测试" not in page.context.request.get(f"{page.base_url}/talent-pool/").text()
