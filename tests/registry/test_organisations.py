"""The organisation tree in the admin: browse, add, edit, move and delete inside one's own subtree."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.translation import gettext

from registry.factories import EnterpriseFactory
from registry.models import Division, Enterprise, Organisation, Role

pytestmark = pytest.mark.django_db


def index(client, parent=None):
    url = reverse("organisations:index")
    return client.get(url, {"parent": parent.pk} if parent else {})


def test_index_shows_children_of_the_users_unit(client, orgs, make_admin):
    client.force_login(make_admin(orgs.shijiazhuang))
    response = index(client)
    names = {o.name for o in response.context["object_list"]}
    assert "长安区市场监督管理局" in names and "桥西区市场监督管理局" in names
    assert "唐山市市场监督管理局" not in names


def test_drilling_up_or_sideways_answers_404(client, orgs, make_admin):
    client.force_login(make_admin(orgs.changan))
    assert index(client, orgs.shijiazhuang).status_code == 404
    assert index(client, orgs.qiaoxi).status_code == 404
    assert client.get(reverse("organisations:edit", args=[orgs.qiaoxi.pk])).status_code == 404
    assert client.get(reverse("organisations:edit", args=[orgs.shijiazhuang.pk])).status_code == 404
    assert client.get(reverse("organisations:history", args=[orgs.qiaoxi.pk])).status_code == 404


def test_add_child_unit(client, orgs, make_admin):
    client.force_login(make_admin(orgs.changan))
    response = client.post(
        f"{reverse('organisations:add')}?parent={orgs.changan.pk}",
        {"name": "长安区质量协会", "kind": "association", "contact_phone": "", "address": ""},
    )
    assert response.status_code == 302
    child = Organisation.objects.get(name="长安区质量协会")
    assert child.get_parent() == orgs.changan
    assert Organisation.find_problems() == ([], [], [], [], [])


def test_add_under_a_unit_outside_the_subtree_is_refused(client, orgs, make_admin):
    client.force_login(make_admin(orgs.changan))
    response = client.post(
        f"{reverse('organisations:add')}?parent={orgs.qiaoxi.pk}", {"name": "越权单位", "kind": "other"}
    )
    assert response.status_code == 404
    assert not Organisation.objects.filter(name="越权单位").exists()


def test_delete_is_refused_while_the_subtree_holds_administrators_or_records(client, orgs, make_admin):
    client.force_login(make_admin(orgs.shijiazhuang))
    make_admin(orgs.changan)
    EnterpriseFactory(region=Division.objects.get(code="130102"))
    response = client.post(reverse("organisations:delete", args=[orgs.changan.pk]))
    assert response.status_code == 302
    assert Organisation.objects.filter(pk=orgs.changan.pk).exists()
    message = str(list(get_messages(response.wsgi_request))[0])
    assert "无法删除" in message
    assert gettext("%(count)d administrator(s)") % {"count": 1} in message
    assert f"1 × {Enterprise._meta.verbose_name}" in message


def test_delete_of_an_empty_unit_and_its_empty_children(client, orgs, make_admin):
    client.force_login(make_admin(orgs.shijiazhuang))
    assert client.post(reverse("organisations:delete", args=[orgs.qiaoxi.pk])).status_code == 302
    assert not Organisation.objects.filter(pk=orgs.qiaoxi.pk).exists()
    assert Organisation.find_problems() == ([], [], [], [], [])


def test_own_unit_cannot_be_deleted_or_moved(client, orgs, make_admin):
    client.force_login(make_admin(orgs.changan))
    client.post(reverse("organisations:delete", args=[orgs.changan.pk]))
    assert Organisation.objects.filter(pk=orgs.changan.pk).exists()
    assert client.get(reverse("organisations:move", args=[orgs.changan.pk])).status_code == 404


def test_move_within_the_subtree(client, orgs, make_admin):
    client.force_login(make_admin(orgs.hebei, Role.PROVINCIAL))
    response = client.post(reverse("organisations:move", args=[orgs.qiaoxi.pk]), {"target": orgs.tangshan.pk})
    assert response.status_code == 302
    moved = Organisation.objects.get(pk=orgs.qiaoxi.pk)
    assert moved.get_parent() == orgs.tangshan
    outside = client.post(reverse("organisations:move", args=[orgs.changan.pk]), {"target": orgs.beijing.pk})
    assert outside.status_code == 200  # invalid choice, form redisplayed
    assert Organisation.objects.get(pk=orgs.changan.pk).get_parent() == orgs.shijiazhuang
