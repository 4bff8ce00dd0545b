"""Regulators: read-only disclosures of their subtree, export; platform administrators import the catalogue."""

import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import ModelLogEntry

from filings.standards.factories import DisclosedStandardFactory, ProductFactory
from filings.standards.models import CatalogueStandard
from registry.factories import EnterpriseFactory
from registry.models import Division, Role
from registry.reports import EXPORT_ACTION

pytestmark = pytest.mark.django_db

LIST = "wagtailsnippets_standards_disclosedstandard:list"
INSPECT = "wagtailsnippets_standards_disclosedstandard:inspect"
EDIT = "wagtailsnippets_standards_disclosedstandard:edit"


@pytest.fixture
def changan_standard(db):
    enterprise = EnterpriseFactory(name="长安区示例饮品有限公司", region=Division.objects.get(code="130102"))
    standard = DisclosedStandardFactory(enterprise=enterprise, name="长安饮用水")
    ProductFactory(standard=standard)
    return standard


def test_regulator_sees_subtree_read_only(client, make_admin, orgs, changan_standard):
    client.force_login(make_admin(orgs.shijiazhuang))
    listing = client.get(reverse(LIST))
    assert listing.status_code == 200 and "长安饮用水" in listing.content.decode()
    assert client.get(reverse(INSPECT, args=[changan_standard.pk])).status_code == 200
    assert client.get(reverse(EDIT, args=[changan_standard.pk])).status_code in (302, 403)


def test_neighbouring_county_and_other_province_get_404(client, make_admin, orgs, changan_standard):
    for organisation in (orgs.qiaoxi, orgs.beijing):
        client.force_login(make_admin(organisation, role=Role.PROVINCIAL))
        assert client.get(reverse(INSPECT, args=[changan_standard.pk])).status_code == 404
        assert "长安饮用水" not in client.get(reverse(LIST)).content.decode()


def test_superuser_cannot_edit_either(client, make_admin, orgs, changan_standard):
    client.force_login(make_admin(orgs.platform, role=Role.PLATFORM, is_superuser=True))
    assert client.get(reverse(EDIT, args=[changan_standard.pk])).status_code in (302, 403)


def test_export_xlsx(client, make_admin, orgs, changan_standard):
    client.force_login(make_admin(orgs.hebei, role=Role.PROVINCIAL))
    response = client.get(reverse(LIST), {"export": "xlsx"})
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "长安饮用水" in values and changan_standard.enterprise_uscc in values
    entry = ModelLogEntry.objects.get(action=EXPORT_ACTION)  # who exported what lands in the audit log
    assert entry.user.organisation == orgs.hebei and entry.data["format"] == "xlsx"


def catalogue_file(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["类型", "标准编号", "标准名称"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("catalogue.xlsx", buffer.getvalue())


def test_platform_administrator_imports_the_catalogue(client, make_admin, orgs):
    client.force_login(make_admin(orgs.platform, role=Role.PLATFORM))
    url = reverse("wagtailsnippets_standards_cataloguestandard:import")
    rows = [["国家标准", "GB/T 13456-2014", "钢化玻璃"], ["行业标准", "ＱＢ／Ｔ　1234－2019", "食品包装用纸"]]
    assert client.post(url, {"file": catalogue_file(rows)}).status_code == 302
    assert set(CatalogueStandard.objects.values_list("number", flat=True)) == {"GB/T 13456-2014", "QB/T 1234-2019"}
    assert CatalogueStandard.objects.get(number="GB/T 13456-2014").number_digits == "134562014"


def test_bad_catalogue_rows_are_reported_and_nothing_is_written(client, make_admin, orgs):
    client.force_login(make_admin(orgs.platform, role=Role.PLATFORM))
    url = reverse("wagtailsnippets_standards_cataloguestandard:import")
    rows = [
        ["国家标准", "GB/T 1-2020", "标准化工作导则"],
        ["团体标准", "T/ABC 1-2020", "x"],
        ["地方标准", "DB13/T 1-2020", ""],
    ]
    response = client.post(url, {"file": catalogue_file(rows)})
    errors = " ".join(str(e) for e in response.context["errors"])
    assert "第3行A列" in errors and "第4行C列" in errors
    assert not CatalogueStandard.objects.exists()


def test_a_catalogue_workbook_with_a_far_away_cell_is_refused_before_it_is_read(client, make_admin, orgs):
    client.force_login(make_admin(orgs.platform, role=Role.PLATFORM))
    book = openpyxl.Workbook()
    book.active.append(["类型", "标准编号", "标准名称"])
    book.active.append(["国家标准", "GB/T 1-2020", "标准化工作导则"])
    book.active["A1048576"] = "x"  # openpyxl would read a million rows; calamine would allocate the grid
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("catalogue.xlsx", buffer.getvalue())
    response = client.post(reverse("wagtailsnippets_standards_cataloguestandard:import"), {"file": upload})
    errors = " ".join(str(e) for e in response.context["errors"])
    assert "第1048576行有数据" in errors
    assert not CatalogueStandard.objects.exists()


def test_only_platform_administrators_import(client, make_admin, orgs):
    client.force_login(make_admin(orgs.hebei, role=Role.PROVINCIAL))
    response = client.get(reverse("wagtailsnippets_standards_cataloguestandard:import"))
    assert response.status_code in (302, 403)


def test_inspect_shows_local_time_labels_products_and_indicators_never_none(client, make_admin, orgs):
    import datetime

    from filings.standards.factories import IndicatorFactory

    enterprise = EnterpriseFactory(name="长安区示例饮品有限公司", region=Division.objects.get(code="130102"))
    published = datetime.datetime(2024, 1, 1, 17, 30, tzinfo=datetime.UTC)  # 2024-01-02 01:30 in Beijing
    standard = DisclosedStandardFactory(
        enterprise=enterprise, name="长安饮用水", published_at=published, content="indicators"
    )
    ProductFactory(standard=standard, name="长安纯净水 550ml")
    IndicatorFactory(standard=standard, name="电导率")
    client.force_login(make_admin(orgs.shijiazhuang))
    page = client.get(reverse(INSPECT, args=[standard.pk])).content.decode()
    assert "2024-01-02 01:30" in page and "2024-01-01" not in page
    assert "企业标准" in page and ">enterprise<" not in page and ">published<" not in page
    assert "长安纯净水 550ml" in page and "电导率" in page and "&lt;" in page  # the requirement, escaped
    assert not re.search(r">\s*None\s*<", page)  # shown text; Wagtail's own markup has "None" in a class
    listing = client.get(reverse(LIST)).content.decode()
    assert "2024-01-02 01:30" in listing and "企业标准" in listing and not re.search(r">\s*None\s*<", listing)


def test_regulators_never_see_drafts(client, make_admin, orgs):
    enterprise = EnterpriseFactory(region=Division.objects.get(code="130102"))
    draft = DisclosedStandardFactory(enterprise=enterprise, name="未公开草稿", status="draft", published_at=None)
    abolished = DisclosedStandardFactory(enterprise=enterprise, name="已废止标准")
    abolished.abolished_at = abolished.published_at
    abolished.save()
    client.force_login(make_admin(orgs.shijiazhuang))
    listing = client.get(reverse(LIST)).content.decode()
    assert "未公开草稿" not in listing and "已废止标准" in listing
    assert client.get(reverse(INSPECT, args=[draft.pk])).status_code == 404
    assert client.get(reverse(INSPECT, args=[abolished.pk])).status_code == 200
