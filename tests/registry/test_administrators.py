"""Administrators manage administrators only inside their subtree and never above their own role."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from registry.models import Administrator, Role, User

pytestmark = pytest.mark.django_db


def form_data(organisation, role=Role.INSTITUTION, mobile="13812345678", **extra):
    return {
        "mobile": mobile,
        "real_name": "王质量",
        "gender": "F",
        "education": "",
        "major": "质量管理",
        "email": "wang@example.cn",
        "organisation": organisation.pk,
        "role": role,
        "is_active": "on",
        "remarks": "",
        **extra,
    }


def one_time_password(response):
    """The password as the page shows it (once: it is in no message, cookie or session)."""
    assert response.status_code == 200 and "no-cache" in response.headers["Cache-Control"]
    password = re.search(r"data-one-time-password[^>]*>([A-Za-z0-9]{12})<", response.content.decode()).group(1)
    assert all(password not in str(message) for message in get_messages(response.wsgi_request))
    return password


def test_create_gives_a_random_one_time_password(client, orgs, make_admin):
    client.force_login(make_admin(orgs.shijiazhuang))
    response = client.post(reverse("administrators:add"), form_data(orgs.changan))
    created = User.objects.get(mobile="13812345678")
    password = one_time_password(response)
    assert created.username == "13812345678" and created.kind == User.Kind.ADMINISTRATOR
    assert created.check_password(password) and password != "000000"
    assert created.must_change_password
    assert created.groups.filter(name="机构管理员").exists()


def test_two_accounts_get_different_passwords(client, orgs, make_admin):
    client.force_login(make_admin(orgs.shijiazhuang))
    first = one_time_password(client.post(reverse("administrators:add"), form_data(orgs.changan)))
    second = one_time_password(client.post(reverse("administrators:add"), form_data(orgs.qiaoxi, mobile="13812345679")))
    assert first != second


def test_role_above_own_is_refused_and_input_kept(client, orgs, make_admin):
    client.force_login(make_admin(orgs.shijiazhuang))
    response = client.post(reverse("administrators:add"), form_data(orgs.changan, role=Role.PROVINCIAL))
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert response.context["form"]["real_name"].value() == "王质量"
    assert not User.objects.filter(mobile="13812345678").exists()


def test_organisation_outside_subtree_is_refused(client, orgs, make_admin):
    client.force_login(make_admin(orgs.changan))
    response = client.post(reverse("administrators:add"), form_data(orgs.qiaoxi))
    assert "organisation" in response.context["form"].errors


def test_invalid_mobile_gets_an_error_naming_the_field(client, orgs, make_admin):
    client.force_login(make_admin(orgs.changan))
    response = client.post(reverse("administrators:add"), form_data(orgs.changan, mobile="1234"))
    error = " ".join(response.context["form"].errors["mobile"])
    assert "手机" in error


def test_listing_and_edit_are_scoped(client, orgs, make_admin):
    neighbour = make_admin(orgs.qiaoxi)
    colleague = make_admin(orgs.changan)
    client.force_login(make_admin(orgs.changan))
    listed = {a.pk for a in client.get(reverse("administrators:index")).context["object_list"]}
    assert colleague.pk in listed and neighbour.pk not in listed
    for name in ("edit", "delete", "reset_password", "history"):
        assert client.get(reverse(f"administrators:{name}", args=[neighbour.pk])).status_code == 404
    assert client.post(reverse("administrators:reset_password", args=[neighbour.pk])).status_code == 404


def test_higher_role_in_own_unit_cannot_be_touched(client, orgs, make_admin):
    provincial = make_admin(orgs.hebei, Role.PROVINCIAL)
    client.force_login(make_admin(orgs.hebei, Role.INSTITUTION))
    assert client.get(reverse("administrators:edit", args=[provincial.pk])).status_code == 404
    assert client.post(reverse("administrators:reset_password", args=[provincial.pk])).status_code == 404


def test_disable_and_reset(client, orgs, make_admin):
    target = make_admin(orgs.changan)
    client.force_login(make_admin(orgs.shijiazhuang))
    data = form_data(orgs.changan, mobile=target.mobile)
    del data["is_active"]
    assert client.post(reverse("administrators:edit", args=[target.pk]), data).status_code == 302
    target.refresh_from_db()
    assert not target.is_active
    response = client.post(reverse("administrators:reset_password", args=[target.pk]))
    target.refresh_from_db()
    assert target.must_change_password and target.check_password(one_time_password(response))


def test_cannot_disable_or_delete_self(client, orgs, make_admin):
    me = make_admin(orgs.changan)
    client.force_login(me)
    data = form_data(orgs.changan, mobile=me.mobile)
    del data["is_active"]
    response = client.post(reverse("administrators:edit", args=[me.pk]), data)
    assert "is_active" in response.context["form"].errors
    assert client.post(reverse("administrators:delete", args=[me.pk])).status_code == 404
    assert Administrator.objects.filter(pk=me.pk, is_active=True).exists()


def test_wagtail_user_admin_stays_superuser_only(client, orgs, make_admin):
    client.force_login(make_admin(orgs.national, Role.NATIONAL))
    assert client.get(reverse("wagtailusers_users:index")).status_code in (302, 403)
