"""Logging in: captcha, mobile as login, lockout with back-off, one-time passwords, password rules."""

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from registry.security import axes_cooloff

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/"


def login(client, username, password, captcha="PASSED"):
    return client.post(LOGIN, {"username": username, "password": password, "captcha_0": "test", "captcha_1": captcha})


def test_login_page_shows_a_captcha(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert b"captcha" in response.content


def test_administrator_logs_in_by_mobile(client, orgs, make_admin):
    admin = make_admin(orgs.changan)
    response = login(client, admin.mobile, "Test-pass-123")
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_wrong_captcha_does_not_authenticate(client, orgs, make_admin, monkeypatch):
    from django.conf import settings

    monkeypatch.setattr(settings, "CAPTCHA_TEST_MODE", False)
    admin = make_admin(orgs.changan)
    response = login(client, admin.mobile, "Test-pass-123", captcha="WRONG")
    assert response.status_code == 200
    assert "captcha" in response.context["form"].errors
    assert "_auth_user_id" not in client.session


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account_even_with_the_right_password(client, orgs, make_admin):
    admin = make_admin(orgs.changan)
    for _ in range(3):
        login(client, admin.mobile, "wrong-password-1")
    response = login(client, admin.mobile, "Test-pass-123")
    assert response.status_code == 429
    assert "账户已暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_cooloff_doubles_with_each_round_of_failures(settings):
    settings.AXES_FAILURE_LIMIT = 5

    class Request:
        pass

    request = Request()
    durations = []
    for failures in (5, 10, 15, 20):
        request.axes_failures_since_start = failures
        durations.append(axes_cooloff(request))
    assert durations == [timedelta(minutes=5), timedelta(minutes=10), timedelta(minutes=20), timedelta(minutes=40)]
    request.axes_failures_since_start = 5000
    assert axes_cooloff(request) == timedelta(hours=24)


def test_disabled_administrator_cannot_log_in(client, orgs, make_admin):
    admin = make_admin(orgs.changan, is_active=False)
    login(client, admin.mobile, "Test-pass-123")
    assert "_auth_user_id" not in client.session


def test_one_time_password_must_be_changed_first(client, orgs, make_admin):
    admin = make_admin(orgs.changan)
    password = admin.issue_one_time_password()
    admin.save()
    assert login(client, admin.mobile, password).status_code == 302
    response = client.get("/admin/", HTTP_ACCEPT="text/html")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("registry_password_change_required"))
    # What the change-password page loads itself answers (issue 23: the refusal was inserted into the page) ...
    assert client.get("/admin/sprite/", HTTP_ACCEPT="*/*").status_code == 200
    # ... and every other background request is refused.
    assert client.get("/admin/api/main/pages/", HTTP_ACCEPT="application/json").status_code == 403
    same = client.post(
        reverse("registry_password_change_required"),
        {"old_password": password, "new_password1": password, "new_password2": password},
    )
    assert same.status_code == 200 and "new_password1" in same.context["form"].errors
    changed = client.post(
        reverse("registry_password_change_required"),
        {
            "old_password": password,
            "new_password1": "Quality-2026-ok",
            "new_password2": "Quality-2026-ok",
            "next": "/admin/",
        },
    )
    assert changed.status_code == 302
    admin.refresh_from_db()
    assert not admin.must_change_password and admin.check_password("Quality-2026-ok")
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("weak", ["000000", "12345678", "abcdefghij", "password1"])
def test_weak_passwords_are_refused(weak):
    with pytest.raises(ValidationError):
        validate_password(weak)


def test_portal_login_requires_captcha_and_logs_in_by_user_name(client):
    from registry.factories import EnterpriseAccountFactory

    account = EnterpriseAccountFactory(username="qiye_2026")
    response = client.post(
        reverse("portal_login"),
        {"username": "qiye_2026", "password": "Test-pass-123", "captcha_0": "x", "captcha_1": "PASSED"},
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == account.pk


def test_profile_page_edits_own_details(client, orgs, make_admin):
    admin = make_admin(orgs.changan)
    client.force_login(admin)
    page = client.get(reverse("wagtailadmin_account"))
    assert page.status_code == 200 and "profile-real_name" in page.content.decode()
    response = client.post(
        reverse("wagtailadmin_account"),
        {
            "profile-real_name": "李质量",
            "profile-gender": "M",
            "profile-major": "标准化",
            "profile-email": "li@example.cn",
            "theme-theme": "system",
            "theme-contrast": "system",
            "theme-density": "default",
        },
    )
    assert response.status_code == 302
    admin.refresh_from_db()
    assert (admin.real_name, admin.major, admin.mobile) == ("李质量", "标准化", admin.mobile)


def test_logout_ends_the_session(client, orgs, make_admin):
    client.force_login(make_admin(orgs.changan))
    client.post(reverse("wagtailadmin_logout"))
    assert client.get("/admin/", HTTP_ACCEPT="text/html").status_code == 302
    assert "_auth_user_id" not in client.session


def test_portal_login_lands_on_the_accounts_areas(client):
    from registry.factories import EnterpriseAccountFactory

    client.force_login(EnterpriseAccountFactory())
    response = client.get(reverse("portal_home"))
    assert response.status_code == 200
    assert "/enterprise/standards/" in response.content.decode() and "/apply/" in response.content.decode()


def test_administrators_landing_on_the_portal_go_to_the_admin(client, orgs, make_admin):
    client.force_login(make_admin(orgs.changan))
    assert client.get(reverse("portal_home"))["Location"] == "/admin/"
