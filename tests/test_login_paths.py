"""Every login path has the captcha and the lockout, keyed on the normalised identifier.

The probe signed an administrator in through Wagtail's page-privacy login (``/_util/login/``, no captcha) and, after
a lockout, signed in with the same mobile in full-width digits, which also cleared the lock. The first test finds the
login paths by POSTing credentials to every URL pattern and watching Django's ``user_login_failed`` signal, so a
login view added later is found and must then pass the others.
"""

import pytest
from django.contrib.auth.signals import user_login_failed
from django.test import override_settings

from registry.backends import login_identifier
from registry.factories import AdministratorFactory, EnterpriseAccountFactory

from .routes import fill, walk

pytestmark = pytest.mark.django_db
PASSWORD = "Test-pass-123"
LOGIN_PATHS = ["/accounts/login/", "/admin/login/"]
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def post_login(client, url, username, password, captcha="PASSED"):
    data = {"username": username, "password": password, "captcha_0": "key", "captcha_1": captcha}
    return client.post(url, data)


def signed_in(client):
    return "_auth_user_id" in client.session


def test_the_login_paths_are_exactly_the_two_login_pages(client):
    account = AdministratorFactory()
    authenticated = []

    def record(sender, credentials, request=None, **kwargs):
        authenticated.append(request.path)

    user_login_failed.connect(record)
    try:
        routes = sorted({route for route, _pattern in walk()})
        for route in routes:
            post_login(client, fill(route), account.mobile, "not-the-password-1")
    finally:
        user_login_failed.disconnect(record)
    assert len(routes) > 400
    assert sorted(set(authenticated)) == LOGIN_PATHS


def test_wagtails_page_privacy_login_is_the_portal_login(client):
    account = AdministratorFactory()
    response = post_login(client, "/_util/login/?next=/news/", account.mobile, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/news/"
    assert not signed_in(client)


@pytest.mark.parametrize("url", LOGIN_PATHS)
def test_a_wrong_captcha_never_reaches_the_password_check(client, url, settings):
    settings.CAPTCHA_TEST_MODE = False
    account = AdministratorFactory()
    checked = []
    user_login_failed.connect(lambda **kwargs: checked.append(1), weak=False, dispatch_uid="captcha-probe")
    try:
        response = post_login(client, url, account.mobile, PASSWORD, captcha="WRONG")
    finally:
        user_login_failed.disconnect(dispatch_uid="captcha-probe")
    assert response.status_code == 200 and not signed_in(client)
    assert "captcha" in response.context["form"].errors
    assert not checked


def spellings(account):
    """The ways a person (or the probe) can type one account's login."""
    return [
        account.mobile,
        account.mobile.translate(FULL_WIDTH),
        f"  {account.mobile[:3]} {account.mobile[3:7]} {account.mobile[7:]}\u3000",
        account.username,
    ]


@override_settings(AXES_FAILURE_LIMIT=3)
@pytest.mark.parametrize("url", LOGIN_PATHS)
@pytest.mark.parametrize("failing_with", range(4), ids=["mobile", "full-width", "spaced", "user-name"])
def test_a_lockout_holds_for_every_spelling_of_the_login(client, url, failing_with):
    account = EnterpriseAccountFactory() if url == "/accounts/login/" else AdministratorFactory(username="lockme")
    names = spellings(account)
    for _ in range(3):
        post_login(client, url, names[failing_with], "wrong-password-1")
    for name in names:
        response = post_login(client, url, name, PASSWORD)
        assert response.status_code == 429, f"{name!r} got past the lockout"
        assert not signed_in(client)


@pytest.mark.parametrize("url", LOGIN_PATHS)
def test_every_spelling_signs_in_when_not_locked(client, url):
    account = EnterpriseAccountFactory() if url == "/accounts/login/" else AdministratorFactory()
    for name in spellings(account):
        client.logout()
        response = post_login(client, url, name, PASSWORD)
        assert response.status_code == 302 and signed_in(client), name


def test_the_identifier_is_folded_before_lookup():
    assert login_identifier("１３９００００００９５") == "13900000095"
    assert login_identifier(" 139 0000 0095\u3000") == "13900000095"
    assert login_identifier(" ｑｉｙｅ_2026 ") == "qiye_2026"
