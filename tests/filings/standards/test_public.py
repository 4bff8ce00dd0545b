"""Public search, detail, print, PDF and full text; the open API and its OpenAPI document."""

import datetime
import io
import json

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from pypdf import PdfReader

from filings.standards.factories import DisclosedStandardFactory, IndicatorFactory, ProductFactory, gtin13
from filings.standards.models import DisclosedStandard, ProductCategory, StandardKind
from filings.standards.search import filter_public
from filings.standards.tasks import send_two_year_reminders
from registry.factories import EnterpriseAccountFactory, EnterpriseFactory, make_resident_id
from registry.models import Division

pytestmark = pytest.mark.django_db


@pytest.fixture
def disclosures(db):
    hebei = EnterpriseFactory(
        name="石家庄华北制药饮品有限公司",
        region=Division.objects.get(code="130102"),
        legal_representative_id_number=make_resident_id(3),
    )
    account = EnterpriseAccountFactory(enterprise=hebei, real_name="联系人王芳", email="wf@example.cn")
    water = DisclosedStandardFactory(enterprise=hebei, kind="national", number="GB/T 13456-2014", name="钢化玻璃")
    ProductFactory(standard=water, name="钢化玻璃门", barcode=gtin13("690111111111"))
    IndicatorFactory(standard=water)
    beijing = EnterpriseFactory(name="北京朝阳乳业有限公司")
    milk = DisclosedStandardFactory(enterprise=beijing, number="Q/BJ 0001-2023", name="调制乳")
    ProductFactory(standard=milk, name="高钙牛奶", barcode=gtin13("690222222222"))
    draft = DisclosedStandardFactory(enterprise=beijing, status="draft", published_at=None, name="草稿调制乳")
    abolished = DisclosedStandardFactory(enterprise=beijing, name="旧标准", abolished_at=timezone.now())
    return {"water": water, "milk": milk, "draft": draft, "abolished": abolished, "account": account}


def found(client, **params):
    return [row["id"] for row in client.get(reverse("standards:public_search"), params).context["results"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "华北制药"}, ["water"]),
        ({"q": "13456"}, ["water"]),
        ({"q": "GB/T 13456-2014"}, ["water"]),
        ({"q": gtin13("690222222222")}, ["milk"]),
        ({"q": "高钙"}, ["milk"]),
        ({"q": "调制乳"}, ["milk"]),
        ({"region": "130000"}, ["water"]),
        ({"kind": "national"}, ["water"]),
    ],
)
def test_public_search(client, disclosures, params, expected):
    assert found(client, **params) == [disclosures[name].pk for name in expected]


@pytest.fixture
def numbered(db):
    """Three enterprises' ``Q/… 001-2024``, HBGT's older ``001``, and a product whose model looks like a number."""
    made = {
        prefix: DisclosedStandardFactory(number=f"Q/{prefix} 001-2024", name=f"{prefix}钢筋")
        for prefix in ("HBGT", "SJZ", "BJ")
    }
    made["old"] = DisclosedStandardFactory(number="Q/HBGT 001-2019", name="旧钢筋")
    nine_days_ago = timezone.now() - datetime.timedelta(days=9)
    DisclosedStandard.unscoped.filter(pk=made["old"].pk).update(published_at=nine_days_ago)
    made["model"] = DisclosedStandardFactory(number="Q/XYZ 7-2020", name="热轧钢筋")
    ProductFactory(standard=made["model"], name="钢筋 HRB400", barcode=gtin13("690333333333"))
    return made


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Q/HBGT 001-2024", ["HBGT"]),
        ("Ｑ／ＨＢＧＴ　００１－２０２４", ["HBGT"]),  # full-width, as a Chinese input method types it
        ("HBGT001", ["HBGT", "old"]),
        ("qhbgt 001", ["HBGT", "old"]),
        ("HBGT 001-2024", ["HBGT"]),
        ("HBGT", ["HBGT", "old"]),
        ("0012024", ["BJ", "SJZ", "HBGT"]),  # digits only: every number holding them, newest first
        ("HRB400", ["model"]),  # no number holds it: names and products
    ],
)
def test_search_by_standard_number_as_typed(client, numbered, q, expected):
    assert found(client, q=q) == [numbered[name].pk for name in expected]


def test_the_number_filter_takes_letters_too(client, numbered):
    assert found(client, number="hbgt 001-2024") == [numbered["HBGT"].pk]
    assert found(client, number="0012019") == [numbered["old"].pk]


def test_public_search_never_shows_drafts_and_marks_abolished(client, disclosures):
    response = client.get(reverse("standards:public_search"))
    pks = [row["id"] for row in response.context["results"]]
    assert disclosures["draft"].pk not in pks and disclosures["abolished"].pk in pks
    assert "已废止" in response.content.decode()
    assert client.get(reverse("standards:public_detail", args=[disclosures["draft"].pk])).status_code == 404


def test_detail_shows_pledge_enterprise_products_indicators_without_personal_data(client, disclosures):
    water, account = disclosures["water"], disclosures["account"]
    page = client.get(reverse("standards:public_detail", args=[water.pk])).content.decode()
    assert water.enterprise_name in page and "钢化玻璃门" in page and "95% &lt; 浓度 &lt;= 99/L" in page
    for personal in (
        account.mobile,
        account.id_number,
        account.real_name,
        account.email,
        water.enterprise.legal_representative_id_number,
    ):
        assert personal not in page


def test_print_view_and_pdf(client, disclosures):
    water = disclosures["water"]
    assert "钢化玻璃门" in client.get(reverse("standards:public_print", args=[water.pk])).content.decode()
    response = client.get(reverse("standards:public_pdf", args=[water.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF-")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "石家庄华北制药饮品有限公司" in text and "GB/T 13456-2014" in text


def test_api_lists_filters_and_details_without_personal_data(client, disclosures):
    listing = client.get(reverse("standards:api_list"), {"q": "13456"}).json()
    assert [row["number"] for row in listing["results"]] == ["GB/T 13456-2014"] and listing["next"] is None
    everything = client.get(reverse("standards:api_list"), {"limit": 1}).json()
    assert len(everything["results"]) == 1 and everything["next"]
    detail = client.get(listing["results"][0]["url"]).json()
    assert detail["products"][0]["name"] == "钢化玻璃门"
    assert detail["indicators"][0]["requirement"] == "95% < 浓度 <= 99/L"
    account = disclosures["account"]
    for response in (listing, everything, detail):
        blob = json.dumps(response, ensure_ascii=False)
        for personal in (account.mobile, account.id_number, account.real_name, account.email):
            assert personal not in blob
        assert disclosures["water"].enterprise.legal_representative_id_number not in blob
        assert "mobile" not in blob and "id_number" not in blob and "email" not in blob
    assert client.get(reverse("standards:api_detail", args=[disclosures["draft"].pk])).status_code == 404


def test_openapi_document_describes_the_api(client):
    document = client.get("/api/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert "/api/standards/" in document["paths"] and "/api/standards/{pk}/" in document["paths"]
    names = {p["name"] for p in document["paths"]["/api/standards/"]["get"]["parameters"]}
    assert {"q", "region", "kind", "barcode", "limit", "cursor"} <= names and "offset" not in names


def test_api_pages_by_cursor_without_counting(client, django_assert_num_queries):
    """Following ``next`` walks every published standard once, newest first, each page two queries: the matching
    ids and the page (no COUNT, no OFFSET)."""
    standards = [DisclosedStandardFactory(name=f"游标阀门{n}") for n in range(5)]
    tied = standards[1].published_at  # published in the same instant: the id breaks the tie
    DisclosedStandard.objects.filter(pk__in=[s.pk for s in standards[1:4]]).update(published_at=tied)
    for standard in standards:
        standard.refresh_from_db()
    expected = [s.pk for s in sorted(standards, key=lambda s: (s.published_at, s.pk), reverse=True)]
    seen, url = [], reverse("standards:api_list") + "?" + urlencode({"q": "游标阀门", "limit": 2})
    while url:
        with django_assert_num_queries(2):
            page = client.get(url).json()
        assert "count" not in page and len(page["results"]) <= 2
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert seen == expected
    first = client.get(reverse("standards:api_list"), {"q": "游标阀门", "limit": 2}).json()
    second = client.get(first["next"]).json()
    assert client.get(second["previous"]).json()["results"] == first["results"] and first["previous"] is None
    invalid = client.get(reverse("standards:api_list"), {"cursor": "not-a-cursor"})
    assert invalid.status_code == 400 and "cursor" in invalid.json()["detail"]


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"kind": "bogus"}, "kind"),
        ({"status": "old"}, "status"),
        ({"limit": "abc"}, "limit"),
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"region": "13'"}, "region"),
        ({"kind": "bogus", "limit": 500}, "kind"),
    ],
)
def test_api_answers_a_bad_value_with_400_naming_the_parameter(client, params, names):
    response = client.get(reverse("standards:api_list"), params)
    assert response.status_code == 400 and response.json()["detail"].startswith(names)


def test_api_kind_and_limit_are_typed(client, disclosures):
    national = client.get(reverse("standards:api_list"), {"kind": "national", "limit": 100}).json()
    assert [row["number"] for row in national["results"]] == ["GB/T 13456-2014"]
    assert national["results"][0]["published_at"].endswith("+08:00")  # local time, as on the pages
    parameters = client.get("/api/openapi.json").json()["paths"]["/api/standards/"]["get"]["parameters"]
    limit = next(p for p in parameters if p["name"] == "limit")["schema"]
    assert limit["type"] == "integer" and (limit["minimum"], limit["maximum"]) == (1, 100)


def test_api_page_for_people_is_linked_from_the_footer_and_generated_from_the_schema(client):
    home = client.get(reverse("standards:public_search")).content.decode()
    docs_url = reverse("standards:api_docs")
    assert f'href="{docs_url}">开放接口' in home
    page = client.get(docs_url).content.decode()
    assert "GET /api/standards/" in page and "GET /api/standards/{pk}/" in page
    assert "national | industry | local | enterprise" in page and "≤ 100" in page
    assert "StandardDetail" in page and "cdn" not in page.lower() and "swagger" not in page.lower()


def test_reminder_task_runs(disclosures):
    DisclosedStandardFactory(published_at=timezone.now() - datetime.timedelta(days=800))
    assert send_two_year_reminders.enqueue().return_value == 1


def test_full_text_download_only_for_published(client):
    published = DisclosedStandardFactory(content="full_text")
    published.full_text.save("standard.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    draft = DisclosedStandardFactory(content="full_text", status="draft", published_at=None)
    draft.full_text.save("draft.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    url = reverse("standards:public_full_text", args=[published.pk])
    assert url in client.get(reverse("standards:public_detail", args=[published.pk])).content.decode()
    assert b"".join(client.get(url).streaming_content).startswith(b"%PDF-")
    assert client.get(reverse("standards:public_full_text", args=[draft.pk])).status_code == 404


def test_detail_reads_one_row_and_shows_category_paths(client, settings, django_assert_num_queries):
    """Products come from the copy on the standard's row, category paths from the cached reference table (the
    navigation's section URLs from the page cache's, read once a generation)."""
    settings.PAGE_CACHE_SECONDS = 300
    standard = DisclosedStandardFactory(kind="national", number="GB/T 2-2020", content="")
    product = ProductFactory(standard=standard, name="一号产品")
    ProductFactory(standard=standard, name="二号产品")
    url = reverse("standards:public_detail", args=[standard.pk])
    client.get(url)  # fills the category cache
    with django_assert_num_queries(1):
        page = client.get(f"{url}?first=visit").content.decode()  # one the page cache does not answer
    assert page.index("一号产品") < page.index("二号产品")
    assert product.category.path_names() in page and standard.enterprise.region.name in page


def test_product_changes_reach_the_public_detail(client, disclosures):
    water = disclosures["water"]
    water.products.update(name="改名后的产品")
    water.refresh_product_copies()
    page = client.get(reverse("standards:public_detail", args=[water.pk])).content.decode()
    assert "改名后的产品" in page and "钢化玻璃门" not in page


def test_category_paths_are_rebuilt_for_a_code_they_lack():
    assert "990101" not in ProductCategory.paths()
    segment = ProductCategory.objects.create(code="99", name="测试门类", level=1)
    family = ProductCategory.objects.create(code="9901", name="测试大类", parent=segment, level=2)
    ProductCategory.objects.create(code="990101", name="测试小类", parent=family, level=3)
    assert ProductCategory.paths(["990101"])["990101"] == "测试门类 / 测试大类 / 测试小类"


def test_search_reads_its_matches_then_one_page_and_renders_rows(
    client, disclosures, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_SECONDS = 300  # the navigation's section URLs, read once a generation
    water = disclosures["water"]
    DisclosedStandard.unscoped.filter(pk=water.pk).update(
        published_at=datetime.datetime(2024, 1, 1, 17, 30, tzinfo=datetime.UTC)  # 2024-01-02 in Beijing
    )
    client.get(reverse("standards:public_search"), {"q": "华北制药"})  # fills the province cache
    with django_assert_num_queries(1):  # the matches, counted and ordered around them (search.newest_page)
        response = client.get(reverse("standards:public_search"), {"q": "华北制药", "region": "130000"})
    page = response.content.decode()
    row = page[page.index("<tbody>") :]
    assert f'href="{reverse("standards:public_detail", args=[water.pk])}"' in row
    assert "<td>国家标准</td>" in row
    assert "2024-01-02" in row and "现行" in row
    assert '<option value="130000" selected>' in page and "QueryDict" not in page


def test_search_pages_keep_the_query(client):
    for number in range(21):
        DisclosedStandardFactory(name=f"分页阀门{number}")
    first = client.get(reverse("standards:public_search"), {"q": "分页阀门"})
    assert len(first.context["results"]) == 20 and 'href="?q=%E5%88%86%E9%A1%B5%E9%98%80%E9%97%A8&amp;page=2"' in (
        first.content.decode()
    )
    second = client.get(reverse("standards:public_search"), {"q": "分页阀门", "page": 2})
    assert len(second.context["results"]) == 1 and "page=1" in second.content.decode()


def test_search_orders_few_and_many_matches_alike(client, monkeypatch):
    """Few matches are sorted from their ids, many are left to the date index: the same page either way."""
    standards = [DisclosedStandardFactory(name=f"排序阀门{n}") for n in range(25)]
    tied = standards[5].published_at  # the id orders standards published in the same instant
    DisclosedStandard.objects.filter(pk__in=[s.pk for s in standards[5:10]]).update(published_at=tied)

    def walk():
        pages = [client.get(reverse("standards:public_search"), {"q": "排序阀门", "page": n}) for n in (1, 2)]
        return [row["id"] for page in pages for row in page.context["results"]]

    for standard in standards:
        standard.refresh_from_db()
    expected = [s.pk for s in sorted(standards, key=lambda s: (s.published_at, s.pk), reverse=True)]
    few = walk()
    monkeypatch.setattr("filings.standards.search.FEW_MATCHES", 3)
    assert few == walk() == expected
    api = client.get(reverse("standards:api_list"), {"q": "排序阀门", "limit": 100}).json()
    assert [row["id"] for row in api["results"]] == expected


def test_short_fragments_common_among_the_newest_skip_the_count(client, monkeypatch):
    """A one- or two-character fragment found a page's worth of times among the newest standards is common: its
    matches are not counted first (that count would read a bitmap of much of the table)."""
    from filings.standards.search import worth_counting

    monkeypatch.setattr("filings.standards.search.RECENT", 4)
    monkeypatch.setattr("filings.standards.search.COMMON", 2)
    cache.clear()
    rare = DisclosedStandardFactory(name="稀有阀门")
    newest = [DisclosedStandardFactory(name=f"钢铁阀门{n}") for n in range(4)]
    records = DisclosedStandard.unscoped.published()
    assert not worth_counting(filter_public(records, {"q": "钢铁"}), {"q": "钢铁"})
    assert worth_counting(filter_public(records, {"q": "稀有"}), {"q": "稀有"})
    assert worth_counting(filter_public(records, {"q": "钢铁阀门"}), {"q": "钢铁阀门"})  # trigrams: always counted
    assert found(client, q="钢铁") == [s.pk for s in reversed(newest)]
    assert found(client, q="稀有") == [rare.pk]


def test_page_numbers_stop_at_the_public_maximum(client, monkeypatch):
    """Page 10,000 answers the last listed page instead of an OFFSET through every published standard."""
    monkeypatch.setattr("filings.standards.views.PUBLIC_MAX_PAGES", 2)
    for number in range(41):
        DisclosedStandardFactory(name=f"深页阀门{number}")
    deep = client.get(reverse("standards:public_search"), {"q": "深页阀门", "page": 10_000})
    assert deep.context["page_number"] == 2 and len(deep.context["results"]) == 20
    html = deep.content.decode()
    assert not deep.context["has_next"] and "page=3" not in html and "仅列出前 2 页" in html
    last = client.get(reverse("standards:public_search"), {"q": "深页阀门", "page": 1})
    assert last.context["has_next"] and "仅列出前" not in last.content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN indexes exist on PostgreSQL only")
def test_gin_indexes_keep_short_pending_lists():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reloptions FROM pg_class WHERE relname LIKE 'standards_%%_trgm' "
            "OR relname LIKE 'standards_%%_grams' ORDER BY relname"
        )
        options = dict(cursor.fetchall())
    assert len(options) == 9 and all(value == ["gin_pending_list_limit=64"] for value in options.values())


def test_only_province_codes_select_a_province_option(client, disclosures):
    """The selected option keys the per-process option cache, so arbitrary region values must not multiply it."""
    county = client.get(reverse("standards:public_search"), {"region": "130102"})
    assert [row["id"] for row in county.context["results"]] == [disclosures["water"].pk]
    assert " selected>" not in county.content.decode()
    province = client.get(reverse("standards:public_search"), {"region": "130000"}).content.decode()
    assert '<option value="130000" selected>河北省</option>' in province


def test_result_rows_are_escaped_and_link_to_the_standard(client, db):
    standard = DisclosedStandardFactory(name="<b>钢化</b>玻璃", enterprise=EnterpriseFactory(name="A&B 玻璃厂"))
    html = client.get(reverse("standards:public_search"), {"q": "玻璃"}).content.decode()
    assert "&lt;b&gt;钢化&lt;/b&gt;玻璃" in html and "<b>钢化</b>" not in html and "A&amp;B 玻璃厂" in html
    detail = reverse("standards:public_detail", args=[standard.pk])
    assert f'<a href="{detail}">{standard.number}</a>' in html and "现行" in html


def test_the_kind_filter_keeps_its_selection_in_the_visitors_language(client, disclosures):
    page = client.get(reverse("standards:public_search"), {"kind": "national"}).content.decode()
    assert '<option value="national" selected>' in page and page.count(" selected>") == 1
    assert " selected>" not in client.get(reverse("standards:public_search"), {"kind": "<x>"}).content.decode()
    english = client.get(reverse("standards:public_search"), {"kind": "national"}, HTTP_ACCEPT_LANGUAGE="en")
    with translation.override("en"):
        en_label = str(StandardKind("national").label)
    assert (
        en_label != "国家标准" and f'<option value="national" selected>{en_label}</option>' in english.content.decode()
    )


def test_the_list_not_searched_by_words_is_read_once_a_generation_and_shows_each_public_change(
    client, disclosures, settings, monkeypatch
):
    """All standards, a province's, a kind's or a status's: the same list for every visitor, kept under the page
    cache's generation. A first visit (a query string of its own) reads no standard and its links carry no part of
    another visitor's URL; a standard published or abolished shows at once; a search by words is read each time."""
    settings.PAGE_CACHE_SECONDS = 300
    monkeypatch.setattr("filings.standards.views.PAGE_SIZE", 2)
    visits = iter(range(1_000))

    def visit(**params):
        with CaptureQueriesContext(connection) as queries:
            html = client.get(reverse("standards:public_search"), {**params, "visit": next(visits)}).content.decode()
        return html, " ".join(query["sql"] for query in queries.captured_queries)

    html, _queries = visit()
    assert "调制乳" in html and "旧标准" in html and 'href="?page=2"' in html and "visit" not in html
    again, queries = visit()
    assert again == html and "standards_disclosedstandard" not in queries
    assert "钢化玻璃" in visit(page=2)[0]
    province, _queries = visit(region="130000")
    assert "钢化玻璃" in province and "调制乳" not in province
    assert "钢化玻璃" in visit(kind="national")[0] and "调制乳" not in visit(kind="national")[0]
    published = DisclosedStandardFactory(name="新发布阀门")
    assert "新发布阀门" in visit()[0] and "新发布阀门" not in visit(status="abolished")[0]
    published.abolished_at = timezone.now()
    published.save()
    assert "新发布阀门" in visit(status="abolished")[0] and "新发布阀门" not in visit(status="current")[0]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english, _queries = visit()
    assert "Search disclosed product standards" in english and "Abolished" in english and "废止" not in english
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    for twice in ({"region": "130000", "kind": "national"}, {"kind": "national", "status": "current"}):
        assert "standards_disclosedstandard" in visit(**twice)[1] and "standards_disclosedstandard" in visit(**twice)[1]
    DisclosedStandardFactory(enterprise=disclosures["milk"].enterprise, name="调制乳粉")
    searched, _queries = visit(enterprise="有限公司", barcode="", status="current", page=1)
    link = "?enterprise=%E6%9C%89%E9%99%90%E5%85%AC%E5%8F%B8&amp;status=current&amp;page=2"
    assert f'href="{link}"' in searched and "visit" not in searched
    assert (
        "standards_disclosedstandard" in visit(q="华北制药")[1]
        and "standards_disclosedstandard" in visit(q="华北制药")[1]
    )
    assert (
        "standards_disclosedstandard" in visit(region="130102")[1]
        and "standards_disclosedstandard" in visit(region="130102")[1]
    )
