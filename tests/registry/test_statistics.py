"""Every dashboard figure on a known data set, for the national, provincial, city and county subtrees."""

import datetime
import io

import pytest
from django.core.cache import cache

from filings.awards.factories import ApplicationFactory, make_programme
from filings.awards.figures import applications_by_programme
from filings.awards.models import Application
from filings.qcgroups.factories import FilingFactory
from filings.qcgroups.figures import qc_filings_by_year
from filings.qcgroups.models import Filing
from filings.standards.factories import DisclosedStandardFactory
from filings.standards.figures import standards_by_month
from filings.standards.models import DisclosedStandard, StandardKind
from registry.factories import EnterpriseFactory, make_mobile, make_uscc
from registry.models import ChiefQualityOfficer, EconomicType, Enterprise, ReviewStatus
from registry.statistics import queries

pytestmark = pytest.mark.django_db

SHANGHAI = queries.LOCAL_TIME
UNKNOWN = str(queries.UNKNOWN)
TODAY = datetime.date(2026, 11, 22)
MONTHS = queries.last_months(12, today=TODAY)


def at(year, month, day, hour=12):
    return datetime.datetime(year, month, day, hour, tzinfo=SHANGHAI)


def enterprise(serial, region, size="small", industry="3311", natures=()):
    made = EnterpriseFactory(uscc=make_uscc(700_000 + serial, region), region_id=region, industry_id=industry)
    Enterprise.unscoped.filter(pk=made.pk).update(size=size)
    made.economic_types.set(EconomicType.objects.filter(code__in=natures))
    return made


def officer(serial, company, live=True, approved_at=None, **fields):
    record = ChiefQualityOfficer.unscoped.create(
        enterprise=company,
        organisation=company.organisation,
        real_name=f"统计{serial}",
        gender="M",
        mobile=make_mobile(80_000 + serial),
        live=live,
        **fields,
    )
    if approved_at:
        ChiefQualityOfficer.unscoped.filter(pk=record.pk).update(first_published_at=approved_at)
    return record


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def data(orgs):
    """11 enterprises: 4 in 长安区, 2 in 桥西区, 1 supervised by 石家庄市 itself, 2 in 唐山, 2 in 北京朝阳.

    Approved officers: E1 E2 (长安), E5 (桥西), E7 (石家庄市), E8 (唐山), E10 E11 (朝阳) = 7.
    """
    e = {}
    e[1] = enterprise(1, "130102", "large", "3311", ("PRIVATE", "LISTED"))
    e[2] = enterprise(2, "130102", "medium", "0111", ("SOE",))
    e[3] = enterprise(3, "130102")
    e[4] = enterprise(4, "130102")
    e[5] = enterprise(5, "130104", "small", "3311")
    e[6] = enterprise(6, "130104")
    e[7] = enterprise(7, "130100", "large", None, ("PRIVATE",))
    e[8] = enterprise(8, "130203", "micro", "3311", ("PRIVATE",))
    e[9] = enterprise(9, "130203")
    e[10] = enterprise(10, "110105", "medium", "6511", ("FOREIGN",))
    e[11] = enterprise(11, "110105", "medium", "6511", ("FOREIGN",))
    officer(1, e[1], approved_at=at(2026, 11, 1, 1), education_id="BACHELOR", quality_years=4)
    # 2026-10-31 23:30 in Beijing time is still October there, though November 1st has begun nowhere.
    officer(2, e[2], approved_at=at(2026, 10, 31, 23), education_id="MASTER", quality_years=12)
    officer(3, e[3], live=False)
    officer(5, e[5], approved_at=at(2026, 1, 5), education_id="BACHELOR")
    rejected = officer(6, e[6], live=False)
    ChiefQualityOfficer.unscoped.filter(pk=rejected.pk).update(review_status=ReviewStatus.REJECTED)
    officer(7, e[7], approved_at=at(2025, 1, 5), education_id="DOCTOR", quality_years=25)
    officer(8, e[8], approved_at=at(2026, 11, 2), education_id="COLLEGE", quality_years=3)
    officer(10, e[10], approved_at=at(2026, 11, 3), quality_years=2, enabled=False)
    officer(11, e[11], approved_at=at(2026, 6, 3), quality_years=20)
    return e


def rows(figure):
    return {str(row[0]): row[1:] if len(row) > 2 else row[1] for row in figure.rows}


def test_coverage_and_subtree_totals(data, orgs):
    assert queries.coverage(None) == {"enterprises": 11, "covered": 7, "rate": 63.6}
    assert queries.coverage(orgs.national.path) == {"enterprises": 11, "covered": 7, "rate": 63.6}
    assert queries.coverage(orgs.hebei.path) == {"enterprises": 9, "covered": 5, "rate": 55.6}
    assert queries.coverage(orgs.shijiazhuang.path) == {"enterprises": 7, "covered": 4, "rate": 57.1}
    assert queries.coverage(orgs.changan.path) == {"enterprises": 4, "covered": 2, "rate": 50.0}
    assert queries.coverage(orgs.tangshan.path) == {"enterprises": 2, "covered": 1, "rate": 50.0}
    assert queries.coverage(orgs.beijing.path) == {"enterprises": 2, "covered": 2, "rate": 100.0}


def test_officers_by_status(data, orgs):
    national = rows(queries.officers_by_status(None))
    assert [national[str(s.label)] for s in ReviewStatus] == [1, 7, 1, 0]
    assert list(national.values())[-1] == 1  # of which approved but disabled
    changan = rows(queries.officers_by_status(orgs.changan.path))
    assert [changan[str(s.label)] for s in ReviewStatus] == [1, 2, 0, 0]
    qiaoxi = rows(queries.officers_by_status(orgs.qiaoxi.path))
    assert [qiaoxi[str(s.label)] for s in ReviewStatus] == [0, 1, 1, 0]


def test_subregions_roll_up_whole_subtrees(data, orgs):
    national = rows(queries.officers_by_subregion(orgs.national))
    assert national[orgs.hebei.name] == [5, 9, 55.6]
    assert national[orgs.beijing.name] == [2, 2, 100.0]
    assert sum(row[1] for row in queries.officers_by_subregion(orgs.national).rows) == 7
    hebei = rows(queries.officers_by_subregion(orgs.hebei))
    assert hebei[orgs.shijiazhuang.name] == [4, 7, 57.1]
    assert hebei[orgs.tangshan.name] == [1, 2, 50.0]
    assert sum(row[2] for row in queries.officers_by_subregion(orgs.hebei).rows) == 9
    city = rows(queries.officers_by_subregion(orgs.shijiazhuang))
    assert city[orgs.changan.name] == [2, 4, 50.0]
    assert city[orgs.qiaoxi.name] == [1, 2, 50.0]
    assert city[str(queries.THIS_UNIT)] == [1, 1, 100.0]
    assert orgs.tangshan.name not in city and len(city) == orgs.shijiazhuang.get_children_count() + 1


def test_breakdowns_by_enterprise_and_officer(data, orgs):
    hebei = orgs.hebei.path
    assert rows(queries.officers_by_industry(hebei)) == {"C 制造业": 3, "A 农、林、牧、渔业": 1, UNKNOWN: 1}
    by_section = {name.split()[0]: n for name, n in rows(queries.officers_by_industry(None)).items()}
    assert by_section == {"C": 3, "A": 1, "I": 2, UNKNOWN.split()[0]: 1}
    assert list(rows(queries.officers_by_size(hebei)).values()) == [2, 1, 1, 1]  # large, medium, small, micro
    assert list(rows(queries.officers_by_size(orgs.shijiazhuang.path)).values()) == [2, 1, 1, 0]
    natures = rows(queries.officers_by_nature(hebei))
    assert natures == {"民营": 3, "上市公司": 1, "国有": 1, UNKNOWN: 1}
    education = rows(queries.officers_by_education(hebei))
    assert education["大学本科"] == 2 and education["硕士研究生"] == 1 and education["博士研究生"] == 1
    assert education["大学专科"] == 1 and education["其他"] == 0 and UNKNOWN not in education
    assert rows(queries.officers_by_education(None))[UNKNOWN] == 2
    # under 3, 3–5, 5–10, 10–20, 20 or more, not given
    assert list(rows(queries.officers_by_years(None)).values()) == [1, 2, 0, 1, 2, 1]


def test_approvals_per_month_in_beijing_time(data, orgs):
    national = rows(queries.approvals_by_month(None, MONTHS))
    assert list(national) == [f"{m:%Y-%m}" for m in MONTHS] and list(national)[-1] == "2026-11"
    assert national["2026-11"] == 3  # officers 1 (01:00 on Nov 1st Beijing time), 8, 10
    assert national["2026-10"] == 1  # officer 2
    assert national["2026-06"] == 1 and national["2026-01"] == 1
    assert sum(national.values()) == 6  # officer 7 (January 2025) is older than twelve months
    city = rows(queries.approvals_by_month(orgs.shijiazhuang.path, MONTHS))
    assert (city["2026-11"], city["2026-10"], city["2026-01"], sum(city.values())) == (1, 1, 1, 3)


def test_standards_per_month_and_kind(data, orgs):
    DisclosedStandardFactory(enterprise=data[1], kind=StandardKind.ENTERPRISE, published_at=at(2026, 11, 1, 2))
    DisclosedStandardFactory(enterprise=data[1], kind=StandardKind.NATIONAL, published_at=at(2026, 11, 5))
    DisclosedStandardFactory(enterprise=data[2], kind=StandardKind.ENTERPRISE, published_at=at(2026, 9, 5))
    DisclosedStandardFactory(enterprise=data[8], kind=StandardKind.ENTERPRISE, published_at=at(2026, 11, 5))
    DisclosedStandardFactory(enterprise=data[1], status=DisclosedStandard.Status.DRAFT, published_at=None)
    figure = standards_by_month(orgs.shijiazhuang.path, MONTHS)
    assert figure.columns[1:] == [kind.label for kind in StandardKind]
    table = rows(figure)
    assert table["2026-11"] == [1, 0, 0, 1]  # national, industry, local, enterprise
    assert table["2026-09"] == [0, 0, 0, 1]
    assert sum(sum(values) for values in table.values()) == 3
    national = rows(standards_by_month(None, MONTHS))
    assert sum(sum(values) for values in national.values()) == 4


def test_applications_per_programme_and_stage(orgs):
    programme = make_programme("2026年全国质量标杆")
    hebei_first = ApplicationFactory(programme=programme, recommending_unit=orgs.hebei)
    hebei_second = ApplicationFactory(programme=programme, recommending_unit=orgs.hebei)
    beijing = ApplicationFactory(programme=programme, recommending_unit=orgs.beijing)
    ApplicationFactory(programme=programme, recommending_unit=orgs.hebei)  # a draft is not an application yet
    Application.unscoped.filter(pk__in=[hebei_first.pk, beijing.pk]).update(state=Application.State.QUALIFICATION)
    Application.unscoped.filter(pk=hebei_second.pk).update(state=Application.State.AWARDED)
    figure = applications_by_programme(orgs.hebei.path)
    headings = figure.columns
    (row,) = figure.rows
    assert row[0] == "2026年全国质量标杆" and row[1] == 2
    assert row[headings.index(Application.State.QUALIFICATION.label)] == 1
    assert row[headings.index(Application.State.AWARDED.label)] == 1
    assert Application.State.DRAFT.label not in headings and sum(row[2:]) == 2
    assert applications_by_programme(None).rows[0][1] == 3
    assert applications_by_programme(orgs.shijiazhuang.path).rows == []


def test_qc_filings_per_year(orgs):
    FilingFactory(year=2025)
    FilingFactory(year=2026, kind=Filing.Kind.TRUSTED_TEAM)
    FilingFactory(year=2026)
    assert qc_filings_by_year(None).rows == [["2025", 1, 1, 0], ["2026", 2, 1, 1]]
    secretariat = Filing.unscoped.first().unit.organisation
    assert qc_filings_by_year(secretariat.path).rows == [["2025", 1, 1, 0], ["2026", 2, 1, 1]]
    assert qc_filings_by_year(orgs.hebei.path).rows == []


def test_bar_chart_is_proportional_and_capped():
    from registry.statistics.charts import MAX_BARS, chart_for

    figure = queries.Figure("demo", "Demo", ["Region", "Officers"], [["甲", 40], ["乙", 10], ["丙", 0]])
    chart = chart_for(figure)
    widths = [bar.width for bar in chart["bars"]]
    assert widths[0] == 4 * widths[1] and widths[2] == 0 and not chart["truncated"]
    many = queries.Figure("demo", "Demo", ["Region", "Officers"], [[str(n), n] for n in range(30, 0, -1)])
    assert len(chart_for(many)["bars"]) == MAX_BARS and chart_for(many)["truncated"]
    line = chart_for(queries.Figure("m", "M", ["Month", "A", "B"], [["2026-01", 0, 2], ["2026-02", 4, 1]], "line"))
    assert [len(series["dots"]) for series in line["series"]] == [2, 2] and line["peak"] == 4


def test_workbook_cells_never_run_as_formulas():
    from openpyxl import load_workbook

    from registry.statistics.export import figures_workbook

    figure = queries.Figure("x", "=1+1", ["@名称", "数量"], [['=HYPERLINK("http://x")', 3], ["-2+3", 1]])
    sheet = load_workbook(io.BytesIO(figures_workbook([figure], "+河北").content())).active
    cells = [cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    risky = [cell for cell in cells if cell.value.startswith(("=", "+", "-", "@"))]
    assert len(risky) == 4 and all(cell.data_type == "s" and cell.quotePrefix for cell in risky)
    assert sheet["B3"].value == 3  # numbers stay numbers
