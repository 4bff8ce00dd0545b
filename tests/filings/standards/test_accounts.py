"""Enterprise accounts: registry matching, registration, SMS limits, recovery and the account page."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from filings.standards import services
from filings.standards.models import EnterpriseProfile
from registry import sms, sms_codes
from registry.factories import EnterpriseAccountFactory, make_mobile, make_resident_id
from registry.models import SMSCode, User

from .conftest import last_code

pytestmark = pytest.mark.django_db


def details(enterprise, **overrides):
    data = {
        "code": enterprise.uscc,
        "name": enterprise.name,
        "legal_representative": enterprise.legal_representative,
        "legal_representative_id_number": enterprise.legal_representative_id_number,
        "registered_address": enterprise.registered_address,
    }
    return {**data, **overrides}


def test_matching_ignores_full_width_brackets_digits_spaces_and_missing_province(enterprise):
    typed = details(
        enterprise,
        code=" ".join(enterprise.uscc[i : i + 6] for i in range(0, 18, 6)),
        name="机构代码中心（全国）",
        registered_address="石家庄市长安区（北京）１３２号",
    )
    matched, errors = services.match_enterprise(typed)
    assert errors == {}
    assert matched == enterprise


def test_matching_accepts_the_old_organisation_code(enterprise):
    code = enterprise.uscc[8:17]
    matched, errors = services.match_enterprise(details(enterprise, code=f"{code[:8]}-{code[8]}"))
    assert matched == enterprise and errors == {}


def test_matching_names_each_differing_field(enterprise):
    _matched, errors = services.match_enterprise(
        details(enterprise, legal_representative="李四", registered_address="河北省石家庄市长安区133号")
    )
    assert set(errors) == {"legal_representative", "registered_address"}
    assert "法定代表人" in errors["legal_representative"]
    assert "注册地址" in errors["registered_address"]


def test_unknown_code_is_reported_on_the_code_field(enterprise):
    _matched, errors = services.match_enterprise(details(enterprise, code="91110105000000000X"))
    assert "code" in errors


def register_step_one(client, enterprise):
    response = client.post(reverse("standards:register"), details(enterprise, name="机构代码中心（全国）"))
    assert response.status_code == 302
    return response


def account_data(enterprise, mobile, code, **overrides):
    return {
        "username": "qc_user_01",
        "real_name": "李翠翠",
        "id_number": make_resident_id(42, birth="19790606"),  # factories number 1980-born holders: never this one
        "bureau": enterprise.organisation_id,
        "password1": "Quality-2026!",
        "password2": "Quality-2026!",
        "mobile": mobile,
        "sms_code": code,
        "accept_terms": "on",
        **overrides,
    }


def test_registration_creates_an_enterprise_account(client, enterprise):
    register_step_one(client, enterprise)
    mobile = make_mobile(777)
    assert client.post(reverse("standards:send_code"), {"purpose": "register", "mobile": mobile}).json()["ok"]
    response = client.post(reverse("standards:register_account"), account_data(enterprise, mobile, last_code()))
    assert response.status_code == 302, response.context["form"].errors
    user = User.objects.get(username="qc_user_01")
    assert user.kind == User.Kind.ENTERPRISE and user.enterprise == enterprise and user.mobile == mobile
    assert user.check_password("Quality-2026!")
    assert EnterpriseProfile.objects.get(user=user).enterprise_name == enterprise.name


def test_registration_refuses_reused_id_number_and_mobile_bad_username_and_weak_password(client, enterprise, account):
    register_step_one(client, enterprise)
    data = account_data(
        enterprise,
        account.mobile,
        "000000",
        id_number=account.id_number,
        username="王五",
        password1="123456",
        password2="123456",
    )
    form = client.post(reverse("standards:register_account"), data).context["form"]
    assert {"id_number", "username", "password1"} <= set(form.errors)
    assert "mobile" not in form.errors  # nobody learns that the number is registered without its code
    assert form["real_name"].value() == "李翠翠"  # what the user typed is kept
    client.post(reverse("standards:send_code"), {"purpose": "register", "mobile": account.mobile})
    data = account_data(enterprise, account.mobile, last_code(), username="qc_user_02")
    form = client.post(reverse("standards:register_account"), data).context["form"]
    assert set(form.errors) == {"mobile"}  # the holder of the number, proved by the code, is told


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("12345", "18"),  # wrong length
        ("91110105MA01ABCD1I", "I"),  # a letter the code never uses
        ("CHECK", "校验位"),  # the right length and alphabet, a wrong check character
    ],
)
def test_a_mistyped_code_is_told_apart_from_one_the_registry_lacks(client, enterprise, typed, says):
    if typed == "CHECK":
        last = enterprise.uscc[-1]
        typed = enterprise.uscc[:-1] + ("1" if last != "1" else "2")
    errors = client.post(reverse("standards:register"), details(enterprise, code=typed)).context["form"].errors
    assert says in str(errors["code"]) and "名录" not in str(errors["code"])
    assert set(errors) == {"code"}


def test_a_valid_code_the_registry_lacks_names_the_bureau_not_a_sync(client, enterprise):
    from registry.validators import uscc_check_char

    body = "91130102MA0ABCDE1"
    errors = (
        client.post(reverse("standards:register"), details(enterprise, code=body + uscc_check_char(body)))
        .context["form"]
        .errors
    )
    assert "市场监管局" in str(errors["code"]) and "同步" not in str(errors["code"])


def test_registration_needs_a_valid_sms_code_and_terms(client, enterprise):
    register_step_one(client, enterprise)
    mobile = make_mobile(778)
    client.post(reverse("standards:send_code"), {"purpose": "register", "mobile": mobile})
    wrong = "000000" if last_code() != "000000" else "111111"
    data = account_data(enterprise, mobile, last_code())
    del data["accept_terms"]
    form = client.post(reverse("standards:register_account"), data).context["form"]
    assert set(form.errors) == {"accept_terms"}  # a typo elsewhere does not use up the code
    form = client.post(reverse("standards:register_account"), account_data(enterprise, mobile, wrong)).context["form"]
    assert set(form.errors) == {"sms_code"}
    assert not User.objects.filter(username="qc_user_01").exists()


def test_registration_step_two_requires_step_one(client):
    assert client.get(reverse("standards:register_account")).url == reverse("standards:register")


def test_codes_are_single_use_and_expire():
    mobile = make_mobile(800)
    code = sms_codes.issue_code(mobile, SMSCode.Purpose.REGISTER)
    assert sms_codes.check_code(mobile, SMSCode.Purpose.REGISTER, code)
    assert not sms_codes.check_code(mobile, SMSCode.Purpose.REGISTER, code)
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=2)):
        code = sms_codes.issue_code(mobile, SMSCode.Purpose.REGISTER)
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=20)):
        assert not sms_codes.check_code(mobile, SMSCode.Purpose.REGISTER, code)


def test_codes_are_stored_hashed_and_locked_after_repeated_failures():
    mobile = make_mobile(801)
    code = sms_codes.issue_code(mobile, SMSCode.Purpose.REGISTER)
    assert code not in SMSCode.objects.get(mobile=mobile).code_hash
    wrong = "000000" if code != "000000" else "111111"
    for _attempt in range(sms_codes.MAX_FAILED_ATTEMPTS):
        assert not sms_codes.check_code(mobile, SMSCode.Purpose.REGISTER, wrong)
    assert not sms_codes.check_code(mobile, SMSCode.Purpose.REGISTER, code)


def test_sms_rate_limit_per_number(client, enterprise):
    register_step_one(client, enterprise)
    url = reverse("standards:send_code")
    mobile = make_mobile(900)
    assert client.post(url, {"purpose": "register", "mobile": mobile}).status_code == 200
    second = client.post(url, {"purpose": "register", "mobile": mobile})
    assert second.status_code == 429 and "该手机号" in second.json()["error"]
    assert len(sms.outbox) == 1


def test_sms_rate_limit_per_ip(client, enterprise):
    register_step_one(client, enterprise)
    url = reverse("standards:send_code")
    allowed = next(limit for scope, _window, limit in sms_codes.RATE_LIMITS if scope == "ip")
    for serial in range(allowed):
        assert client.post(url, {"purpose": "register", "mobile": make_mobile(1000 + serial)}).status_code == 200
    blocked = client.post(url, {"purpose": "register", "mobile": make_mobile(2000)})
    assert blocked.status_code == 429 and "网络" in blocked.json()["error"]
    other_ip = client.post(url, {"purpose": "register", "mobile": make_mobile(2000)}, REMOTE_ADDR="10.0.0.9")
    assert other_ip.status_code == 200


def test_forgot_password_with_enterprise_details_username_and_code(client, enterprise, account):
    url = reverse("standards:forgot_password")
    wrong = client.post(url, {**details(enterprise), "username": enterprise.name})
    assert list(wrong.context["form"].errors) == ["__all__"]  # one answer whichever detail is wrong
    assert client.post(url, {**details(enterprise), "username": account.username}).status_code == 302
    client.post(reverse("standards:send_code"), {"purpose": "reset_password"})
    assert sms.outbox[-1][0] == account.mobile
    response = client.post(url, {"sms_code": last_code(), "password1": "New-Quality-77", "password2": "New-Quality-77"})
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.check_password("New-Quality-77")


def test_forgot_username_shows_it_after_the_code(client, enterprise, account):
    url = reverse("standards:forgot_username")
    client.post(reverse("standards:send_code"), {"purpose": "recover_username", "mobile": account.mobile})
    response = client.post(url, {"code": enterprise.uscc, "mobile": account.mobile, "sms_code": last_code()})
    assert response.context["username"] == account.username


def test_forgot_username_for_an_unregistered_mobile_sends_nothing_but_says_ok(client):
    response = client.post(reverse("standards:send_code"), {"purpose": "recover_username", "mobile": make_mobile(5)})
    assert response.json()["ok"] and sms.outbox == []


def test_account_update_pulls_registry_details(enterprise_client, account, enterprise):
    EnterpriseProfile.for_user(account)
    enterprise.name = "机构代码中心(全国)有限公司"
    enterprise.save()
    assert EnterpriseProfile.for_user(account).enterprise_name == "机构代码中心(全国)"
    enterprise_client.post(reverse("standards:account"), {"action": "update"})
    assert EnterpriseProfile.for_user(account).enterprise_name == "机构代码中心(全国)有限公司"


def test_account_contact_is_editable_but_not_the_username(enterprise_client, account):
    new_id = make_resident_id(99)
    enterprise_client.post(
        reverse("standards:account"),
        {"action": "contact", "real_name": "赵六", "id_number": new_id, "username": "hijacked"},
    )
    account.refresh_from_db()
    assert (account.real_name, account.id_number, account.username) == ("赵六", new_id, "hebei_qc01")


def test_change_mobile_needs_old_then_new_code(enterprise_client, account):
    url, send = reverse("standards:account"), reverse("standards:send_code")
    new_mobile = make_mobile(4242)
    assert enterprise_client.post(send, {"purpose": "change_mobile_new", "mobile": new_mobile}).status_code == 403
    enterprise_client.post(send, {"purpose": "change_mobile_old"})
    assert sms.outbox[-1][0] == account.mobile
    enterprise_client.post(url, {"action": "mobile_old", "sms_code": last_code(), "password": "Test-pass-123"})
    assert enterprise_client.post(send, {"purpose": "change_mobile_new", "mobile": new_mobile}).json()["ok"]
    enterprise_client.post(url, {"action": "mobile_new", "mobile": new_mobile, "sms_code": last_code()})
    account.refresh_from_db()
    assert account.mobile == new_mobile


def test_portal_login_works_for_a_registered_enterprise_account(client, account):
    response = client.post(
        reverse("portal_login"),
        {"username": account.username, "password": "Test-pass-123", "captcha_0": "x", "captcha_1": "PASSED"},
    )
    assert response.status_code == 302


def test_enterprise_pages_require_an_enterprise_account(client, make_admin, orgs):
    assert reverse("portal_login") in client.get(reverse("standards:own_list")).url
    client.force_login(make_admin(orgs.hebei))
    assert client.get(reverse("standards:account")).status_code == 403


def test_bureau_endpoint_lists_children(client, orgs):
    names = [b["name"] for b in client.get(reverse("standards:bureaus"), {"parent": orgs.hebei.pk}).json()["results"]]
    assert orgs.shijiazhuang.name in names and orgs.chaoyang.name not in names


def test_second_account_for_same_enterprise_is_allowed_with_own_identity(enterprise):
    EnterpriseAccountFactory(enterprise=enterprise)
    EnterpriseAccountFactory(enterprise=enterprise)
    assert enterprise.accounts.count() == 2


def test_the_old_15_digit_id_card_matches_the_18_digit_number(enterprise):
    eighteen = enterprise.legal_representative_id_number
    assert eighteen[6:8] == "19"
    matched, errors = services.match_enterprise(
        details(enterprise, legal_representative_id_number=eighteen[:6] + eighteen[8:17])
    )
    assert matched == enterprise and errors == {}
    _matched, errors = services.match_enterprise(
        details(enterprise, legal_representative_id_number=eighteen[:6] + "1" + eighteen[9:17])
    )
    assert set(errors) == {"legal_representative_id_number"}
