"""The dashboard panel, the statistics page, its xlsx exports and the two reports, each confined to the subtree."""

import datetime
import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from registry.factories import EnterpriseFactory, make_mobile, make_uscc
from registry.models import ChiefQualityOfficer, Enterprise, Role
from registry.statistics import caching

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def enterprise(serial, region, name=None, size="small"):
    made = EnterpriseFactory(
        uscc=make_uscc(720_000 + serial, region), region_id=region, name=name or f"统计企业{serial}有限公司"
    )
    Enterprise.unscoped.filter(pk=made.pk).update(size=size)
    return made


def officer(serial, company, live=True, approved_at=None):
    record = ChiefQualityOfficer.unscoped.create(
        enterprise=company,
        organisation=company.organisation,
        real_name=f"视图{serial}",
        gender="F",
        mobile=make_mobile(81_000 + serial),
        live=live,
    )
    if approved_at:
        ChiefQualityOfficer.unscoped.filter(pk=record.pk).update(first_published_at=approved_at)
    return record


@pytest.fixture
def data(orgs):
    """长安: 3 enterprises, 2 approved (2 and 400 days ago); 桥西: 1 uncovered; 唐山: 1 approved, 1 not."""
    now = timezone.now()
    e = {
        "changan_a": enterprise(1, "130102", size="large"),
        "changan_b": enterprise(2, "130102"),
        "changan_c": enterprise(3, "130102", name='=HYPERLINK("http://evil")科技有限公司'),
        "qiaoxi": enterprise(4, "130104", name="桥西未覆盖有限公司"),
        "tangshan_a": enterprise(5, "130203"),
        "tangshan_b": enterprise(6, "130203", name="唐山未覆盖有限公司"),
    }
    officer(1, e["changan_a"], approved_at=now - datetime.timedelta(days=2))
    officer(2, e["changan_b"], approved_at=now - datetime.timedelta(days=400))
    officer(3, e["changan_c"], live=False)
    officer(5, e["tangshan_a"], approved_at=now - datetime.timedelta(days=3))
    return e


def test_home_panel_shows_the_users_region(client, orgs, make_admin, data):
    client.force_login(make_admin(orgs.shijiazhuang))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'id="statistics-dashboard-section"' in html and "<svg" in html
    assert 'data-figure="enterprises">4<' in html and 'data-figure="covered">2<' in html
    assert 'data-figure="coverage">50.0%<' in html
    assert orgs.changan.name in html and orgs.tangshan.name not in html


def test_province_panel_counts_every_city(client, orgs, make_admin, data):
    client.force_login(make_admin(orgs.hebei, Role.PROVINCIAL))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'data-figure="enterprises">6<' in html and 'data-figure="covered">3<' in html
    assert orgs.shijiazhuang.name in html and orgs.tangshan.name in html


def test_the_home_panel_looks_its_subtree_up_once_however_many_figures_filter_by_it(client, orgs, make_admin, data):
    """The programmes' figures each filter by the subtree's ids: one lookup for the panel, not one per figure."""
    for unit in (orgs.changan, orgs.shijiazhuang, orgs.hebei):
        client.force_login(make_admin(unit))
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("wagtailadmin_home")).status_code == 200
        ids = 'SELECT "registry_organisation"."id" AS "id" FROM "registry_organisation" WHERE '
        lookups = [query["sql"] for query in queries.captured_queries if query["sql"].startswith(ids)]
        lookups = [sql for sql in lookups if sql[len(ids) :].startswith('"registry_organisation"."path"')]
        assert sum(f"LIKE '{unit.path}%'" in sql for sql in lookups) == 1, unit


def test_statistics_page_drills_down_within_the_subtree_only(client, orgs, make_admin, data):
    client.force_login(make_admin(orgs.hebei, Role.PROVINCIAL))
    url = reverse("statistics:dashboard")
    response = client.get(url, {"unit": orgs.tangshan.pk})
    assert response.status_code == 200
    assert 'data-figure="enterprises">2<' in response.content.decode()
    client.force_login(make_admin(orgs.changan))
    assert client.get(url, {"unit": orgs.qiaoxi.pk}).status_code == 404  # neighbouring county
    assert client.get(url, {"unit": orgs.hebei.pk}).status_code == 404  # its own province
    assert client.get(reverse("statistics:export", args=["subregion"]), {"unit": orgs.tangshan.pk}).status_code == 404


def test_figure_export_is_a_real_workbook(client, orgs, make_admin, data):
    client.force_login(make_admin(orgs.hebei, Role.PROVINCIAL))
    response = client.get(reverse("statistics:export", args=["subregion"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert orgs.hebei.name in values[0][0]
    by_region = {row[0]: row[1:] for row in values[2:]}
    assert by_region[orgs.shijiazhuang.name] == (2, 4, 50.0)
    assert by_region[orgs.tangshan.name] == (1, 2, 50.0)
    everything = load_workbook(io.BytesIO(client.get(reverse("statistics:export", args=["all"])).content))
    assert len(everything.sheetnames) == 13  # the core's and the apps' figures (training adds two)
    assert client.get(reverse("statistics:export", args=["nonsense"])).status_code == 404


def test_non_administrators_get_no_statistics(client, orgs, data):
    from registry.factories import EnterpriseAccountFactory

    account = EnterpriseAccountFactory()
    client.force_login(account)
    assert client.get(reverse("statistics:export", args=["all"])).status_code in (302, 403, 404)
    assert client.get(reverse("statistics:progress")).status_code in (302, 403, 404)


def test_approval_reaches_the_cached_figures_at_the_next_refresh(orgs, data):
    before = caching.dashboard(orgs.changan.path)["coverage"]["covered"]
    record = ChiefQualityOfficer.unscoped.get(enterprise=data["changan_c"])
    record.live = True
    record.save()
    call_command("refresh_statistics", verbosity=0)  # the clock, each minute
    assert caching.dashboard(orgs.changan.path)["coverage"]["covered"] == before + 1


def progress(client, **params):
    response = client.get(reverse("statistics:progress"), params)
    assert response.status_code == 200
    return {row.name: row for row in response.context["object_list"]}


def test_progress_report_for_the_province(client, orgs, make_admin, data):
    client.force_login(make_admin(orgs.hebei, Role.PROVINCIAL))
    rows = progress(client)
    city, other = rows[orgs.shijiazhuang.name], rows[orgs.tangshan.name]
    assert (city.enterprises, city.officers, city.coverage, city.new, city.previous) == (4, 2, 50.0, 1, 1)
    assert city.growth == 0.0
    assert (other.enterprises, other.officers, other.new, other.previous, other.growth) == (2, 1, 1, 0, None)
    total = list(rows.values())[-1]  # the total row closes the report
    assert (total.enterprises, total.officers, total.new, total.previous) == (6, 3, 2, 1)
    large = progress(client, size="large")[orgs.shijiazhuang.name]
    assert (large.enterprises, large.officers) == (1, 1)
    county = progress(client, region=orgs.shijiazhuang.pk)[orgs.changan.name]
    assert (county.enterprises, county.officers) == (3, 2)


def test_city_progress_report_never_includes_other_cities(client, orgs, make_admin, data):
    client.force_login(make_admin(orgs.shijiazhuang))
    rows = progress(client)
    assert orgs.changan.name in rows and orgs.tangshan.name not in rows
    assert list(rows.values())[-1].enterprises == 4
    response = client.get(reverse("statistics:progress"), {"region": orgs.tangshan.pk})
    assert orgs.tangshan.name not in {row.name for row in response.context["object_list"]}
    assert list(response.context["object_list"])[-1].enterprises == 4  # an outside region is refused, not shown


def test_progress_report_exports_xlsx(client, orgs, make_admin, data):
    client.force_login(make_admin(orgs.hebei, Role.PROVINCIAL))
    response = client.get(reverse("statistics:progress"), {"export": "xlsx"})
    assert response.status_code == 200
    values = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    by_region = {row[0]: row[1:] for row in values[1:]}
    assert by_region[orgs.shijiazhuang.name][:3] == (4, 2, 50)


def test_uncovered_enterprises_report(client, orgs, make_admin, data):
    client.force_login(make_admin(orgs.shijiazhuang))
    response = client.get(reverse("statistics:uncovered"))
    names = {enterprise.name for enterprise in response.context["object_list"]}
    assert names == {data["changan_c"].name, "桥西未覆盖有限公司"}  # not 唐山's, not the covered ones
    only_changan = client.get(reverse("statistics:uncovered"), {"region": orgs.changan.pk})
    assert {e.name for e in only_changan.context["object_list"]} == {data["changan_c"].name}
    client.force_login(make_admin(orgs.changan))
    refused = client.get(reverse("statistics:uncovered"), {"region": orgs.qiaoxi.pk})
    assert "桥西未覆盖有限公司" not in {e.name for e in refused.context["object_list"]}


def test_uncovered_export_neutralises_formulas(client, orgs, make_admin, data):
    client.force_login(make_admin(orgs.changan))
    response = client.get(reverse("statistics:uncovered"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cell = next(row[0] for row in sheet.iter_rows(min_row=2) if str(row[0].value).startswith("=HYPERLINK"))
    assert cell.data_type == "s" and cell.quotePrefix
    csv = b"".join(client.get(reverse("statistics:uncovered"), {"export": "csv"}).streaming_content).decode()
    assert "'=HYPERLINK" in csv
