"""Every export in the project goes through registry.exports: formulas neutralised, labels, 是/否, local time.

Each export below is fetched with records whose text is hostile (``=HYPERLINK(…)``, ``+1+1``, ``@SUM(1)``):
no cell may run as a formula in Excel, CSV starts with a byte-order mark, and no sheet is called "Sheet1".
"""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.log_actions import log
from wagtail.models import Page

from filings.awards.review import submit
from filings.qcgroups.factories import FilingFactory as QcFilingFactory
from filings.qcgroups.factories import FilingUnitFactory
from filings.qcgroups.models import secretariat
from filings.standards.factories import CatalogueStandardFactory, DisclosedStandardFactory
from registry.exports import FORMULA_STARTS, ExportWorkbook, csv_rows, labelled
from registry.factories import EnterpriseFactory
from registry.models import ChiefQualityOfficer, Division, EnterpriseSize, ReviewStatus
from registry.officers.factories import OfficerFactory
from registry.officers.submission import bulk_submit
from registry.officers.workbooks import marked_workbook
from tests.filings.awards.conftest import (  # noqa: F401 - fixtures for the award export
    applicant,
    application,
    association,
    association_admin,
    hebei_admin,
    programme,
)

pytestmark = pytest.mark.django_db
HYPERLINK, PLUS, AT = '=HYPERLINK("http://x","y")', "+1+1", "@SUM(1)"
HOSTILE = (HYPERLINK, PLUS, AT)
OFFICERS = "wagtailsnippets_registry_chiefqualityofficer"


def content_of(response):
    assert response.status_code == 200, response.status_code
    assert "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content) if response.streaming else response.content


def cells(content):
    """(text, neutralised) for every text cell of an xlsx or CSV file, after checking names and the BOM."""
    if content.startswith(b"PK"):
        workbook = load_workbook(io.BytesIO(content))
        assert not {"Sheet", "Sheet1", "sheet1"} & set(workbook.sheetnames), workbook.sheetnames
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", cell.value
                    if isinstance(cell.value, str):
                        yield cell.value, cell.data_type == "s" and bool(cell.quotePrefix)
        return
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    for row in csv.reader(io.StringIO(text[1:])):
        for value in row:
            yield value.removeprefix("'"), value.startswith("'")


def assert_neutralised(content, planted=HOSTILE):
    """Nothing in the file runs as a formula, and each planted text is there, as text."""
    found = list(cells(content))
    runnable = [value for value, neutralised in found if value.startswith(FORMULA_STARTS) and not neutralised]
    assert not runnable
    texts = {value for value, _neutralised in found}
    for text in planted:
        assert any(text in value for value in texts), text
    return texts


@pytest.fixture
def hostile_officer(orgs, admins):
    enterprise = EnterpriseFactory(name=AT, region=Division.objects.get(code="130102"), size=EnterpriseSize.SMALL,
                                   industry=None, employees=None, revenue=None)  # fmt: skip
    officer = OfficerFactory(enterprise=enterprise, real_name=HYPERLINK, position=PLUS, enabled=True)
    return officer


def csv_table(content):
    rows = list(csv.reader(io.StringIO(content.decode("utf-8")[1:])))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_officer_listing_exports_labels_local_time_and_neutralised_text(client, admins, hostile_officer, export_format):
    client.force_login(admins.changan)
    content = content_of(client.get(reverse(f"{OFFICERS}:list"), {"export": export_format}))
    texts = assert_neutralised(content)
    assert {"男", "是", "小型", ReviewStatus(hostile_officer.review_status).label} <= texts
    assert not {"M", "True", "small", "pending"} & texts
    created = timezone.localtime(hostile_officer.created_at).replace(microsecond=0, tzinfo=None)
    if export_format == "csv":
        (row,) = csv_table(content)
        assert created.strftime("%Y-%m-%d %H:%M:%S") in row.values()
        assert not any("+00:00" in value or re.search(r"\.\d{6}", value) for value in row.values())
    else:
        sheet = load_workbook(io.BytesIO(content)).active
        assert sheet.title == "首席质量官"
        assert created in [cell.value for cell in sheet[2]]


def test_every_admin_export_neutralises_hostile_text(client, admins, orgs, hostile_officer):
    """The listings and reports of the admin, each in both formats."""
    hostile_officer.refresh_from_db()
    bulk_submit([hostile_officer], admins.changan)  # the workflow reports list it
    log(hostile_officer, "wagtail.edit", user=admins.changan)  # the site history lists it
    DisclosedStandardFactory(enterprise=hostile_officer.enterprise, name=HYPERLINK, number=PLUS)
    CatalogueStandardFactory(name=HYPERLINK, number="GB/T 1-2020")
    page = Page.objects.filter(depth=3, live=True).first().specific
    page.title, page.locked, page.locked_by, page.locked_at = HYPERLINK, True, admins.platform, timezone.now()
    page.save_revision().publish()
    exports = {
        "officers": (admins.changan, reverse(f"{OFFICERS}:list"), HOSTILE),
        "site history": (admins.changan, "/admin/reports/site-history/", (HYPERLINK,)),
        "workflows": (admins.changan, "/admin/reports/workflow/", (HYPERLINK,)),
        "workflow tasks": (admins.changan, "/admin/reports/workflow_tasks/", (HYPERLINK,)),
        "regional progress": (admins.changan, reverse("statistics:progress"), ()),
        "enterprises without a CQO": (admins.changan, reverse("statistics:uncovered"), (AT,)),
        "disclosed standards": (
            admins.hebei,
            reverse("wagtailsnippets_standards_disclosedstandard:list"),
            (HYPERLINK, PLUS, AT),
        ),  # fmt: skip
        "standards catalogue": (
            admins.platform,
            reverse("wagtailsnippets_standards_cataloguestandard:list"),
            (HYPERLINK,),
        ),  # fmt: skip
    }
    for name, (user, url, planted) in exports.items():
        client.force_login(user)
        for export_format in ("csv", "xlsx"):
            try:
                assert_neutralised(content_of(client.get(url, {"export": export_format})), planted)
            except AssertionError as error:
                raise AssertionError(f"{name} ({export_format}): {error}") from error


def test_statistics_workbook_is_named_and_safe(client, admins, hostile_officer):
    client.force_login(admins.changan)
    response = client.get(reverse("statistics:export", args=["all"]))
    assert_neutralised(content_of(response), planted=())
    assert ".xlsx" in response["Content-Disposition"] and "statistics-all" not in response["Content-Disposition"]


def test_qc_summaries_of_the_unit_and_the_secretariat(client, make_admin):
    unit = FilingUnitFactory(name=AT)
    QcFilingFactory(unit=unit, topic=HYPERLINK, leader=PLUS)
    client.force_login(unit.account)
    assert_neutralised(content_of(client.get(reverse("qcgroups_summary_xlsx"))))
    client.force_login(make_admin(secretariat()))
    assert_neutralised(content_of(client.get(reverse("qcgroups_admin_summary_xlsx"))))


def test_award_applications_workbook(client, application, applicant, association_admin):  # noqa: F811
    application.project.name = HYPERLINK
    application.project.save()
    application.filing.name = AT
    application.filing.save()
    submit(application, applicant)
    client.force_login(association_admin)
    content = content_of(client.get(reverse("award_applications:export")))
    texts = assert_neutralised(content, planted=(HYPERLINK, AT))
    sheet = load_workbook(io.BytesIO(content))["申报"]
    submitted = [row[6] for row in sheet.iter_rows(min_row=2, values_only=True)][0]
    application.refresh_from_db()
    assert submitted == timezone.localtime(application.submitted_at).replace(microsecond=0, tzinfo=None)
    assert application.get_state_display() in texts


def test_error_workbook_of_an_import(orgs):
    from openpyxl import Workbook

    book = Workbook()
    for row, values in enumerate([["真实姓名*", "手机号*"], [HYPERLINK, PLUS], [AT, "13900000000"]], start=1):
        for column, value in enumerate(values, start=1):
            book.active.cell(row, column, value).data_type = "s"  # typed text, as Excel stores it
    data = io.BytesIO()
    book.save(data)
    errors = [{"row": 2, "column": "B", "header": "手机号*", "value": PLUS, "message": "手机号格式不正确"}]
    content = marked_workbook(data.getvalue(), errors)
    assert_neutralised(content)
    marked = load_workbook(io.BytesIO(content))
    first = marked.worksheets[0]
    assert first["B2"].comment.text == "手机号格式不正确" and first["B2"].fill.fgColor.rgb.endswith("FFC7CE")
    assert [cell.value for cell in marked.worksheets[1][2]][:2] == [2, "B"]


def test_the_writer_itself():
    """One place for what a cell holds: labels, 是/否, local time, text, numbers."""
    officer = ChiefQualityOfficer(gender="F", review_status=ReviewStatus.APPROVED)
    assert labelled(officer, "gender") == "女" and labelled(officer, "review_status") == "已审核"
    moment = datetime.datetime(2026, 12, 5, 13, 56, 22, 878124, tzinfo=datetime.UTC)
    text = "".join(csv_rows(["a", "b", "c", "d", "e"], [[True, False, moment, None, "-3"], [1.5, 2, "x", "", "\t1"]]))
    assert text.splitlines() == ["\ufeffa,b,c,d,e", "是,否,2026-12-05 21:56:22,,'-3", "1.5,2,x,,'\t1"]
    workbook = ExportWorkbook()
    workbook.sheet("河北/石家庄: [统计]", ["时间", "数"]).append([moment, 3])
    sheet = load_workbook(io.BytesIO(workbook.content())).active
    assert sheet.title == "河北石家庄 统计"
    assert sheet["A2"].value == datetime.datetime(2026, 12, 5, 21, 56, 22) and sheet["B2"].value == 3
