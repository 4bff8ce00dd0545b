"""Session time-outs: administrators after 30 minutes idle or 12 hours in all, portal accounts after 2 hours idle."""

import datetime

import pytest
import time_machine

from registry.factories import EnterpriseAccountFactory, EnterpriseFactory
from tests.browser import admin_login

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC)


def signed_in(client, url="/admin/"):
    response = client.get(url)
    return response.status_code == 200


def test_an_administrator_is_signed_out_after_30_minutes_idle(client, orgs, make_admin):
    administrator = make_admin(orgs.changan)
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(administrator)
        assert signed_in(client)
        clock.shift(datetime.timedelta(minutes=29))
        assert signed_in(client)  # activity: the idle time starts again
        clock.shift(datetime.timedelta(minutes=29))
        assert signed_in(client)
        clock.shift(datetime.timedelta(minutes=31))
        response = client.get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
        login_page = client.get(response["Location"])
        assert "连续30分钟未操作" in login_page.content.decode()


def test_an_administrator_is_signed_out_after_12_hours_however_active(client, orgs, make_admin):
    administrator = make_admin(orgs.changan)
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(administrator)
        for _quarter in range(47):  # every 15 minutes for 11¾ hours
            assert signed_in(client)
            clock.shift(datetime.timedelta(minutes=15))
        assert signed_in(client)
        clock.shift(datetime.timedelta(minutes=16))
        assert not signed_in(client)


def test_a_portal_account_is_signed_out_after_2_hours_idle(client, orgs):
    account = EnterpriseAccountFactory(enterprise=EnterpriseFactory(region=orgs.changan.division))
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(account)
        assert signed_in(client, "/enterprise/standards/")
        clock.shift(datetime.timedelta(minutes=119))
        assert signed_in(client, "/enterprise/standards/")
        clock.shift(datetime.timedelta(minutes=121))
        assert not signed_in(client, "/enterprise/standards/")


def test_activity_is_written_once_a_minute_not_on_every_request(client, orgs, make_admin):
    from django.contrib.sessions.backends.base import SessionBase

    client.force_login(make_admin(orgs.changan))
    client.get("/admin/")
    writes = []
    original = SessionBase.__setitem__
    SessionBase.__setitem__ = lambda session, key, value: (writes.append(key), original(session, key, value))[1]
    try:
        for _request in range(3):
            client.get("/admin/")
    finally:
        SessionBase.__setitem__ = original
    assert "session_active_at" not in writes


def test_keep_alive_answers_a_signed_in_administrator(client, orgs, make_admin):
    client.force_login(make_admin(orgs.changan))
    assert client.get("/admin/session/keep-alive/").status_code == 204


@pytest.mark.browser
def test_the_admin_warns_before_the_idle_end_and_signs_out_after_it(page, orgs, make_admin, settings):
    settings.ADMIN_SESSION_IDLE_SECONDS = 6
    settings.SESSION_WARNING_SECONDS = 4
    settings.SESSION_ACTIVITY_RESOLUTION_SECONDS = 0
    administrator = make_admin(orgs.changan)
    admin_login(page, administrator.mobile)
    warning = page.locator(".session-timeout-warning")
    warning.wait_for(timeout=10_000)
    page.screenshot_to("session-timeout-warning")
    assert "秒" in warning.inner_text()
    warning.get_by_role("button").click()  # stay signed in: the time starts again
    warning.wait_for(state="detached")
    page.wait_for_url("**/admin/login/**", timeout=20_000)
    page.screenshot_to("session-timeout-signed-out")
    assert "分钟" in page.content()
