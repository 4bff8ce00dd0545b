"""Two-factor sign-in for administrators: required for platform, national and provincial roles, optional for others,
recovery codes, the lockout on wrong codes, and a reset by the platform administrator."""

import re
import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from registry.models import Role
from registry.two_factor import ENROL_ACTION, RESET_ACTION

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def current_code(device, steps_ahead=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + steps_ahead * device.step
    return f"{totp.token():06d}"


def enrol(client):
    client.get("/admin/two-factor/setup/")
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post("/admin/two-factor/setup/", {"code": current_code(device), "next": "/admin/"})
    return device, response


def new_session(client, user):
    client.logout()
    client.force_login(user)


def test_a_provincial_administrator_must_enrol_before_using_the_admin(client, orgs, make_admin):
    province = make_admin(orgs.hebei, role=Role.PROVINCIAL)
    client.force_login(province)
    response = client.get("/admin/snippets/registry/chiefqualityofficer/", HTTP_ACCEPT="text/html")
    assert response.status_code == 302 and response["Location"].startswith("/admin/two-factor/setup/")
    page = client.get(response["Location"]).content.decode()
    assert "<svg" in page and "data-secret" in page  # the QR code and the key to type
    device = TOTPDevice.objects.get(user=province, confirmed=False)
    wrong = client.post("/admin/two-factor/setup/", {"code": "000000"})
    assert (
        not TOTPDevice.objects.get(pk=device.pk).confirmed
        and "not valid" in wrong.content.decode().lower()
        or ("无效" in wrong.content.decode())
    )
    time.sleep(1.1)  # the device's throttle holds the next try back a second after a wrong code
    device, response = enrol(client)
    codes = re.findall(r"<li><code>(\w+)</code></li>", response.content.decode())
    assert len(codes) == 10
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/admin/", HTTP_ACCEPT="text/html").status_code == 200
    assert ModelLogEntry.objects.filter(action=ENROL_ACTION, object_id=str(province.pk)).exists()


def test_background_requests_are_refused_not_redirected(client, orgs, make_admin):
    client.force_login(make_admin(orgs.hebei, role=Role.PROVINCIAL))
    assert client.get("/admin/api/main/pages/", HTTP_ACCEPT="application/json").status_code == 403


def test_a_county_administrator_may_go_without_but_once_enrolled_is_always_asked(client, orgs, make_admin):
    county = make_admin(orgs.changan, role=Role.INSTITUTION)
    client.force_login(county)
    assert client.get("/admin/", HTTP_ACCEPT="text/html").status_code == 200
    device, _response = enrol(client)
    new_session(client, county)
    response = client.get("/admin/", HTTP_ACCEPT="text/html")
    assert response.status_code == 302 and response["Location"].startswith("/admin/two-factor/verify/")
    device.refresh_from_db()
    signed = client.post("/admin/two-factor/verify/", {"code": current_code(device, steps_ahead=1), "next": "/admin/"})
    assert signed.status_code == 302 and signed["Location"] == "/admin/"
    assert client.get("/admin/", HTTP_ACCEPT="text/html").status_code == 200


def test_a_recovery_code_works_once(client, orgs, make_admin):
    county = make_admin(orgs.changan)
    client.force_login(county)
    _device, response = enrol(client)
    code = re.findall(r"<li><code>(\w+)</code></li>", response.content.decode())[0]
    new_session(client, county)
    assert client.post("/admin/two-factor/verify/", {"code": code})["Location"] == "/admin/"
    assert StaticDevice.objects.get(user=county).token_set.count() == 9
    new_session(client, county)
    again = client.post("/admin/two-factor/verify/", {"code": code})
    assert again.status_code == 200  # the form again, with an error
    assert client.get("/admin/", HTTP_ACCEPT="text/html").status_code == 302


def test_wrong_codes_lock_the_account_like_wrong_passwords(client, orgs, make_admin, settings):
    from axes.models import AccessAttempt

    county = make_admin(orgs.changan)
    client.force_login(county)
    enrol(client)
    new_session(client, county)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/admin/two-factor/verify/", {"code": "123456"})
    assert AccessAttempt.objects.filter(username=county.username).exists()
    assert response.status_code in (302, 403, 429)
    assert client.get("/admin/", HTTP_ACCEPT="text/html")["Location"].startswith("/admin/login/")  # signed out
    credentials = {"username": county.mobile, "password": "Test-pass-123", "captcha_0": "x", "captcha_1": "PASSED"}
    login = client.post("/admin/login/", credentials)
    assert "_auth_user_id" not in client.session and login.status_code in (200, 403, 429)


def test_the_platform_administrator_resets_a_lost_phone(client, orgs, make_admin):
    county = make_admin(orgs.changan)
    client.force_login(county)
    enrol(client)
    colleague = make_admin(orgs.shijiazhuang)
    new_session(client, colleague)
    client.post(f"/admin/two-factor/reset/{county.pk}/")  # Wagtail answers a refusal with its "no permission" page
    assert TOTPDevice.objects.filter(user=county).exists()
    platform = make_admin(orgs.platform, role=Role.PLATFORM)
    new_session(client, platform)
    enrol(client)
    assert client.post(f"/admin/two-factor/reset/{county.pk}/").status_code == 302
    assert not TOTPDevice.objects.filter(user=county).exists() and not StaticDevice.objects.filter(user=county).exists()
    assert ModelLogEntry.objects.filter(action=RESET_ACTION, object_id=str(county.pk), user=platform).exists()


@pytest.mark.browser
def test_enrol_an_authenticator_and_sign_in_with_a_code(page, orgs, make_admin, settings):
    settings.TWO_FACTOR_REQUIRED = True
    province = make_admin(orgs.hebei, role=Role.PROVINCIAL)
    page.goto(f"{page.base_url}/admin/login/")
    page.fill("input[name=username]", province.mobile)
    page.fill("input[name=password]", "Test-pass-123")
    page.fill("input[name=captcha_1]", "PASSED")
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url("**/admin/two-factor/setup/**")
    page.screenshot_to("two-factor-setup")
    assert page.locator(".two-factor-qr svg").count() == 1
    device = TOTPDevice.objects.get(user=province, confirmed=False)
    page.fill("input[name=code]", current_code(device))
    page.locator("form button[type=submit]").first.click()
    page.locator("[data-recovery-codes] li").first.wait_for()
    assert page.locator("[data-recovery-codes] li").count() == 10
    page.screenshot_to("two-factor-recovery-codes")
    page.get_by_role("link", name=re.compile("继续|continue")).click()
    page.wait_for_url(f"{page.base_url}/admin/")

    page.context.clear_cookies()  # a new visit: signed out
    page.goto(f"{page.base_url}/admin/login/")
    page.fill("input[name=username]", province.mobile)
    page.fill("input[name=password]", "Test-pass-123")
    page.fill("input[name=captcha_1]", "PASSED")
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url("**/admin/two-factor/verify/**")
    page.screenshot_to("two-factor-verify")
    device.refresh_from_db()
    page.fill("input[name=code]", current_code(device, steps_ahead=1))  # the phone's next code
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(f"{page.base_url}/admin/")
