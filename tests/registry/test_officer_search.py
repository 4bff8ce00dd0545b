"""The officer listing's one search box (name, mobile, enterprise, region) and its filters (seed 000 1.5.3.2)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.factories import EnterpriseFactory, make_uscc
from registry.models import ChiefQualityOfficer, IndustryCategory, Role
from registry.officers import filters

LISTING = reverse("wagtailsnippets_registry_chiefqualityofficer:list")
NAMES = ("赵长安", "钱桥西", "孙唐山", "李朝阳")


def officer(organisation, region, serial, real_name, mobile, enterprise_name, industry="3421"):
    enterprise = EnterpriseFactory(
        uscc=make_uscc(700_000 + serial, region),
        region_id=region,
        name=enterprise_name,
        industry=IndustryCategory.objects.get(code=industry),
    )
    return ChiefQualityOfficer.objects.create(
        enterprise=enterprise, organisation=organisation, real_name=real_name, gender="M", mobile=mobile
    )


@pytest.fixture
def officers(orgs):
    return [
        officer(orgs.changan, "130102", 1, "赵长安", "13912345678", "石家庄钢化玻璃有限公司"),
        officer(orgs.qiaoxi, "130104", 2, "钱桥西", "13800001111", "桥西精密机床有限公司", industry="3311"),
        officer(orgs.tangshan, "130203", 3, "孙唐山", "13700005678", "唐山陶瓷有限公司", industry="1311"),
        officer(orgs.chaoyang, "110105", 4, "李朝阳", "13600002222", "北京朝阳软件有限公司", industry="6511"),
    ]


@pytest.fixture
def national(orgs, make_admin):
    return make_admin(orgs.national, Role.NATIONAL)


def listed(client, **params):
    response = client.get(LISTING, params)
    assert response.status_code == 200
    content = response.content.decode()
    return {name for name in NAMES if name in content}


@pytest.fixture(params=["few", "more", "many"])
def both_ways(request, monkeypatch):
    """Each search runs as a word matched by few officers (an id list), by more (an array of the matches' ids)
    and by many (a condition tested row by row)."""
    if request.param != "few":
        monkeypatch.setattr(filters, "FEW_MATCHES", 0)
    if request.param == "many":
        monkeypatch.setattr(filters, "MANY_MATCHES", 0)
    return request.param


@pytest.mark.django_db
def test_one_box_searches_name_mobile_enterprise_uscc_and_region(client, national, officers, both_ways):
    client.force_login(national)
    assert listed(client, q="5678") == {"赵长安", "孙唐山"}  # a phone number's last four digits
    assert listed(client, q="1234") == {"赵长安"}  # any part of it
    assert listed(client, q="桥西") == {"钱桥西"}
    assert listed(client, q="钢化") == {"赵长安"}  # a word of the enterprise name
    assert listed(client, q="朝阳软件") == {"李朝阳"}
    assert listed(client, q=officers[2].enterprise.uscc) == {"孙唐山"}
    assert listed(client, q=officers[2].enterprise.uscc.lower()[:10]) == {"孙唐山"}
    assert listed(client, q="石家庄") == {"赵长安", "钱桥西"}  # a city: every county of it
    assert listed(client, q="长安区") == {"赵长安"}  # a county
    assert listed(client, q="河北省") == {"赵长安", "钱桥西", "孙唐山"}  # a province
    assert listed(client, q="130100") == {"赵长安", "钱桥西"}  # a region's code
    assert listed(client, q="石家庄 5678") == {"赵长安"}  # every word must match
    assert listed(client, q="不存在的名字") == set()


@pytest.mark.django_db
def test_search_stays_in_the_users_subtree(client, orgs, make_admin, officers, both_ways):
    client.force_login(make_admin(orgs.shijiazhuang))
    assert listed(client, q="5678") == {"赵长安"}
    assert listed(client, q="河北") == {"赵长安", "钱桥西"}


@pytest.mark.django_db
def test_search_costs_the_same_number_of_queries_however_many_officers_match(client, national, orgs, both_ways):
    def queries(count, start):
        for serial in range(start, start + count):
            officer(orgs.changan, "130102", serial, f"周{serial}", f"1391000{serial:04d}", f"长安科技{serial}有限公司")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LISTING, {"q": "长安 1391000"}).status_code == 200
        return len(captured)

    client.force_login(national)
    client.get(LISTING)  # the session's first request records its start (cqosite.sessions): not part of a search
    assert queries(2, 10) == queries(20, 100)


@pytest.mark.parametrize(
    "industry, expected",
    [
        ("3421", {"赵长安"}),  # a class
        ("342", {"赵长安"}),  # its group
        ("34", {"赵长安"}),  # its division
        ("33", {"钱桥西"}),
        ("C", {"赵长安", "钱桥西", "孙唐山"}),  # a section: every manufacturing class (34, 33 and 13)
        ("I", {"李朝阳"}),
    ],
)
@pytest.mark.django_db
def test_industry_filter_matches_the_whole_subtree(client, national, officers, industry, expected):
    client.force_login(national)
    assert listed(client, industry=industry) == expected


@pytest.mark.django_db
def test_unknown_industry_is_a_form_error_not_a_server_error(client, national, officers):
    client.force_login(national)
    response = client.get(LISTING, {"industry": "ZZ"})
    assert response.status_code == 200
    assert "industry" in response.context["filters"].errors


@pytest.mark.django_db
def test_region_filter_by_name_or_code_and_reviewing_unit_filter(client, national, orgs, officers):
    client.force_login(national)
    assert listed(client, region="石家庄") == {"赵长安", "钱桥西"}
    assert listed(client, region="130203") == {"孙唐山"}
    assert listed(client, region="火星") == set()
    assert listed(client, organisation=orgs.hebei.pk) == {"赵长安", "钱桥西", "孙唐山"}  # the unit's subtree
    assert listed(client, organisation=orgs.qiaoxi.pk) == {"钱桥西"}


@pytest.mark.django_db
def test_filters_offer_units_as_paths_and_industries_as_a_searchable_tree(client, orgs, make_admin, officers):
    client.force_login(make_admin(orgs.shijiazhuang))
    content = client.get(LISTING).content.decode()
    assert "河北省 / 石家庄市 / 桥西区市场监督管理局" in content
    assert "张家口" not in content  # only the user's subtree
    assert 'data-select-search="id_industry"' in content and "3421 金属切削机床制造" in content
    assert "registry/searchable_select.js" in content
