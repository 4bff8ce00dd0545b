"""Excel batch import of Chief Quality Officers: template, validation report, all-or-nothing, re-import, command."""

import io
import re
import time

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook
from wagtail.models import WorkflowState

from registry.factories import EnterpriseFactory, make_mobile, make_resident_id, make_uscc
from registry.models import ChiefQualityOfficer, Enterprise, ReviewStatus, Role
from registry.officers.columns import COLUMNS
from registry.officers.factories import import_row
from registry.officers.importing import OfficerImporter
from registry.officers.workbooks import template_workbook

HEADERS = [column.header for column in COLUMNS]


def row(serial, region="130102", **overrides):
    return import_row(serial, region=region, **{"natures": "PRIVATE,LISTED", **overrides})


def workbook_bytes(rows, headers=HEADERS, extra=None):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for values in rows:
        sheet.append(values)
    if extra:
        extra(sheet)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


@pytest.fixture
def hebei_admin(orgs, make_admin):
    return make_admin(orgs.changan, role=Role.INSTITUTION)


@pytest.mark.django_db
def test_template_has_the_seed_columns_drop_downs_codes_and_an_example(orgs):
    workbook = load_workbook(io.BytesIO(template_workbook()))
    sheet = workbook["首席质量官"]
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert sheet["A2"].value == "示例"
    assert "代码说明" in workbook.sheetnames
    formulas = {validation.formula1 for validation in sheet.data_validations.dataValidation}
    assert any("代码说明" in formula for formula in formulas)
    codes = [cell.value for cell in workbook["代码说明"]["G"]]
    assert "民营" in codes  # 企业性质 in Chinese, offered as a drop-down
    assert any("代码说明'!$G$4" in formula for formula in formulas)


@pytest.mark.django_db
def test_valid_workbook_is_written_as_pending_records_in_the_review_queue(hebei_admin, orgs):
    report = OfficerImporter(hebei_admin).run(workbook_bytes([row(1), row(2), row(3)]))
    assert report.errors == []
    assert report.created == 3
    officers = ChiefQualityOfficer.unscoped.order_by("id")
    assert officers.count() == 3
    first = officers[0]
    assert first.live is False
    assert first.review_status == ReviewStatus.PENDING
    assert first.organisation == orgs.changan
    assert first.enterprise.region_id == "130102"
    assert sorted(first.enterprise.economic_types.values_list("code", flat=True)) == ["LISTED", "PRIVATE"]
    assert first.birth_date.isoformat() == "1960-01-01"
    state = WorkflowState.objects.for_instance(first).get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by == hebei_admin
    assert state.current_task_state.revision == first.latest_revision


@pytest.mark.django_db
def test_reimporting_the_same_file_creates_no_duplicates(hebei_admin):
    data = workbook_bytes([row(1), row(2)])
    OfficerImporter(hebei_admin).run(data)
    again = OfficerImporter(hebei_admin).run(data)
    assert again.errors == []
    assert (again.created, again.unchanged) == (0, 2)
    assert ChiefQualityOfficer.unscoped.count() == 2
    assert Enterprise.unscoped.count() == 2


@pytest.mark.django_db
def test_a_dozen_kinds_of_mistakes_write_nothing_and_are_each_reported(hebei_admin, orgs):
    taken = EnterpriseFactory(uscc=make_uscc(799_999, "130102"), region_id="130102")
    ChiefQualityOfficer.objects.create(
        enterprise=taken, organisation=orgs.changan, real_name="已有人", gender="M", mobile=make_mobile(1), live=False
    )
    bad_rows = [
        row(1, real_name=""),  # 2: required
        row(2, gender="未知"),  # 3: choice
        row(3, mobile="12345"),  # 4: mobile
        row(4, uscc=make_uscc(704, "130102")[:-1] + "0"),  # 5: USCC check character
        row(5, id_number=make_resident_id(5, "130102")[:-1] + "0"),  # 6: ID check digit
        row(6, region="990000"),  # 7: unknown region
        row(7, region="110105", uscc=make_uscc(707, "110105")),  # 8: outside subtree
        row(8, industry="9999"),  # 9: unknown industry
        row(9, natures="PRIVATE,赌场"),  # 10: nature
        row(10, appointment_date="昨天"),  # 11: date
        row(11, email="not-an-email"),  # 12: e-mail
        row(12, uscc=make_uscc(701, "130102")),  # 13: ok itself …
        row(13, uscc=make_uscc(701, "130102")),  # 14: … but the same enterprise twice in the file
        row(14, postcode="0500"),  # 15: postcode
        row(15, education="小学"),  # 16: education choice
    ]
    report = OfficerImporter(hebei_admin).run(workbook_bytes(bad_rows))
    assert report.written is False
    assert ChiefQualityOfficer.unscoped.count() == 1
    assert Enterprise.unscoped.count() == 1
    found = {(error.row, error.column) for error in report.errors}
    letter = {column.key: chr(65 + index) for index, column in enumerate(COLUMNS)}
    expected = {
        (2, letter["real_name"]),
        (3, letter["gender"]),
        (4, letter["mobile"]),
        (5, letter["uscc"]),
        (6, letter["id_number"]),
        (7, letter["region"]),
        (8, letter["region"]),
        (9, letter["industry"]),
        (10, letter["natures"]),
        (11, letter["appointment_date"]),
        (12, letter["email"]),
        (14, letter["uscc"]),
        (15, letter["postcode"]),
        (16, letter["education"]),
    }
    assert expected <= found
    assert all(re.search("[\u4e00-\u9fff]", error.message) for error in report.errors)  # the user's language
    duplicate = next(error for error in report.errors if error.row == 14)
    assert "13" in duplicate.message


@pytest.mark.django_db
def test_one_officer_per_enterprise_against_the_database(hebei_admin, orgs):
    enterprise = EnterpriseFactory(uscc=make_uscc(700_001, "130102"), region_id="130102")
    ChiefQualityOfficer.objects.create(
        enterprise=enterprise, organisation=orgs.changan, real_name="另一人", gender="F", mobile=make_mobile(9)
    )
    report = OfficerImporter(hebei_admin).run(workbook_bytes([row(1), row(2)]))
    assert [error.row for error in report.errors] == [2]
    assert "已有首席质量官" in report.errors[0].message
    assert ChiefQualityOfficer.unscoped.count() == 1


@pytest.mark.django_db
def test_marked_workbook_comments_each_bad_cell(hebei_admin):
    from registry.officers.workbooks import marked_workbook

    data = workbook_bytes([row(1, mobile="123")])
    report = OfficerImporter(hebei_admin).run(data)
    marked = load_workbook(io.BytesIO(marked_workbook(data, [error.as_dict() for error in report.errors])))
    cell = marked.active[f"{report.errors[0].column}2"]
    assert cell.comment is not None and "手机" in cell.comment.text
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")


@pytest.mark.django_db
def test_a_sheet_with_a_cell_in_its_millionth_row_is_refused_before_it_is_read(hebei_admin):
    """A reader builds the grid up to the farthest cell: a value in row 1,048,576 would cost gigabytes."""

    def far_cell(sheet):
        sheet["A1048576"] = "x"

    data = workbook_bytes([row(1)], extra=far_cell)
    started = time.monotonic()
    report = OfficerImporter(hebei_admin).run(data)
    assert time.monotonic() - started < 10
    assert "第1048576行有数据" in report.errors[0].message
    assert "第1048576行" in report.errors[0].message
    assert not report.written and ChiefQualityOfficer.unscoped.count() == 0


@pytest.mark.django_db
def test_file_level_errors(hebei_admin):
    assert "Excel" in OfficerImporter(hebei_admin).run(b"%PDF-1.4 not a workbook").errors[0].message
    missing = OfficerImporter(hebei_admin).run(workbook_bytes([["张三"]], headers=["真实姓名*"]))
    assert "缺少列" in missing.errors[0].message
    rows = [row(n) for n in range(1, 5002)]
    too_many = OfficerImporter(hebei_admin).run(workbook_bytes(rows))
    assert "5000" in too_many.errors[0].message


@pytest.mark.django_db
def test_command_imports_reports_and_writes_the_template(hebei_admin, tmp_path, capsys):
    template = tmp_path / "template.xlsx"
    call_command("import_officers", "--template", str(template))
    assert load_workbook(template).sheetnames[0] == "首席质量官"

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook_bytes([row(1, mobile="1")]))
    with pytest.raises(CommandError):
        call_command("import_officers", str(bad), "--user", hebei_admin.username)
    assert "第2行" in capsys.readouterr().out

    good = tmp_path / "good.xlsx"
    good.write_bytes(workbook_bytes([row(1), row(2)]))
    with pytest.raises(CommandError):
        call_command("import_officers", str(good), "--user", hebei_admin.username, "--dry-run")
    assert ChiefQualityOfficer.unscoped.count() == 0
    call_command("import_officers", str(good), "--user", hebei_admin.mobile)
    assert ChiefQualityOfficer.unscoped.count() == 2
    with pytest.raises(CommandError):  # nothing new to write
        call_command("import_officers", str(good), "--user", hebei_admin.username)


@pytest.mark.django_db
def test_admin_upload_runs_as_a_task_with_progress_and_a_marked_workbook(
    client, hebei_admin, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from registry.models import ImportJob

    admin = "wagtailsnippets_registry_chiefqualityofficer"
    client.force_login(hebei_admin)
    assert client.get(reverse(f"{admin}:import")).status_code == 200
    template = client.get(reverse(f"{admin}:import_template"))
    assert template.content.startswith(b"PK")

    bad = SimpleUploadedFile("officers.xlsx", workbook_bytes([row(1), row(2, mobile="888")]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(f"{admin}:import"), {"workbook": bad})
    job = ImportJob.objects.get()
    assert response["Location"] == reverse(f"{admin}:import_job", args=[job.pk])
    progress = client.get(response["Location"], {"format": "json"}).json()
    assert progress == {"status": "failed", "percent": 100, "finished": True, "processed": 2, "total": 2}
    page = client.get(response["Location"]).content.decode()
    assert "888" in page and "没有写入任何数据" in page
    marked = client.get(job.marked_workbook.url)
    sheet = load_workbook(io.BytesIO(b"".join(marked.streaming_content))).active
    assert sheet[f"{job.errors[0]['column']}3"].comment is not None
    assert ChiefQualityOfficer.unscoped.count() == 0

    good = SimpleUploadedFile("officers.xlsx", workbook_bytes([row(1), row(2)]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse(f"{admin}:import"), {"workbook": good})
    assert ImportJob.objects.latest("created_at").status == "done"
    assert ChiefQualityOfficer.unscoped.filter(live=False).count() == 2

    not_xlsx = SimpleUploadedFile("officers.xlsx", b"%PDF-1.4 fake")
    assert "xlsx" in client.post(reverse(f"{admin}:import"), {"workbook": not_xlsx}).content.decode()


@pytest.mark.django_db
def test_progress_is_reported_against_the_estimated_row_count(hebei_admin):
    from django.core.files.base import ContentFile

    from registry.models import ImportJob
    from registry.officers import tasks

    seen = []
    original = tasks.OfficerImporter

    class Recording(original):
        def __init__(self, user, on_progress=None):
            def record(done, total):
                on_progress(done, total)
                seen.append(ImportJob.objects.values_list("processed_rows", "total_rows").get())

            super().__init__(user, on_progress=record)

    job = ImportJob.objects.create(user=hebei_admin, original_name="big.xlsx")
    job.workbook.save("big.xlsx", ContentFile(workbook_bytes([row(n) for n in range(1, 1201)])))
    tasks.OfficerImporter = Recording
    try:
        tasks.run_import_job(job)
    finally:
        tasks.OfficerImporter = original
    assert seen[0] == (500, 1200) and seen[1] == (1000, 1200)
    job.refresh_from_db()
    assert (job.status, job.progress_percent, job.created_count) == ("done", 100, 1200)
