"""Administrator accounts as seed 000 1.5.4 runs them: roles that fit the unit, the lowest one by default, a
visible password reset, no account its creator cannot open; and every unit chooser labelled by its path."""

import pytest
from django.urls import reverse

from registry.admin_forms import AdministratorForm, MoveOrganisationForm
from registry.models import Administrator, Organisation, Role, fitting_roles

from .test_administrators import form_data, one_time_password

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "unit, fitting",
    [
        ("platform", {Role.PLATFORM, Role.INSTITUTION}),
        ("national", {Role.NATIONAL, Role.INSTITUTION}),
        ("hebei", {Role.PROVINCIAL, Role.INSTITUTION}),
        ("shijiazhuang", {Role.INSTITUTION}),
        ("changan", {Role.INSTITUTION}),
    ],
)
def test_roles_fit_the_units_level_by_tree_and_region_not_by_name(orgs, unit, fitting):
    organisation = getattr(orgs, unit)
    organisation.name = "改名后的单位"
    assert fitting_roles(organisation) == fitting


def test_provincial_role_at_a_city_unit_is_refused_with_a_clear_error(client, orgs, make_admin):
    client.force_login(make_admin(orgs.hebei, Role.PROVINCIAL))
    response = client.post(reverse("administrators:add"), form_data(orgs.shijiazhuang, role=Role.PROVINCIAL))
    assert response.status_code == 200
    (error,) = response.context["form"].errors["role"]
    assert orgs.shijiazhuang.name in error
    assert not Administrator.objects.filter(mobile="13812345678").exists()
    response = client.post(reverse("administrators:add"), form_data(orgs.hebei, role=Role.PROVINCIAL))
    assert Administrator.objects.get(mobile="13812345678").role == Role.PROVINCIAL


def test_national_and_platform_roles_only_at_their_units(client, orgs, make_admin):
    client.force_login(make_admin(orgs.platform, Role.PLATFORM))
    refused = client.post(reverse("administrators:add"), form_data(orgs.hebei, role=Role.NATIONAL))
    assert "role" in refused.context["form"].errors
    refused = client.post(reverse("administrators:add"), form_data(orgs.national, role=Role.PLATFORM))
    assert "role" in refused.context["form"].errors
    client.post(reverse("administrators:add"), form_data(orgs.national, role=Role.NATIONAL))
    assert Administrator.objects.get(mobile="13812345678").role == Role.NATIONAL


def test_the_lowest_role_is_the_default(client, orgs, make_admin):
    client.force_login(make_admin(orgs.platform, Role.PLATFORM))
    form = client.get(reverse("administrators:add")).context["form"]
    assert form["role"].value() == Role.INSTITUTION
    assert 'value="institution" selected' in str(form["role"])


def test_an_account_a_city_creates_is_one_it_can_open(client, orgs, make_admin):
    client.force_login(make_admin(orgs.shijiazhuang))
    for unit, mobile in ((orgs.shijiazhuang, "13812345670"), (orgs.changan, "13812345671")):
        response = client.post(reverse("administrators:add"), form_data(unit, mobile=mobile))
        created = Administrator.objects.get(mobile=mobile)
        assert one_time_password(response)
        assert client.get(reverse("administrators:edit", args=[created.pk])).status_code == 200
        listed = client.get(reverse("administrators:index")).context["object_list"]
        assert created in listed


def test_listing_holds_only_accounts_the_user_can_open(client, orgs, make_admin):
    """A provincial account placed at a city unit (before roles had to fit) is not a row the city cannot open."""
    misplaced = make_admin(orgs.shijiazhuang, Role.PROVINCIAL)
    colleague = make_admin(orgs.shijiazhuang)
    client.force_login(make_admin(orgs.shijiazhuang))
    listed = client.get(reverse("administrators:index")).context["object_list"]
    assert colleague in listed and misplaced not in listed
    assert client.get(reverse("administrators:edit", args=[misplaced.pk])).status_code == 404


def test_reset_password_is_a_button_on_the_listing_and_the_edit_page(client, orgs, make_admin):
    target = make_admin(orgs.changan)
    client.force_login(make_admin(orgs.shijiazhuang))
    reset_url = reverse("administrators:reset_password", args=[target.pk])
    assert f'href="{reset_url}"' in client.get(reverse("administrators:index")).content.decode()
    assert f'href="{reset_url}"' in client.get(reverse("administrators:edit", args=[target.pk])).content.decode()
    assert client.get(reset_url).status_code == 200  # the confirmation; nothing changes yet
    target.refresh_from_db()
    assert not target.must_change_password
    password = one_time_password(client.post(reset_url))
    target.refresh_from_db()
    assert target.check_password(password) and target.must_change_password


def test_two_units_of_one_name_are_told_apart_by_their_path(orgs, django_assert_num_queries):
    qiaoxi_zhangjiakou = Organisation.objects.get(division_id="130703")
    assert qiaoxi_zhangjiakou.name == orgs.qiaoxi.name == "桥西区市场监督管理局"
    units = list(Organisation.objects.filter(path__startswith=orgs.hebei.path).select_related("division"))
    with django_assert_num_queries(1):  # the ancestors above the subtree, for however many units
        labels = Organisation.path_labels(units)
    assert labels[orgs.qiaoxi.pk] == "河北省 / 石家庄市 / 桥西区市场监督管理局"
    assert labels[qiaoxi_zhangjiakou.pk] == "河北省 / 张家口市 / 桥西区市场监督管理局"
    assert labels[orgs.hebei.pk] == "河北省市场监督管理局"
    assert orgs.national.path_label == "国家市场监督管理总局"
    assert orgs.platform.path_label == orgs.platform.name
    office = orgs.qiaoxi.add_child(name="质量科")
    assert office.add_child(name="一组").path_label == "河北省 / 石家庄市 / 桥西区 / 质量科 / 一组"


def test_unit_choosers_show_paths_in_constant_queries(orgs, make_admin, django_assert_max_num_queries):
    provincial = make_admin(orgs.hebei, Role.PROVINCIAL)
    form = AdministratorForm(for_user=provincial)
    with django_assert_max_num_queries(3):
        html = str(form["organisation"])
    assert "河北省 / 张家口市 / 桥西区市场监督管理局" in html and 'data-select-search="id_organisation"' in html
    assert "北京" not in html
    move = MoveOrganisationForm(node=orgs.changan, user=provincial)
    options = dict(move.fields["target"].choices)
    assert "河北省 / 石家庄市 / 桥西区市场监督管理局" in options.values()
    assert not any("长安区" in str(label) for label in options.values())  # not into its own subtree


def test_unit_filters_on_administrators_and_enterprises(client, orgs, make_admin):
    in_changan = make_admin(orgs.changan)
    in_qiaoxi = make_admin(orgs.qiaoxi)
    client.force_login(make_admin(orgs.shijiazhuang))
    listed = client.get(reverse("administrators:index"), {"organisation": orgs.changan.pk}).context["object_list"]
    assert in_changan in listed and in_qiaoxi not in listed
    response = client.get(reverse("wagtailsnippets_registry_enterprise:list"), {"organisation": orgs.qiaoxi.pk})
    assert response.status_code == 200
    assert "河北省 / 石家庄市 / 桥西区市场监督管理局" in response.content.decode()


def test_organisation_search_results_name_units_by_path(client, orgs, make_admin):
    client.force_login(make_admin(orgs.hebei, Role.PROVINCIAL))
    content = client.get(reverse("organisations:index"), {"q": "桥西区"}).content.decode()
    assert "河北省 / 石家庄市 / 桥西区市场监督管理局" in content
    assert "河北省 / 张家口市 / 桥西区市场监督管理局" in content
