"""Every admin view of a scoped registry answers 404 outside the user's organisation subtree."""

import pytest
from django.urls import reverse

from registry.factories import EnterpriseFactory
from registry.models import Division, Enterprise, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprises():
    def at(code):
        return EnterpriseFactory(region=Division.objects.get(code=code))

    return {"changan": at("130102"), "qiaoxi": at("130104"), "tangshan": at("130203"), "chaoyang": at("110105")}


def visible(client, user):
    client.force_login(user)
    response = client.get(reverse("wagtailsnippets_registry_enterprise:list"))
    assert response.status_code == 200
    return {e.pk for e in response.context["object_list"]}


@pytest.mark.parametrize(
    ("unit", "role", "sees", "hidden"),
    [
        ("changan", Role.INSTITUTION, {"changan"}, {"qiaoxi", "tangshan", "chaoyang"}),
        ("shijiazhuang", Role.INSTITUTION, {"changan", "qiaoxi"}, {"tangshan", "chaoyang"}),
        ("hebei", Role.PROVINCIAL, {"changan", "qiaoxi", "tangshan"}, {"chaoyang"}),
        ("national", Role.NATIONAL, {"changan", "qiaoxi", "tangshan", "chaoyang"}, set()),
    ],
)
def test_listing_is_confined_to_the_subtree(client, orgs, make_admin, enterprises, unit, role, sees, hidden):
    admin = make_admin(getattr(orgs, unit), role)
    ids = visible(client, admin)
    assert {enterprises[name].pk for name in sees} <= ids
    assert not ids & {enterprises[name].pk for name in hidden}


@pytest.mark.parametrize("action", ["edit", "delete", "inspect", "history", "usage"])
@pytest.mark.parametrize(
    ("unit", "role", "target"),
    [
        ("changan", Role.INSTITUTION, "qiaoxi"),  # neighbouring county
        ("changan", Role.INSTITUTION, "tangshan"),  # another city
        ("hebei", Role.PROVINCIAL, "chaoyang"),  # another province
    ],
)
def test_object_views_outside_the_subtree_answer_404(client, orgs, make_admin, enterprises, unit, role, target, action):
    client.force_login(make_admin(getattr(orgs, unit), role))
    url = reverse(f"wagtailsnippets_registry_enterprise:{action}", args=[enterprises[target].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "hijacked"}).status_code == 404
    assert Enterprise.unscoped.get(pk=enterprises[target].pk).name != "hijacked"


def test_parent_city_record_is_out_of_reach_for_a_county(client, orgs, make_admin):
    city_enterprise = EnterpriseFactory(region=Division.objects.get(code="130100"))
    assert city_enterprise.organisation == orgs.shijiazhuang
    client.force_login(make_admin(orgs.changan))
    url = reverse("wagtailsnippets_registry_enterprise:edit", args=[city_enterprise.pk])
    assert client.get(url).status_code == 404


def test_own_record_can_be_edited(client, orgs, make_admin, enterprises):
    client.force_login(make_admin(orgs.changan))
    url = reverse("wagtailsnippets_registry_enterprise:edit", args=[enterprises["changan"].pk])
    assert client.get(url).status_code == 200


def test_region_choices_are_limited_to_the_subtree(client, orgs, make_admin):
    client.force_login(make_admin(orgs.shijiazhuang))
    response = client.get(reverse("wagtailsnippets_registry_enterprise:add"))
    regions = {d.code for d in response.context["form"].fields["region"].queryset}
    assert {"130100", "130102", "130104"} <= regions
    assert "130203" not in regions and "110105" not in regions


def test_uniqueness_is_checked_across_the_whole_registry(client, orgs, make_admin, enterprises):
    """A USCC registered in another province is still a duplicate, with a clear message."""
    client.force_login(make_admin(orgs.changan))
    response = client.post(
        reverse("wagtailsnippets_registry_enterprise:add"),
        {"uscc": enterprises["chaoyang"].uscc, "name": "重复企业", "region": "130102"},
    )
    assert response.status_code == 200
    assert "uscc" in response.context["form"].errors
    assert Enterprise.unscoped.filter(uscc=enterprises["chaoyang"].uscc).count() == 1
