"""The public talent pool shows approved, certified officers' name, employer and appointment date — nothing else."""

import datetime
import itertools
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from registry.factories import EnterpriseFactory, make_mobile, make_resident_id, make_uscc
from registry.models import ChiefQualityOfficer, certificate_expiry, in_talent_pool


def officer(orgs, serial, region="130102", live=True, **kwargs):
    enterprise = EnterpriseFactory(
        uscc=make_uscc(950_000 + serial, region), region_id=region, name=kwargs.pop("enterprise_name", f"企业{serial}")
    )
    return ChiefQualityOfficer.objects.create(
        enterprise=enterprise,
        organisation=enterprise.organisation,
        real_name=f"周人才{serial}",
        gender="F",
        mobile=make_mobile(60_000 + serial),
        id_number=make_resident_id(serial, "130102"),
        email=f"zhou{serial}@example.cn",
        address=f"秘密地址{serial}号",
        appointment_date=kwargs.pop("appointment_date", "2024-06-01"),
        certificate_valid_until=kwargs.pop("certificate_valid_until", certificate_expiry(timezone.localdate().year)),
        live=live,
        **kwargs,
    )


@pytest.mark.django_db
def test_only_approved_officers_with_a_valid_certificate_and_no_personal_data(client, orgs):
    shown = officer(orgs, 1)
    hidden = officer(orgs, 2, live=False)
    uncertified = officer(orgs, 3, certificate_valid_until=None)
    expired = officer(orgs, 4, certificate_valid_until=timezone.localdate() - datetime.timedelta(days=1))
    revoked = officer(orgs, 5, certificate_revoked_at=timezone.now())
    html = client.get(reverse("talent_pool")).content.decode()
    assert shown.real_name in html and shown.enterprise.name in html and "2024年6月" in html
    for absent in (hidden, uncertified, expired, revoked):
        assert absent.real_name + "<" not in html
    for personal in (shown.mobile, shown.id_number, shown.email, shown.address):
        assert personal not in html


@pytest.mark.django_db
def test_search_by_enterprise_and_region_and_pagination(client, orgs):
    officer(orgs, 1, enterprise_name="长安精密机械有限公司")
    officer(orgs, 2, region="110105", enterprise_name="北京朝阳软件有限公司")
    for serial in range(3, 26):
        officer(orgs, serial, region="130104")
    by_name = client.get(reverse("talent_pool"), {"enterprise": "精密"}).content.decode()
    assert "周人才1<" in by_name and "周人才2<" not in by_name
    by_region = client.get(reverse("talent_pool"), {"region": "110000"}).content.decode()
    assert "周人才2<" in by_region and "周人才1<" not in by_region
    first = client.get(reverse("talent_pool")).context["page_obj"]
    assert first.paginator.num_pages == 2 and len(first.object_list) == 20


@pytest.mark.django_db
def test_page_numbers_stop_at_the_public_maximum(client, orgs, monkeypatch):
    """A deep page number answers the last listed page; the count stops there too (no COUNT of a million rows)."""
    monkeypatch.setattr("registry.pagination.PUBLIC_MAX_PAGES", 1)
    for serial in range(1, 23):
        officer(orgs, serial)
    response = client.get(reverse("talent_pool"), {"page": 10_000})
    page = response.context["page_obj"]
    assert page.number == 1 and not page.has_next() and len(page.object_list) == 20
    assert page.paginator.count == 21 and page.paginator.count_label == "20+"
    html = response.content.decode()
    assert "共 20+ 人" in html and "仅列出前 1 页" in html and "page=2" not in html


@pytest.mark.django_db
def test_enterprise_search_can_use_the_trigram_index(client, orgs):
    """On PostgreSQL the name match is a plain LIKE on the officer's copy of the name, which the pool's trigram
    index serves (icontains compares UPPER(name), which no index on the column can); elsewhere it is icontains."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    officer(orgs, 1, enterprise_name="长安Precision机械有限公司")
    officer(orgs, 2, enterprise_name="桥西软件有限公司")
    with CaptureQueriesContext(connection) as context:
        html = client.get(reverse("talent_pool"), {"enterprise": "precision机械"}).content.decode()
    assert "周人才1<" in html and "周人才2<" not in html  # case-insensitive for Latin letters
    if connection.vendor == "postgresql":
        searches = [q["sql"] for q in context.captured_queries if '"enterprise_name" ILIKE' in q["sql"]]
        assert searches and all("UPPER(" not in sql and "registry_enterprise" not in sql for sql in searches)
        pool = ChiefQualityOfficer.unscoped.filter(in_talent_pool(timezone.localdate()))
        search = pool.filter(enterprise_name__fragment="precision机械").order_by().values("id")
        sql, params = search.query.sql_with_params()
        with connection.cursor() as cursor:
            # A table this small is otherwise read whole, or through the pool's B-tree (dropped until the rollback).
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("DROP INDEX registry_officer_pool")
            cursor.execute(f"EXPLAIN {sql}", params)
            assert "registry_officer_pool_name_trgm" in "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.django_db
def test_an_enterprise_search_is_counted_and_sorted_in_one_query(client, orgs, settings, django_assert_num_queries):
    """A name matching a few officers: newest appointment first, the count, and a page past the last answered
    with the last page, from one query (registry.pagination.few_matches_page) instead of a count and a page."""
    settings.PAGE_CACHE_SECONDS = 300  # the navigation's section URLs, read once a generation
    for serial in range(1, 24):
        officer(orgs, serial, enterprise_name=f"长安精密机械{serial}厂", appointment_date=f"2020-01-{serial:02d}")
    officer(orgs, 30, enterprise_name="桥西软件有限公司")
    client.get(reverse("talent_pool"))  # the province options, once per process
    with django_assert_num_queries(1):
        first = client.get(reverse("talent_pool"), {"enterprise": "精密机械"})
    page = first.context["page_obj"]
    assert [row["real_name"] for row in page.object_list][:2] == ["周人才23", "周人才22"]
    assert len(page.object_list) == 20 and page.has_next() and page.paginator.count == 23
    assert "共 23 人" in first.content.decode()
    past = client.get(reverse("talent_pool"), {"enterprise": "精密机械", "page": 9}).context["page_obj"]
    assert past.number == 2 and [row["real_name"] for row in past.object_list] == ["周人才3", "周人才2", "周人才1"]


@pytest.mark.django_db
def test_an_enterprise_search_matching_more_than_the_pages_list_says_so(client, orgs, monkeypatch):
    monkeypatch.setattr("registry.pagination.PUBLIC_MAX_PAGES", 1)
    for serial in range(1, 23):
        officer(orgs, serial, enterprise_name=f"长安精密机械{serial}厂")
    response = client.get(reverse("talent_pool"), {"enterprise": "精密机械", "page": 5})
    page = response.context["page_obj"]
    assert page.number == 1 and len(page.object_list) == 20 and page.paginator.count_label == "20+"
    assert "仅列出前 1 页" in response.content.decode()


@pytest.mark.django_db
def test_an_enterprise_name_search_reads_the_same_queries_whatever_the_data_size(client, orgs):
    """A whole registered name, its trade name and a legal form alone (which every name holds): as many queries
    with 44 officers as with two, and the same rows as icontains."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    searches = ["新华区中成新材料有限公司", "中成新材料", "有限公司"]

    def queries_and_names():
        counts, names = [], []
        for fragment in searches:
            with CaptureQueriesContext(connection) as context:
                page = client.get(reverse("talent_pool"), {"enterprise": fragment}).context["page_obj"]
            counts.append(len(context.captured_queries))
            names.append({row["enterprise_name"] for row in page.object_list})
        return counts, names

    officer(orgs, 1, enterprise_name="新华区中成新材料有限公司")
    officer(orgs, 2, enterprise_name="新华区中成新材料股份有限公司")
    client.get(reverse("talent_pool"))  # the province options, once per process
    few, names = queries_and_names()
    assert names[0] == {"新华区中成新材料有限公司"}
    assert names[1] == names[2] == {"新华区中成新材料有限公司", "新华区中成新材料股份有限公司"}
    for serial in range(3, 45):
        officer(orgs, serial, enterprise_name=f"长安区华恒{serial}化工有限公司")
    client.get(reverse("talent_pool"))  # what the writes made the site read again (navigation, settings)
    many, names = queries_and_names()
    assert many == few and len(names[2]) == 20


visits = itertools.count()


def first_visit(client, query=""):
    """A URL of its own, as a first visit (which the page cache does not answer) has it: (html, query count)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        html = client.get(f"{reverse('talent_pool')}?{query}&visit={next(visits)}").content.decode()
    return html, len(context.captured_queries)


@pytest.mark.django_db
def test_the_list_is_read_once_a_generation_and_a_day_whatever_the_data_size(client, orgs, settings, monkeypatch):
    """The list every visitor sees alike (all regions or a province, by page) costs a first visit no query, at
    two sizes; an approval shows at once, and an expired certificate the next day."""
    settings.PAGE_CACHE_SECONDS = 300
    officer(orgs, 1, certificate_valid_until=timezone.localdate())
    for query in ("", "region=130000", "region=130000&page=3"):
        first_visit(client, query)
        html, queries = first_visit(client, query)
        assert "周人才1<" in html and queries == 0
    for serial in range(2, 45):
        officer(orgs, serial)
    html, _queries = first_visit(client)
    assert "周人才44<" in html and "共 44 人" in html
    for query in ("", "region=130000", "region=130000&page=3"):
        first_visit(client, query)
        html, queries = first_visit(client, query)
        assert queries == 0
    assert "周人才1<" in html and "周人才44<" not in html  # page 3, the first appointed last
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr("registry.officers.views.timezone.localdate", lambda: tomorrow)
    html, _queries = first_visit(client, "region=130000&page=3")
    assert "周人才1<" not in html


@pytest.mark.django_db
def test_a_search_by_name_or_an_unlisted_region_is_read_each_time_and_stored_nowhere(client, orgs, settings):
    """Words typed make no cache entry: a crawler cannot fill the shared cache (which holds the sessions too)."""
    from django.core.cache import cache

    settings.PAGE_CACHE_SECONDS = 300
    officer(orgs, 1, enterprise_name="长安精密机械有限公司")
    first_visit(client)
    stored = set(cache._cache)
    for query in ("enterprise=精密", "enterprise=精密机械", "region=1301", "region=130102", "region=zz"):
        first_visit(client, query)
        html, queries = first_visit(client, query)
        assert queries > 0, query
        assert ("周人才1<" in html) == (query != "region=zz"), query
    assert set(cache._cache) == stored


@pytest.mark.django_db
def test_the_pool_searches_and_shows_the_enterprise_name_as_it_is_now(client, orgs):
    """The officer's copy of its enterprise's name (migration 0029's triggers) follows every write, whichever way
    it is made: a rename by save and by ``update()``, an officer moved to another enterprise, a bulk insert."""
    moved = officer(orgs, 1, enterprise_name="长安精密机械有限公司")
    renamed = officer(orgs, 2, enterprise_name="长安旧名化工有限公司")

    def found(fragment):
        html = client.get(reverse("talent_pool"), {"enterprise": fragment}).content.decode()
        return sorted(set(re.findall(r"周人才\d+", html)))

    assert found("旧名化工") == ["周人才2"]
    renamed.enterprise.name = "长安新名化工有限公司"
    renamed.enterprise.save()
    assert found("旧名") == [] and found("新名化工") == ["周人才2"]
    EnterpriseFactory._meta.model.unscoped.filter(pk=renamed.enterprise_id).update(name="长安三名化工有限公司")
    assert found("新名") == [] and found("三名化工有限") == ["周人才2"]
    html = client.get(reverse("talent_pool"), {"enterprise": "三名"}).content.decode()
    assert "长安三名化工有限公司" in html

    moved.enterprise = EnterpriseFactory(uscc=make_uscc(960_001, "130102"), region_id="130102", name="长安搬迁钢铁厂")
    moved.save()
    assert found("精密") == [] and found("搬迁") == ["周人才1"]

    enterprise = EnterpriseFactory(uscc=make_uscc(960_002, "130102"), region_id="130102", name="长安批量纺织有限公司")
    ChiefQualityOfficer.unscoped.bulk_create(
        [
            ChiefQualityOfficer(
                enterprise=enterprise,
                organisation=enterprise.organisation,
                real_name="周人才3",
                gender="F",
                live=True,
                certificate_valid_until=certificate_expiry(timezone.localdate().year),
            )
        ]
    )
    assert found("批量纺") == ["周人才3"]
    assert ChiefQualityOfficer.unscoped.get(real_name="周人才3").enterprise_name == "长安批量纺织有限公司"


def listed_pairs():
    """The rows of migration 0030's table: ``{(pair, appointed, officer id, valid until)}``, undated as ``None``."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pair, nullif(appointed, 'infinity'), officer_id, valid_until FROM registry_talent_pool_pair"
        )
        return set(cursor.fetchall())


def pairs_of_the_pool():
    """The same rows worked out here from the officers: each listed officer's name's character pairs."""
    officers = ChiefQualityOfficer.unscoped.filter(
        live=True, certificate_valid_until__isnull=False, certificate_revoked_at=None, erased_at=None
    )
    return {
        (name[i : i + 2].lower(), appointed, pk, valid_until)
        for pk, name, appointed, valid_until in officers.values_list(
            "pk", "enterprise_name", "appointment_date", "certificate_valid_until"
        )
        for i in range(len(name) - 1)
    }


@pytest.mark.django_db
def test_the_pair_index_follows_every_write_to_the_pool(orgs):
    """Migration 0030's triggers list each pool officer under its enterprise name's pairs, whichever way the officer
    is written: a save, a rename of the enterprise (by save and by ``update()``), a revoked and a restored
    certificate, a renewal, a new appointment date, an erasure, a ``bulk_create``, a delete, a ``TRUNCATE``."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the pair index is PostgreSQL's")
    kept = officer(orgs, 1, enterprise_name="长安精密Machinery有限公司")
    changed = officer(orgs, 2, enterprise_name="长安旧名化工有限公司", appointment_date=None)
    officer(orgs, 3, live=False)
    officer(orgs, 4, certificate_valid_until=None)
    assert listed_pairs() == pairs_of_the_pool()
    assert {pk for _pair, _appointed, pk, _until in listed_pairs()} == {kept.pk, changed.pk}
    assert ("ma", datetime.date(2024, 6, 1), kept.pk, kept.certificate_valid_until) in listed_pairs()

    changed.enterprise.name = "长安新名化工有限公司"
    changed.enterprise.save()
    EnterpriseFactory._meta.model.unscoped.filter(pk=kept.enterprise_id).update(name="长安三名钢铁厂")
    assert listed_pairs() == pairs_of_the_pool()
    assert not any(pair == "旧名" for pair, *_rest in listed_pairs())
    ChiefQualityOfficer.unscoped.filter(pk=changed.pk).update(certificate_revoked_at=timezone.now())
    assert listed_pairs() == pairs_of_the_pool() and changed.pk not in {row[2] for row in listed_pairs()}
    ChiefQualityOfficer.unscoped.filter(pk=changed.pk).update(
        certificate_revoked_at=None, certificate_valid_until=datetime.date(2099, 12, 31), appointment_date="2025-01-02"
    )
    assert listed_pairs() == pairs_of_the_pool() and changed.pk in {row[2] for row in listed_pairs()}
    kept.real_name = "周人才改"  # a write the pairs do not read changes none of them
    kept.save()
    assert listed_pairs() == pairs_of_the_pool()
    # One statement over every officer: an unlisted one joins the pool, the listed ones change nothing they list.
    ChiefQualityOfficer.unscoped.update(live=True)
    assert listed_pairs() == pairs_of_the_pool() and len({row[2] for row in listed_pairs()}) == 3
    ChiefQualityOfficer.unscoped.filter(certificate_valid_until=None).delete()  # an officer never listed
    assert listed_pairs() == pairs_of_the_pool()
    ChiefQualityOfficer.unscoped.filter(pk=kept.pk).update(erased_at=timezone.now())
    assert listed_pairs() == pairs_of_the_pool() and kept.pk not in {row[2] for row in listed_pairs()}

    enterprises = [
        EnterpriseFactory(uscc=make_uscc(960_003 + serial, "130102"), region_id="130102", name=f"长安批量{serial}厂")
        for serial in range(3)
    ]
    ChiefQualityOfficer.unscoped.bulk_create(
        [
            ChiefQualityOfficer(
                enterprise=enterprise,
                organisation=enterprise.organisation,
                real_name=f"批量{enterprise.pk}",
                gender="F",
                live=True,
                certificate_valid_until=datetime.date(2100, 12, 31),
            )
            for enterprise in enterprises
        ]
    )
    assert listed_pairs() == pairs_of_the_pool() and len({row[2] for row in listed_pairs()}) == 5
    ChiefQualityOfficer.unscoped.filter(pk=changed.pk).delete()
    assert listed_pairs() == pairs_of_the_pool() and changed.pk not in {row[2] for row in listed_pairs()}
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's deferred checks, which TRUNCATE waits for
        cursor.execute("TRUNCATE registry_chiefqualityofficer CASCADE")
    assert listed_pairs() == set()


@pytest.mark.django_db
def test_a_two_character_search_lists_the_same_officers_as_a_scan(client, orgs, monkeypatch):
    """The pair index's page (PostgreSQL) against ``icontains`` over the pool: the same officers in the same
    order, undated appointments where the database sorts them, expired certificates left out, Latin letters in either
    case, a page past the last answered with the last, the count capped only past where the pages stop, a region
    too (another way, the same officers); and (PostgreSQL) as many queries at 43 officers as at 3."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr("registry.pagination.PUBLIC_MAX_PAGES", 2)
    today = timezone.localdate()

    def searched(fragment, page=1):
        with CaptureQueriesContext(connection) as context:
            response = client.get(reverse("talent_pool"), {"enterprise": fragment, "page": page})
        page_obj = response.context["page_obj"]
        return page_obj, [row["real_name"] for row in page_obj.object_list], len(context.captured_queries)

    def scanned(fragment):
        pool = ChiefQualityOfficer.unscoped.filter(in_talent_pool(today), erased_at=None)
        matches = pool.filter(enterprise_name__icontains=fragment).order_by("-appointment_date", "-id")
        return list(matches.values_list("real_name", flat=True))

    officer(orgs, 1, enterprise_name="长安精密机械有限公司", appointment_date=None)
    officer(orgs, 2, enterprise_name="桥西Jingmi精密厂", appointment_date="2023-05-01")
    officer(orgs, 3, enterprise_name="精密", certificate_valid_until=today - datetime.timedelta(days=1))
    client.get(reverse("talent_pool"))  # the province options, once per process
    page, names, few = searched("精密")
    assert names == scanned("精密") and sorted(names) == ["周人才1", "周人才2"] and page.paginator.count == 2
    assert searched("JI")[1] == searched("ji")[1] == ["周人才2"]
    past, names, _queries = searched("精密", page=2)
    assert past.number == 1 and names == scanned("精密")
    for query in ({"enterprise": "'\\"}, {"enterprise": "%_"}, {"enterprise": "%_", "region": "130000"}):
        response = client.get(reverse("talent_pool"), query)
        assert response.status_code == 200, query
    by_region = client.get(reverse("talent_pool"), {"enterprise": "精密", "region": "130000"}).context["page_obj"]
    assert [row["real_name"] for row in by_region.object_list] == scanned("精密")
    for serial in range(4, 42):
        officer(orgs, serial, enterprise_name=f"长安精密{serial}厂", appointment_date=f"2020-{serial % 12 + 1:02d}-01")
    client.get(reverse("talent_pool"))
    every, names, _queries = searched("精密", page=2)
    assert every.paginator.count == 40 and not every.paginator.capped and every.paginator.count_label == "40"
    assert names == scanned("精密")[20:40] and not every.has_next()
    for serial in (42, 43):
        officer(orgs, serial, enterprise_name=f"长安精密{serial}厂", appointment_date=f"2020-{serial % 12 + 1:02d}-01")
    client.get(reverse("talent_pool"))
    page, names, many = searched("精密")
    assert names == scanned("精密")[:20] and page.paginator.count == 41 and page.has_next()
    assert many == few or connection.vendor != "postgresql"  # elsewhere a search past the cap walks the pool
    assert page.paginator.count_label == "40+" and page.paginator.capped
    last, names, _queries = searched("精密", page=9)
    assert last.number == 2 and names == scanned("精密")[20:40]
    nothing, names, _queries = searched("无此")
    assert names == [] and nothing.paginator.count == 0 and nothing.number == 1


@pytest.mark.django_db
def test_full_width_letters_ignore_case_in_every_talent_pool_search(client, orgs):
    """ＴＣＬ found by ｔｃ whichever way the search goes (the pair index, or with a region the short grams) and by
    ｔｃｌ (the trigrams); SQLite's LIKE folds ASCII letters only."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite's LIKE folds ASCII letters only")
    officer(orgs, 1, enterprise_name="长安ＴＣＬ电器有限公司")
    for query in ({"enterprise": "ｔｃ"}, {"enterprise": "ｔｃ", "region": "130000"}, {"enterprise": "ｔｃｌ"}):
        assert "周人才1<" in client.get(reverse("talent_pool"), query).content.decode(), query
