"""Unit registration, the secretariat's review and its e-mails, and who may review."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.users.models import UserProfile

from filings.qcgroups.factories import MINIMAL_PDF, FilingUnitFactory
from filings.qcgroups.models import FilingUnit
from registry.factories import make_uscc
from registry.models import Role, User

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def registration_data(**overrides):
    data = {
        "agree": "on",
        "name": "河北恒信化工有限公司",
        "uscc": make_uscc(424242, "130100"),
        "category": "enterprise",
        "username": "hxhg2024",
        "password1": "Qc-filing-2024",
        "password2": "Qc-filing-2024",
        "contact_name": "刘敏",
        "contact_mobile": "139 1234 5678",
        "province": "130000",
        "city": "130100",
        "email": "quality@hengxin.example.cn",
        "captcha_0": "x",
        "captcha_1": "PASSED",
    }
    data.update(overrides)
    return data


def register(client, licence=None, **overrides):
    data = registration_data(**overrides)
    data["licence"] = licence or SimpleUploadedFile("licence.pdf", MINIMAL_PDF, content_type="application/pdf")
    return client.post(reverse("qcgroups_register"), data)


@pytest.mark.django_db
def test_registration_creates_pending_unit_with_its_account(client, secretariat_admin):
    secretariat_admin.email = "secretariat@cpcif.example.cn"
    secretariat_admin.save()
    response = register(client)
    assert "form" not in response.context, response.context["form"].errors
    unit = FilingUnit.unscoped.get(name="河北恒信化工有限公司")
    assert unit.status == FilingUnit.Status.PENDING
    assert unit.contact_mobile == "13912345678"
    assert unit.organisation.name == "中国石油和化学工业联合会"
    assert unit.account.kind == User.Kind.ENTERPRISE and unit.account.check_password("Qc-filing-2024")
    assert unit.licence.name.startswith("qcgroups/licences/") and unit.licence.name.endswith(".pdf")
    assert [message.to for message in mail.outbox] == [["secretariat@cpcif.example.cn"]]
    assert f"/admin/qc-units/review/{unit.pk}/" in mail.outbox[0].body


@pytest.mark.django_db
def test_renamed_executable_is_refused_and_typed_values_kept(client):
    fake = SimpleUploadedFile("licence.pdf", b"MZ\x90\x00" + b"\x00" * 100, content_type="application/pdf")
    response = register(client, licence=fake)
    form = response.context["form"]
    assert "PDF" in str(form.errors["licence"]) and "修改扩展名不会改变文件内容" in str(form.errors["licence"])
    assert form["name"].value() == "河北恒信化工有限公司"
    assert not FilingUnit.unscoped.exists() and not User.objects.filter(username="hxhg2024").exists()


@pytest.mark.django_db
def test_licence_over_five_megabytes_is_refused(client):
    big = SimpleUploadedFile("licence.png", PNG + b"\x00" * (5 * 1024 * 1024), content_type="image/png")
    response = register(client, licence=big)
    assert "不能超过5 MB" in str(response.context["form"].errors["licence"])


@pytest.mark.django_db
def test_png_licence_is_stored_under_its_real_type(client):
    register(client, licence=SimpleUploadedFile("scan.exe", PNG, content_type="application/octet-stream"))
    assert FilingUnit.unscoped.get().licence.name.endswith(".png")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"agree": ""}, "agree", "注册协议"),
        ({"username": "ab"}, "username", "4-16"),
        ({"username": "中文账号abc"}, "username", "4-16"),
        ({"password1": "12345678", "password2": "12345678"}, "password1", "字母和数字"),
        ({"password2": "Other-pass-99"}, "password2", "不一致"),
        ({"uscc": "91130100MA0000000X"}, "uscc", "校验位"),
        ({"contact_mobile": "12345"}, "contact_mobile", "mobile"),
        ({"city": "320500"}, "city", "省份"),
        ({"city": ""}, "city", "city"),
        ({"captcha_1": "WRONG"}, "captcha", ""),
    ],
)
def test_registration_rejects_bad_input_field_by_field(client, overrides, field, fragment):
    response = register(client, **overrides)
    errors = response.context["form"].errors
    assert field in errors and fragment in str(errors[field])
    assert not FilingUnit.unscoped.exists()


@pytest.mark.django_db
def test_one_account_per_unit_name_uscc_and_login(client):
    existing = FilingUnitFactory(name="河北恒信化工有限公司", uscc=make_uscc(424242, "130100"))
    response = register(client, username=existing.account.username.upper())
    errors = response.context["form"].errors
    assert "已注册" in str(errors["name"]) and "已注册" in str(errors["uscc"])
    assert "已被使用" in str(errors["username"])


@pytest.mark.django_db
def test_pending_unit_logs_in_but_cannot_file(client):
    register(client)
    login = {"username": "hxhg2024", "password": "Qc-filing-2024", "captcha_0": "x", "captcha_1": "PASSED"}
    assert client.post(reverse("portal_login"), login).status_code == 302
    assert "等待秘书处审核" in client.get(reverse("qcgroups_home")).content.decode()
    response = client.get(reverse("qcgroups_filing_add"))
    assert response.status_code == 302 and response.url == reverse("qcgroups_home")


@pytest.mark.django_db
def test_secretariat_approves_and_the_unit_is_emailed(client, secretariat_admin):
    unit = FilingUnitFactory(status=FilingUnit.Status.PENDING, email="qc@unit.example.cn")
    client.force_login(secretariat_admin)
    url = reverse("qc_units:review", args=[unit.pk])
    assert unit.name in client.get(url).content.decode()
    response = client.post(url, {"approve": "1", "approve-remarks": ""})
    assert response.status_code == 302
    unit.refresh_from_db()
    assert (
        unit.status == FilingUnit.Status.APPROVED and unit.live and unit.last_decision.finished_by == secretariat_admin
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["qc@unit.example.cn"] and "审核通过" in message.subject
    assert unit.account.username in message.body


@pytest.mark.django_db
def test_rejection_needs_a_reason_which_is_emailed_and_allows_resubmission(client, secretariat_admin):
    unit = FilingUnitFactory(status=FilingUnit.Status.PENDING)
    client.force_login(secretariat_admin)
    url = reverse("qc_units:review", args=[unit.pk])
    response = client.post(url, {"reject": "1", "reject-reason": ""})
    assert response.status_code == 200 and not mail.outbox
    client.post(url, {"reject": "1", "reject-reason": "营业执照图片不清晰，请重新上传"})
    unit.refresh_from_db()
    assert unit.status == FilingUnit.Status.REJECTED
    assert "未通过" in mail.outbox[0].subject and "营业执照图片不清晰" in mail.outbox[0].body

    client.force_login(unit.account)
    assert "营业执照图片不清晰" in client.get(reverse("qcgroups_home")).content.decode()
    response = client.post(
        reverse("qcgroups_resubmit"),
        {
            "name": unit.name,
            "uscc": unit.uscc,
            "category": unit.category,
            "province": "130000",
            "city": "130100",
            "licence": SimpleUploadedFile("clear.png", PNG, content_type="image/png"),
        },
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.status == FilingUnit.Status.PENDING and unit.licence.name.endswith(".png")


@pytest.mark.django_db
def test_licence_is_served_to_the_secretariat_as_an_attachment(client, secretariat_admin):
    unit = FilingUnitFactory()
    client.force_login(secretariat_admin)
    response = client.get(unit.licence.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == MINIMAL_PDF


@pytest.mark.django_db
def test_other_organisations_admins_get_404_for_units(client, orgs, make_admin):
    unit = FilingUnitFactory(status=FilingUnit.Status.PENDING)
    for admin in (make_admin(orgs.hebei, Role.PROVINCIAL), make_admin(orgs.national, Role.NATIONAL)):
        client.force_login(admin)
        for name in ("qc_units:review", "qc_units:edit", "qc_units:inspect"):
            assert client.get(reverse(name, args=[unit.pk])).status_code == 404, (admin, name)
        assert client.get(unit.licence.url).status_code == 404
        assert client.post(reverse("qc_units:review", args=[unit.pk]), {"approve": "1"}).status_code == 404
        assert unit.name not in client.get(reverse("qc_units:list")).content.decode()
    unit.refresh_from_db()
    assert unit.status == FilingUnit.Status.PENDING and not mail.outbox


@pytest.mark.django_db
def test_platform_admin_above_the_secretariat_reaches_units(client, orgs, make_admin):
    unit = FilingUnitFactory()
    client.force_login(make_admin(orgs.platform, Role.PLATFORM))
    assert client.get(reverse("qc_units:review", args=[unit.pk])).status_code == 200


@pytest.mark.django_db
def test_profile_changes_contact_details_but_not_identity(client):
    unit = FilingUnitFactory()
    client.force_login(unit.account)
    response = client.post(
        reverse("qcgroups_profile"),
        {"contact_name": "新联系人", "contact_mobile": "13800138000", "email": "new@unit.example.cn", "name": "改名"},
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert (unit.contact_name, unit.contact_mobile, unit.email) == ("新联系人", "13800138000", "new@unit.example.cn")
    assert unit.name != "改名" and unit.account.email == "new@unit.example.cn"


@pytest.mark.django_db
def test_unit_changes_its_password(client):
    unit = FilingUnitFactory()
    client.force_login(unit.account)
    response = client.post(
        reverse("qcgroups_password_change"),
        {"old_password": "Test-pass-123", "new_password1": "Fresh-pass-456", "new_password2": "Fresh-pass-456"},
    )
    assert response.status_code == 302
    unit.account.refresh_from_db()
    assert unit.account.check_password("Fresh-pass-456")


@pytest.mark.django_db
def test_secretariat_lists_filters_and_edits_units(client, secretariat_admin):
    pending = FilingUnitFactory(status=FilingUnit.Status.PENDING, name="待审石化有限公司")
    FilingUnitFactory(name="已审化工有限公司")
    client.force_login(secretariat_admin)
    listing = client.get(reverse("qc_units:list"), {"status": "pending"}).content.decode()
    assert "待审石化有限公司" in listing and "已审化工有限公司" not in listing
    assert "待审石化有限公司" in client.get(reverse("qc_units:list"), {"q": "待审"}).content.decode()
    assert client.get(reverse("qc_units:inspect", args=[pending.pk])).status_code == 200
    assert client.get(reverse("qc_units:edit", args=[pending.pk])).status_code == 200
    assert client.get(reverse("qc_units:add")).status_code in (302, 403)


@pytest.mark.django_db
def test_anonymous_visitor_sees_how_to_register(client):
    page = client.get(reverse("qcgroups_home")).content.decode()
    assert reverse("qcgroups_register") in page
    assert client.get(reverse("qcgroups_filings")).status_code == 302
    assert "注册协议" in client.get(reverse("qcgroups_register")).content.decode()


@pytest.mark.django_db
def test_secretariat_changes_a_units_identity(client, secretariat_admin):
    unit = FilingUnitFactory()
    client.force_login(secretariat_admin)
    data = {
        "name": "更名后石化有限公司",
        "uscc": unit.uscc,
        "category": "group",
        "province": "130000",
        "city": "130100",
        "contact_name": unit.contact_name,
        "contact_mobile": unit.contact_mobile,
        "email": unit.email,
        "action-publish": "action-publish",
    }
    response = client.post(reverse("qc_units:edit", args=[unit.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    unit.refresh_from_db()
    assert (unit.name, unit.category) == ("更名后石化有限公司", "group") and unit.licence.read() == MINIMAL_PDF


@pytest.mark.django_db
def test_dashboard_lists_pending_units_for_the_secretariat_only(client, secretariat_admin, orgs, make_admin):
    pending = FilingUnitFactory(status=FilingUnit.Status.PENDING)
    review_url = reverse("qc_units:edit", args=[pending.pk])  # Wagtail's "awaiting your review" queue
    client.force_login(secretariat_admin)
    assert review_url in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(make_admin(orgs.hebei, Role.PROVINCIAL))
    assert review_url not in client.get(reverse("wagtailadmin_home")).content.decode()


@pytest.mark.django_db
def test_review_e_mails_speak_the_recipients_language_and_link_to_the_site_address(client, secretariat_admin, settings):
    """An English-speaking reviewer's decision reaches a unit in the unit's language (Chinese by default), and the
    secretariat's English-speaking administrator is told of a new unit in English; links use the site address."""
    settings.WAGTAILADMIN_BASE_URL = "https://cqo.example.cn"
    UserProfile.objects.update_or_create(user=secretariat_admin, defaults={"preferred_language": "en"})
    unit = FilingUnitFactory(status=FilingUnit.Status.PENDING, email="qc@unit.example.cn")
    client.force_login(secretariat_admin)
    client.post(reverse("qc_units:review", args=[unit.pk]), {"reject": "1", "reject-reason": "执照不清晰"})
    (rejected,) = mail.outbox
    assert "未通过" in rejected.subject and "执照不清晰" in rejected.body
    assert "https://cqo.example.cn/qc/" in rejected.body

    secretariat_admin.email = "secretariat@cpcif.example.cn"
    secretariat_admin.save()
    client.logout()
    register(client)
    unit = FilingUnit.unscoped.get(name="河北恒信化工有限公司")
    notice = mail.outbox[-1]
    assert notice.to == ["secretariat@cpcif.example.cn"] and "awaits review" in notice.subject
    assert f"https://cqo.example.cn/admin/qc-units/review/{unit.pk}/" in notice.body
    assert not re.search(r"[\u4e00-\u9fff]", notice.subject.replace(unit.name, ""))
