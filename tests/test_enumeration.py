"""Guessing and enumeration: SMS codes, "forgot" flows, registration codes, rate limits and the client's address.

The probe found 12 parallel wrong codes counted as 4 (and a right code accepted 25th in a burst of 30), a
forgotten-password form naming the one wrong field with no throttle (an ID number found in 20 guesses), a
forgotten-user-name form answering registered numbers differently, codes sent for registration without step one,
and per-address limits keyed on the proxy's address. Each test replays one of those attacks.
"""

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from filings.standards.accounts_views import DETAIL_CHECK_LIMITS, SESSION_REGISTER
from registry import sms, sms_codes
from registry.factories import EnterpriseAccountFactory, EnterpriseFactory, make_mobile, make_resident_id
from registry.models import Division, RateCounter, SMSCode
from registry.security import client_ip, take

from .test_concurrency import in_parallel, postgresql_only

PURPOSE = SMSCode.Purpose.REGISTER


@pytest.fixture(autouse=True)
def clean_slate():
    cache.clear()
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def wrong_codes(code, count):
    return [f"{(int(code) + offset) % 1_000_000:06d}" for offset in range(1, count + 1)]


# --- SMS codes: every guess takes an attempt atomically -------------------------------------------------------


@pytest.mark.django_db
def test_a_code_refuses_even_the_right_guess_after_five_wrong_ones():
    mobile = make_mobile(70_001)
    code = sms_codes.issue_code(mobile, PURPOSE)
    for guess in wrong_codes(code, 12):
        assert not sms_codes.check_code(mobile, PURPOSE, guess)
    assert SMSCode.objects.get(mobile=mobile).failed_attempts == sms_codes.MAX_FAILED_ATTEMPTS
    assert not sms_codes.check_code(mobile, PURPOSE, code)


@pytest.mark.django_db
def test_a_right_code_is_used_once():
    mobile = make_mobile(70_002)
    code = sms_codes.issue_code(mobile, PURPOSE)
    assert sms_codes.check_code(mobile, PURPOSE, code)
    assert not sms_codes.check_code(mobile, PURPOSE, code)


def guess_job(mobile, guess):
    def job(barrier):
        barrier.wait(timeout=30)
        return sms_codes.check_code(mobile, PURPOSE, guess)

    return job


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_twelve_parallel_wrong_codes_lock_the_code():
    mobile = make_mobile(70_003)
    code = sms_codes.issue_code(mobile, PURPOSE)
    results = in_parallel(*(guess_job(mobile, guess) for guess in wrong_codes(code, 12)))
    assert results == [False] * 12
    assert SMSCode.objects.get(mobile=mobile).failed_attempts == sms_codes.MAX_FAILED_ATTEMPTS
    assert not sms_codes.check_code(mobile, PURPOSE, code)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_burst_of_thirty_guesses_gets_five_attempts_and_one_use_at_most():
    mobile = make_mobile(70_004)
    code = sms_codes.issue_code(mobile, PURPOSE)
    guesses = wrong_codes(code, 29)
    guesses.insert(24, code)  # the right code 25th, as in the probe
    guesses.insert(10, code)  # and once more, racing itself
    results = in_parallel(*(guess_job(mobile, guess) for guess in guesses))
    assert not any(isinstance(result, Exception) for result in results), results
    assert results.count(True) <= 1
    assert SMSCode.objects.get(mobile=mobile).failed_attempts <= sms_codes.MAX_FAILED_ATTEMPTS


# --- rate counters: in the database, atomic, shared by every worker -------------------------------------------


@pytest.mark.django_db
def test_limits_survive_a_cache_cleared_or_another_process():
    assert [take("probe:key", 3, 60) for _ in range(4)] == [True, True, True, False]
    cache.clear()  # a worker without Redis (local-memory cache) or another process sees the same counter
    assert not take("probe:key", 3, 60)
    assert RateCounter.objects.get(key="probe:key").count == 3


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_parallel_sends_cannot_pass_a_limit_together():
    def job(barrier):
        barrier.wait(timeout=30)
        return take("probe:parallel", 5, 60)

    results = in_parallel(*(job for _ in range(16)))
    assert results.count(True) == 5 and results.count(False) == 11
    assert RateCounter.objects.get(key="probe:parallel").count == 5


# --- the client's address ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "trusted, remote, forwarded, expected",
    [
        ([], "203.0.113.7", "198.51.100.1", "203.0.113.7"),  # no proxy configured: the header is ignored
        (["127.0.0.1"], "127.0.0.1", "198.51.100.1", "198.51.100.1"),  # nginx on the same host
        (["127.0.0.1"], "127.0.0.1", "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # a forged entry on the left
        (["127.0.0.1", "10.0.0.0/8"], "127.0.0.1", "198.51.100.1, 10.1.2.3", "198.51.100.1"),  # two proxies
        (["127.0.0.1"], "203.0.113.7", "198.51.100.1", "203.0.113.7"),  # not from the proxy: header ignored
        (["127.0.0.1"], "127.0.0.1", "not-an-address", "127.0.0.1"),
        (["127.0.0.1"], "127.0.0.1", "", "127.0.0.1"),
    ],
)
def test_the_client_address_comes_from_the_trusted_proxy(settings, trusted, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_the_lockout_uses_the_same_client_address(settings):
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    request = RequestFactory().post("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert get_client_ip_address(request) == "198.51.100.1"


@pytest.mark.django_db
def test_behind_the_proxy_each_visitor_has_their_own_sms_limit(client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    allowed = next(limit for scope, _window, limit in sms_codes.RATE_LIMITS if scope == "ip")
    url = reverse("standards:send_code")
    proxied = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}
    send = {"purpose": "recover_username"}
    for serial in range(allowed):
        assert client.post(url, {**send, "mobile": make_mobile(71_000 + serial)}, **proxied).status_code == 200
    assert client.post(url, {**send, "mobile": make_mobile(71_999)}, **proxied).status_code == 429
    other = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.2"}
    assert client.post(url, {**send, "mobile": make_mobile(71_999)}, **other).status_code == 200


# --- forgotten password: one answer whatever is wrong, and a throttle ------------------------------------------


@pytest.fixture
def enterprise(db):
    return EnterpriseFactory(
        legal_representative="张三",
        legal_representative_id_number=make_resident_id(9, region_code="130102"),
        region=Division.objects.get(code="130102"),
    )


@pytest.fixture
def account(enterprise):
    return EnterpriseAccountFactory(enterprise=enterprise, username="forgot_qc01")


def details(enterprise, account, **overrides):
    return {
        "code": enterprise.uscc,
        "name": enterprise.name,
        "legal_representative": enterprise.legal_representative,
        "legal_representative_id_number": enterprise.legal_representative_id_number,
        "registered_address": enterprise.registered_address,
        "username": account.username,
        **overrides,
    }


def test_forgot_password_answers_the_same_whichever_detail_is_wrong(client, enterprise, account):
    url = reverse("standards:forgot_password")
    wrong_values = {
        "code": EnterpriseFactory().uscc,
        "name": "别的公司",
        "legal_representative": "李四",
        "legal_representative_id_number": make_resident_id(10, region_code="130102"),
        "registered_address": "别的地址",
        "username": "someone_else",
    }
    answers = set()
    for field, value in wrong_values.items():
        response = client.post(
            url, details(enterprise, account, **{field: value}), REMOTE_ADDR=f"10.9.0.{len(answers)}"
        )
        assert response.status_code == 200, field
        answers.add(tuple((name, tuple(errors)) for name, errors in response.context["form"].errors.items()))
    assert len(answers) == 1, answers
    (only,) = answers
    assert [name for name, _errors in only] == ["__all__"]
    assert client.post(url, details(enterprise, account)).status_code == 302  # the right details still pass


def test_guessing_an_id_number_is_throttled(client, enterprise, account):
    """The probe's attack: the legal representative's ID number guessed by trying numbers in a row."""
    url = reverse("standards:forgot_password")
    allowed = next(limit for scope, _window, limit in DETAIL_CHECK_LIMITS if scope == "code")
    for serial in range(allowed):
        guess = details(enterprise, account, legal_representative_id_number=make_resident_id(1000 + serial))
        client.post(url, guess, REMOTE_ADDR=f"10.8.0.{serial}")  # spread over addresses: the code's limit holds
    response = client.post(url, details(enterprise, account), REMOTE_ADDR="10.8.1.1")  # even the right details
    assert response.status_code == 200 and not response.context["form"].is_bound
    assert "Too many attempts" in response.content.decode() or "尝试次数过多" in response.content.decode()
    assert client.session.get("standards_reset_account") is None


def test_registration_step_one_is_throttled_the_same_way(client, enterprise, account):
    url = reverse("standards:register")
    allowed = next(limit for scope, _window, limit in DETAIL_CHECK_LIMITS if scope == "ip")
    for serial in range(allowed):
        client.post(url, {"code": EnterpriseFactory.build().uscc, "name": f"猜测{serial}"})
    response = client.post(url, details(enterprise, account))
    assert response.status_code == 200 and client.session.get(SESSION_REGISTER) is None


# --- forgotten user name: the same answer for every number -------------------------------------------------------


def test_forgot_user_name_answers_alike_for_registered_and_unregistered_numbers(client, account):
    url = reverse("standards:send_code")
    unregistered = make_mobile(72_001)
    answers = []
    for mobile in (account.mobile, unregistered, account.mobile, unregistered):
        response = client.post(url, {"purpose": "recover_username", "mobile": mobile})
        answers.append((mobile, response.status_code, response.content))
    # First request for each: 200 with the same body; the second within a minute: 429 for both alike.
    assert answers[0][1:] == answers[1][1:] and answers[0][1] == 200
    assert answers[2][1:] == answers[3][1:] and answers[2][1] == 429
    assert account.mobile not in answers[0][2].decode() and account.mobile[-4:] not in answers[0][2].decode()
    assert [mobile for mobile, _text in sms.outbox] == [account.mobile]  # nobody else is texted


# --- registration codes need step one -------------------------------------------------------------------------


@pytest.mark.django_db
def test_registration_codes_are_not_sent_without_step_one(client):
    response = client.post(reverse("standards:send_code"), {"purpose": "register", "mobile": make_mobile(73_001)})
    assert response.status_code == 403 and sms.outbox == []


def test_registration_codes_are_sent_after_step_one(client, enterprise, account):
    session = client.session
    session[SESSION_REGISTER] = enterprise.pk
    session.save()
    response = client.post(reverse("standards:send_code"), {"purpose": "register", "mobile": make_mobile(73_002)})
    assert response.status_code == 200 and len(sms.outbox) == 1
