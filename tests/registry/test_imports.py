"""The one spreadsheet import base (registry.imports) under every importer, with real .xls and .xlsx files.

The .xls files are written by xlwt, a real BIFF8 writer (Excel 97–2003 format), not by hand.
"""

import datetime
import io

import pytest
import xlwt
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from filings.qcgroups.factories import FilingUnitFactory
from filings.qcgroups.importing import HEADERS as QC_HEADERS
from filings.qcgroups.importing import import_filings
from filings.qcgroups.models import Filing
from filings.standards.models import CatalogueStandard
from registry.imports import WorkbookError, read_sheet
from registry.models import ChiefQualityOfficer, Enterprise, ImportJob, Role
from registry.officers.columns import COLUMNS
from registry.officers.factories import import_row
from registry.officers.importing import OfficerImporter
from registry.officers.tasks import STALLED_AFTER

pytestmark = pytest.mark.django_db
OFFICERS = "wagtailsnippets_registry_chiefqualityofficer"
HEADERS = [column.header for column in COLUMNS]
KEYS = [column.key for column in COLUMNS]


def xls(rows, far_cell=None):
    """A real .xls (BIFF8) workbook, dates written as Excel dates."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("首席质量官")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if value not in (None, ""):
                style = date_style if isinstance(value, datetime.date) else xlwt.Style.default_style
                sheet.write(r, c, value, style)
    if far_cell:
        sheet.write(*far_cell, "x")
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def xlsx(rows):
    book = Workbook()
    for values in rows:
        book.active.append(values)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def seed_row(serial, **overrides):
    """A row as the seed's own template fills it: a band of employees, a section, 企业性质 in Chinese."""
    values = dict(zip(KEYS, import_row(serial), strict=True))
    values.update(overrides)
    return [values[key] for key in KEYS]


@pytest.fixture
def changan_admin(orgs, make_admin):
    return make_admin(orgs.changan, role=Role.INSTITUTION)


def test_the_seeds_workbook_as_xls_with_bands_sections_and_chinese_natures(changan_admin):
    rows = [
        HEADERS,
        seed_row(1, size="<100", industry="B 采矿业", natures="民营"),
        seed_row(2, size="100-300", industry="3421", natures="混合所有制/外资"),
        seed_row(3, size="1000-3000", industry="C 制造业", natures="国营", appointment_date=datetime.date(2024, 3, 1)),
        seed_row(4, size=">10000", industry="3421", natures="上市公司，民营"),
    ]
    report = OfficerImporter(changan_admin).run(xls(rows))
    assert report.errors == [] and report.created == 4
    enterprises = {e.name: e for e in Enterprise.unscoped.all()}
    first, second, third, fourth = (enterprises[f"长安精工{n}有限公司"] for n in range(1, 5))
    assert (first.industry_id, first.size) == ("B", "small")  # the section kept until a class is chosen
    assert (second.industry_id, second.size) == ("3421", "small")  # 100 employees: small in industry
    assert (third.industry_id, third.size) == ("C", "large")
    assert fourth.size == "large"
    assert sorted(second.economic_types.values_list("code", flat=True)) == ["FOREIGN", "MIXED"]
    assert list(third.economic_types.values_list("code", flat=True)) == ["SOE"]
    assert ChiefQualityOfficer.unscoped.get(enterprise=third).appointment_date == datetime.date(2024, 3, 1)


def test_a_blank_row_inside_the_data_is_an_error_naming_the_rows_after_it(changan_admin):
    for make in (xls, xlsx):
        rows = [HEADERS, seed_row(1), [None] * len(HEADERS), seed_row(3), seed_row(4), [None] * len(HEADERS)]
        report = OfficerImporter(changan_admin).run(make(rows))
        assert not report.written and ChiefQualityOfficer.unscoped.count() == 0
        (error,) = report.errors
        assert error.row == 3 and "第4, 5行有数据" in error.message, make


def test_unreadable_files_get_a_clear_error_and_no_500(client, changan_admin):
    for data in (b"PK\x03\x04garbage" * 10, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, b"name,mobile\n"):
        with pytest.raises(WorkbookError, match="Excel"):
            read_sheet(data, 5000)
    client.force_login(changan_admin)
    broken = SimpleUploadedFile("officers.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    response = client.post(reverse(f"{OFFICERS}:import"), {"workbook": broken})
    assert response.status_code == 200 and "须为Excel (.xlsx)/Excel (.xls)文件" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_xls_with_a_cell_far_below_the_data_is_refused_before_it_is_read(changan_admin):
    report = OfficerImporter(changan_admin).run(xls([HEADERS, seed_row(1)], far_cell=(60000, 0)))
    assert "第60001行" in report.errors[0].message and not report.written


def test_the_qc_import_reads_xls_too():
    unit = FilingUnitFactory()
    rows = [QC_HEADERS, [1, "质量管理小组", "降低能耗", "攻坚QC小组", "示范石化", 8, "张三", datetime.date(2022, 5, 1)]]
    report = import_filings(unit, xls(rows), 2025)
    assert report.written == 1
    assert Filing.unscoped.get().founded_on == datetime.date(2022, 5, 1)


def test_the_catalogue_accepts_xls_and_gbk_csv_and_refuses_undecodable_text(client, orgs, make_admin):
    client.force_login(make_admin(orgs.platform, role=Role.PLATFORM))
    url = reverse("wagtailsnippets_standards_cataloguestandard:import")
    gbk = "类型,标准编号,标准名称\r\n国家标准,GB/T 13456-2014,钢化玻璃\r\n".encode("gbk")
    assert client.post(url, {"file": SimpleUploadedFile("目录.csv", gbk)}).status_code == 302
    book = xls([["类型", "标准编号", "标准名称"], ["行业标准", "QB/T 1234-2019", "食品包装用纸"]])
    assert client.post(url, {"file": SimpleUploadedFile("目录.xls", book)}).status_code == 302
    assert set(CatalogueStandard.objects.values_list("name", flat=True)) == {"钢化玻璃", "食品包装用纸"}
    garbage = SimpleUploadedFile("目录.csv", "类型,标准编号,标准名称\n".encode() + b"\xff\xfe\xfa\x80\x81")
    response = client.post(url, {"file": garbage})
    # Neither UTF-8 nor GBK text: refused by content, in the user's language, naming the field.
    assert response.status_code == 200 and "须为" in response.content.decode()
    assert CatalogueStandard.objects.count() == 2


def test_an_interrupted_import_is_marked_by_the_clock_and_retried_by_its_owner(
    client, changan_admin, make_admin, orgs, django_capture_on_commit_callbacks
):
    job = ImportJob.objects.create(user=changan_admin, original_name="cqo.xls")
    job.workbook.save("cqo.xls", ContentFile(xls([HEADERS, seed_row(1), seed_row(2)])))
    stale = timezone.now() - STALLED_AFTER - datetime.timedelta(minutes=1)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, processed_rows=1, heartbeat_at=stale)
    alive = ImportJob.objects.create(
        user=changan_admin, original_name="b.xlsx", status=ImportJob.Status.RUNNING, heartbeat_at=timezone.now()
    )

    call_command("fail_interrupted_imports")  # what the clock runs every minute (bin/cron minute)

    job.refresh_from_db()
    alive.refresh_from_db()
    assert job.status == ImportJob.Status.INTERRUPTED and job.finished_at is not None
    assert "导入意外中止，未写入任何数据" in job.errors[0]["message"] and "10分钟" in job.errors[0]["message"]
    assert alive.status == ImportJob.Status.RUNNING
    assert ChiefQualityOfficer.unscoped.count() == 0
    job_url = reverse(f"{OFFICERS}:import_job", args=[job.pk])

    client.force_login(make_admin(orgs.changan, role=Role.INSTITUTION))  # a colleague: not the owner
    assert client.post(job_url).status_code == 404
    client.force_login(changan_admin)
    page = client.get(job_url).content.decode()
    assert "导入意外中止" in page and "重新导入" in page
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(job_url).status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.created_count == 2
    assert client.post(job_url).status_code == 302  # retrying a finished job changes nothing
    assert ChiefQualityOfficer.unscoped.count() == 2
