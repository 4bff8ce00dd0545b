"""Batch import: duplicates skipped on re-import, every other error reported by row and column, nothing written."""

import datetime
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from filings.qcgroups.factories import FilingFactory, FilingUnitFactory
from filings.qcgroups.importing import HEADERS, MAX_ROWS, import_filings
from filings.qcgroups.models import Filing, FilingUnit
from registry.imports import WorkbookError

from .conftest import row, xlsx


@pytest.mark.django_db
def test_import_writes_all_rows_with_their_values(unit):
    rows = [row(1), row(2, topic="提高聚丙烯优级品率", group="精益班组", kind="质量信得过班组", members=12.0,
                   founded="2021/07/08")]  # fmt: skip
    report = import_filings(unit, xlsx(rows), 2025)
    assert report.ok and report.written == 2 and not report.skipped
    team = Filing.unscoped.get(group_name="精益班组")
    assert (team.kind, team.member_count, team.founded_on) == ("trusted_team", 12, datetime.date(2021, 7, 8))
    assert team.year == 2025 and team.source == Filing.Source.IMPORT and team.unit == unit


@pytest.mark.django_db
def test_reimport_skips_rows_already_on_file_and_never_overwrites(unit):
    import_filings(unit, xlsx([row(1, leader="张三")]), 2025)
    report = import_filings(unit, xlsx([row(1, leader="李四"), row(2, topic="新课题")]), 2025)
    assert report.written == 1
    assert [(number, topic) for number, topic, _group, _reason in report.skipped] == [(2, "降低催化装置能耗")]
    assert Filing.unscoped.get(topic="降低催化装置能耗").leader == "张三"
    assert Filing.unscoped.filter(unit=unit).count() == 2


@pytest.mark.django_db
def test_duplicates_within_one_file_are_skipped_with_the_first_row_named(unit):
    report = import_filings(unit, xlsx([row(1), row(2, group=" 攻坚QC小组 "), row(3, topic="另一课题")]), 2025)
    assert report.written == 2
    assert report.skipped[0][0] == 3 and "第2行" in report.skipped[0][3]


@pytest.mark.django_db
def test_same_topic_and_group_of_another_unit_is_not_a_duplicate(unit):
    other = FilingUnitFactory()
    FilingFactory(unit=other, topic="降低催化装置能耗", group_name="攻坚QC小组")
    assert import_filings(unit, xlsx([row(1)]), 2025).written == 1


@pytest.mark.django_db
def test_any_error_writes_nothing_and_names_row_and_column(unit):
    rows = [
        row(1),
        row(2, kind="车间小组", members=0),
        row(3, founded="2022-02-30", leader=""),
        row(4, members="七", founded=datetime.date(2999, 1, 1)),
    ]
    report = import_filings(unit, xlsx(rows), 2025)
    assert report.written == 0 and not Filing.unscoped.exists()
    found = {(error.row, error.column.split("（")[0]) for error in report.errors}
    assert found == {(3, "B"), (3, "F"), (4, "G"), (4, "H"), (5, "F"), (5, "H")}
    messages = " ".join(str(error) for error in report.errors)
    assert "第3行B列（类型）" in messages and "类型须为" in messages and "必填" in messages


@pytest.mark.django_db
def test_a_blank_row_inside_the_data_is_an_error_naming_the_rows_after_it(unit):
    rows = [row(1), [None] * 8, row(3, topic="空行之后"), row(4, topic="再之后"), [None] * 8]
    report = import_filings(unit, xlsx(rows), 2025)
    assert report.rows == 3 and report.written == 0 and not Filing.unscoped.exists()
    (error,) = report.errors
    assert error.row == 3 and "第4–5行" not in error.message and "4, 5" in error.message


@pytest.mark.django_db
def test_wrong_header_or_non_xlsx_is_refused(unit):
    with pytest.raises(WorkbookError, match="缺少列"):
        import_filings(unit, xlsx([row(1)], headers=["序号", "课题名称"]), 2025)
    with pytest.raises(WorkbookError, match="xlsx"):
        import_filings(unit, BytesIO(b"not a workbook"), 2025)


@pytest.mark.django_db
def test_row_cap(unit):
    rows = [row(n, topic=f"课题{n}") for n in range(1, MAX_ROWS + 2)]
    with pytest.raises(WorkbookError, match=str(MAX_ROWS)):
        import_filings(unit, xlsx(rows), 2025)
    assert not Filing.unscoped.exists()


@pytest.mark.django_db
def test_group_name_with_unit_or_department_prefix_warns_but_imports(unit):
    rows = [row(1, group="沧州示范石化攻坚小组"), row(2, topic="二", group="催化车间蓝天小组"), row(3, topic="三")]
    report = import_filings(unit, xlsx(rows), 2025)
    assert report.written == 3
    assert [number for number, _warning in report.warnings] == [2, 3]


@pytest.mark.django_db
def test_import_page_reports_skips_and_errors(client, unit):
    client.force_login(unit.account)
    FilingFactory(unit=unit, topic="降低催化装置能耗", group_name="攻坚QC小组")

    def upload(content):
        file = SimpleUploadedFile("filings.xlsx", content.getvalue())
        return client.post(reverse("qcgroups_import"), {"file": file, "year": "2025"})

    page = upload(xlsx([row(1), row(2, topic="新课题")])).content.decode()
    assert "已导入 1 条，跳过 1 条" in page
    from wagtail.models import ModelLogEntry

    from registry.reports import IMPORT_ACTION

    entry = ModelLogEntry.objects.get(action=IMPORT_ACTION)
    assert entry.user == unit.account and entry.data == {"file": "filings.xlsx", "created": 1, "unchanged": 1}
    page = upload(xlsx([row(1, topic="再一个", members=-3)])).content.decode()
    assert "未写入任何数据" in page and "F 人数" in page
    assert Filing.unscoped.filter(unit=unit).count() == 2
    renamed = client.post(
        reverse("qcgroups_import"), {"file": SimpleUploadedFile("x.xlsx", b"MZ\x90\x00"), "year": "2025"}
    )
    assert "须为Excel (.xlsx)/Excel (.xls)文件" in renamed.content.decode()


@pytest.mark.django_db
def test_template_has_header_example_and_type_dropdown(client, unit):
    client.force_login(unit.account)
    response = client.get(reverse("qcgroups_import_template"))
    workbook = load_workbook(BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADERS
    lists = [validation for validation in sheet.data_validations.dataValidation if validation.type == "list"]
    assert "质量信得过班组" in lists[0].formula1 and "B2" in str(lists[0].sqref)
    # The template itself, filled as delivered, imports its example row.
    import_filings(unit, BytesIO(response.content), 2025)
    assert Filing.unscoped.filter(unit=unit, topic=sheet["C2"].value).exists()


@pytest.mark.django_db
def test_command_imports_then_exits_non_zero_when_nothing_new(tmp_path, unit, capsys):
    path = tmp_path / "filings.xlsx"
    path.write_bytes(xlsx([row(1), row(2, topic="第二个课题")]).getvalue())
    login = unit.account.username
    call_command("import_qc_filings", str(path), "--unit", login, "--dry-run", "--year", "2024")
    assert not Filing.unscoped.exists()
    call_command("import_qc_filings", str(path), "--unit", login, "--year", "2024")
    assert Filing.unscoped.filter(unit=unit, year=2024).count() == 2
    with pytest.raises(CommandError, match="没有新数据"):
        call_command("import_qc_filings", str(path), "--unit", login)
    assert "跳过" in capsys.readouterr().out


@pytest.mark.django_db
def test_command_refuses_errors_unknown_and_unapproved_units(tmp_path, unit):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx([row(1, members="many")]).getvalue())
    with pytest.raises(CommandError, match="未写入任何数据"):
        call_command("import_qc_filings", str(path), "--unit", unit.account.username)
    with pytest.raises(CommandError, match="没有登录账号为"):
        call_command("import_qc_filings", str(path), "--unit", "nobody")
    pending = FilingUnitFactory(status=FilingUnit.Status.PENDING)
    with pytest.raises(CommandError, match="尚未审核通过"):
        call_command("import_qc_filings", str(path), "--unit", pending.account.username)
    assert not Filing.unscoped.exists()
