"""The dashboard reads a snapshot refreshed by the clock: its figures equal a direct count after each refresh, for
every scope, and its cost (queries) does not grow with the number of officers."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from registry.factories import make_mobile, make_uscc
from registry.models import ChiefQualityOfficer, Enterprise, Role, StatisticsTally
from registry.statistics import caching, queries, snapshot
from tests.registry import test_statistics as known

pytestmark = pytest.mark.django_db

data = known.data  # the known data set of test_statistics (a fixture)
enterprise, officer = known.enterprise, known.officer


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def scopes(orgs):
    return [None, orgs.hebei.path, orgs.shijiazhuang.path, orgs.changan.path, orgs.qiaoxi.path, orgs.beijing.path]


def assert_equals_direct_count(prefix):
    read, direct = snapshot.dashboard(prefix), queries.dashboard(prefix)
    assert read["coverage"] == direct["coverage"], prefix
    for figure, expected in zip(read["figures"], direct["figures"], strict=True):
        assert (figure.key, figure.rows) == (expected.key, expected.rows), prefix


def test_figures_equal_a_direct_count_in_every_scope(data, orgs):
    call_command("refresh_statistics", verbosity=0)
    for prefix in scopes(orgs):
        assert_equals_direct_count(prefix)
    assert snapshot.dashboard(orgs.changan.path)["coverage"] == {"enterprises": 4, "covered": 2, "rate": 50.0}


def test_figures_follow_the_data_at_the_next_refresh(data, orgs):
    call_command("refresh_statistics", verbosity=0)
    before = caching.dashboard(orgs.changan.path)["coverage"]["covered"]
    extra = enterprise(40, "130102", "micro", "0111", ("SOE",))
    officer(40, extra, approved_at=timezone.now(), education_id="MASTER", quality_years=7)
    call_command("refresh_statistics", verbosity=0)
    assert caching.dashboard(orgs.changan.path)["coverage"]["covered"] == before + 1
    for prefix in scopes(orgs):
        assert_equals_direct_count(prefix)


def test_a_registry_never_counted_is_counted_on_first_view(data, orgs):
    assert not StatisticsTally.objects.exists()
    figures = snapshot.dashboard(orgs.hebei.path)
    assert figures["coverage"]["covered"] == 5 and figures["as_of"] is not None


def test_a_stale_snapshot_is_refreshed_in_the_background(data, orgs):
    call_command("refresh_statistics", verbosity=0)
    StatisticsTally.objects.update(refreshed_at=timezone.now() - 2 * snapshot.STALE_AFTER)
    officer(41, enterprise(41, "130102"), approved_at=timezone.now())
    snapshot.dashboard(orgs.changan.path)  # shows the stale figures, enqueues a refresh (run at once in tests)
    assert timezone.now() - snapshot.refreshed_at() < snapshot.STALE_AFTER
    assert snapshot.dashboard(orgs.changan.path)["coverage"]["covered"] == 3


def add_officers(orgs, first, count):
    made = Enterprise.unscoped.bulk_create(
        Enterprise(
            uscc=make_uscc(750_000 + serial, "130102"),
            name=f"快照企业{serial}有限公司",
            region_id="130102",
            organisation=orgs.changan,
        )
        for serial in range(first, first + count)
    )
    ChiefQualityOfficer.unscoped.bulk_create(
        ChiefQualityOfficer(
            enterprise=company,
            organisation=orgs.changan,
            real_name=f"快照{serial}",
            gender="M",
            mobile=make_mobile(85_000 + serial),
            live=True,
            quality_years=serial % 30,
        )
        for serial, company in enumerate(made, start=first)
    )


def dashboard_queries(client):
    """Queries of the statistics page with its figures recomputed (other per-process caches warm)."""
    client.get(reverse("statistics:dashboard"))
    caching.GENERATION.bump()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("statistics:dashboard"))
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.mark.parametrize("role_unit", ["national", "hebei", "changan"])
def test_dashboard_queries_do_not_grow_with_officers(client, orgs, make_admin, role_unit):
    role = {"national": Role.NATIONAL, "hebei": Role.PROVINCIAL, "changan": Role.INSTITUTION}[role_unit]
    client.force_login(make_admin(getattr(orgs, role_unit), role=role))
    add_officers(orgs, 0, 5)
    call_command("refresh_statistics", verbosity=0)
    few, html = dashboard_queries(client)
    assert '<dd data-figure="covered">5</dd>' in html
    add_officers(orgs, 5, 495)
    call_command("refresh_statistics", verbosity=0)
    many, html = dashboard_queries(client)
    assert '<dd data-figure="covered">500</dd>' in html
    assert many == few
    moment = timezone.localtime(snapshot.refreshed_at()).strftime("%Y-%m-%d %H:%M")
    assert f"Figures as of {moment}" in html or f"数据更新于 {moment}" in html


def test_cached_figures_are_text_in_the_language_they_were_read_in(data, orgs):
    """Unpickling a lazy translation builds a class for it (the dashboard's labels cost an admin home page more than
    its queries): the cache holds text, one entry per language."""
    from django.utils import translation
    from django.utils.functional import Promise

    def labels(figures):
        return [value for figure in figures["figures"] for value in (figure.title, *figure.columns)]

    call_command("refresh_statistics", verbosity=0)
    with translation.override("en"):
        caching.dashboard(orgs.changan.path)
        english = cache.get(caching.cache_key(orgs.changan.path))
    with translation.override("zh-hans"):
        caching.dashboard(orgs.changan.path)
        chinese = cache.get(caching.cache_key(orgs.changan.path))
    assert english and chinese
    assert not any(isinstance(label, Promise) for label in labels(english) + labels(chinese))
    assert all(type(label) is str for label in labels(english))
    assert "Region" in labels(english) and "地区" in labels(chinese)
    english_rows = [row[0] for figure in english["figures"] for row in figure.rows]
    chinese_rows = [row[0] for figure in chinese["figures"] for row in figure.rows]
    assert "Large" in english_rows and "大型" in chinese_rows
    assert all(type(label) is str for label in english_rows + chinese_rows)
