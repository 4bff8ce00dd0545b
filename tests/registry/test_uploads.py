"""xlsx bombs are refused with a clear message before any spreadsheet library opens them; genuine workbooks pass.

The bombs are real zip files built with :mod:`zipfile`, streamed so a 200 MB part never sits in memory.
"""

import io
import itertools
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from filings.qcgroups.factories import FilingUnitFactory
from filings.qcgroups.models import Filing
from filings.qcgroups.spreadsheets import import_template
from registry.models import ChiefQualityOfficer, Enterprise, ImportJob
from registry.officers.columns import COLUMNS
from registry.officers.factories import import_row
from registry.officers.importing import OfficerImporter
from registry.officers.workbooks import template_workbook
from registry.uploads import check_xlsx

MB = 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"
NAMESPACE = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def saved(workbook):
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def small_workbook():
    workbook = Workbook()
    workbook.active.append(["序号", "姓名"])
    workbook.active.append([1, "张明"])
    return saved(workbook)


def rebuilt(parts, base=None):
    """A copy of ``base`` with ``parts`` added or replaced; a part is bytes or an iterable of chunks, streamed."""
    source = zipfile.ZipFile(io.BytesIO(base or small_workbook()))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for info in source.infolist():
            if info.filename not in parts:
                archive.writestr(info.filename, source.read(info))
        for name, content in parts.items():
            with archive.open(name, "w") as member:
                for chunk in [content] if isinstance(content, bytes) else content:
                    member.write(chunk)
    return output.getvalue()


def sheet(rows, dimension=b"A1:B2", namespace=NAMESPACE):
    """A worksheet part whose sheetData holds ``rows`` (bytes of <row> elements)."""
    yield b'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet ' + namespace + b'><dimension ref="' + dimension + b'"/>'
    yield b"<sheetData>"
    yield from rows
    yield b"</sheetData></worksheet>"


def value_rows(count):
    return (b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (n, n, n) for n in range(1, count + 1))


def refusal(data):
    with pytest.raises(ValidationError) as refused:
        check_xlsx(data)
    return refused.value.error_list[0].code, refused.value.messages[0]


@pytest.fixture(scope="module")
def shared_strings_bomb():
    """200 MB of zeros in sharedStrings.xml: about 1 MB zipped, far below the 10 MB upload limit."""
    zeros = b"0" * MB
    text = itertools.chain([b"<sst " + NAMESPACE + b"><si><t>"], itertools.repeat(zeros, 200), [b"</t></si></sst>"])
    return rebuilt({"xl/sharedStrings.xml": text})


@pytest.mark.django_db
def test_genuine_workbooks_pass(orgs):
    full = Workbook(write_only=True)
    rows = full.create_sheet()
    rows.append([column.header for column in COLUMNS])
    for number in range(1, 5001):
        rows.append(import_row(number))
    for data in (template_workbook(), saved(full), saved(import_template()), small_workbook()):
        check_xlsx(data)
    upload = SimpleUploadedFile("cqo.xlsx", small_workbook())
    upload.seek(5)
    check_xlsx(upload)
    assert upload.tell() == 5  # the upload is left where it was


def test_huge_shared_strings_are_refused(shared_strings_bomb):
    assert len(shared_strings_bomb) < 2 * MB
    code, message = refusal(shared_strings_bomb)
    assert code == "xlsx_shared_strings"
    assert "sharedStrings.xml" in message and "200.0 MB" in message and "上限20 MB" in message


def test_an_absurd_compression_ratio_is_refused():
    code, message = refusal(rebuilt({"xl/media/image1.png": b"\0" * (5 * MB)}))
    assert code == "xlsx_ratio"
    assert "“xl/media/image1.png”" in message and "压缩炸弹" in message


def test_too_much_unpacked_content_is_refused():
    parts = {f"xl/media/image{n}.png": b"\0" * MB for n in range(60)}  # each 1 MB, too small for the ratio check
    code, message = refusal(rebuilt(parts))
    assert code == "xlsx_unpacked"
    assert "60.0 MB" in message and "上限50 MB" in message


def test_too_many_members_are_refused():
    data = rebuilt({f"xl/media/{n}.bin": b"" for n in range(1001)})
    code, message = refusal(data)
    members = len(zipfile.ZipFile(io.BytesIO(data)).infolist())
    assert code == "xlsx_members" and f"包含{members}个内部文件，超过上限1000个" in message


def test_a_huge_dimension_over_a_few_rows_passes_but_not_over_real_rows():
    check_xlsx(rebuilt({SHEET: sheet(value_rows(3), dimension=b"A1:XFD1048576")}))
    code, message = refusal(rebuilt({SHEET: sheet(value_rows(6000), dimension=b"A1:XFD1048576")}))
    assert code == "xlsx_rows"
    assert "第5011行" in message and "5000" in message


def test_one_far_cell_is_refused():
    """A value at XFD1048576 next to A1 makes calamine allocate a 512 GB grid (the worker aborts)."""
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    code, message = refusal(rebuilt({SHEET: sheet([*value_rows(1), far])}))
    assert code == "xlsx_rows" and "1048576" in message
    code, message = refusal(rebuilt({SHEET: sheet([b'<row r="2"><c r="XFD2"><v>1</v></c></row>'])}))
    assert code == "xlsx_columns" and "XFD" in message and "100" in message


def test_cells_written_unusually_are_parsed_exactly():
    prefixed = b'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    far = b'<x:row r="9000"><x:c r="A9000"><x:v>1</x:v></x:c></x:row>'
    assert refusal(rebuilt({SHEET: sheet([far], namespace=prefixed)}))[0] == "xlsx_rows"
    unnumbered = b"<row>" + b"<c><v>1</v></c>" * 101 + b"</row>"
    code, message = refusal(rebuilt({SHEET: sheet([unnumbered])}))
    assert code == "xlsx_columns" and "CW" in message
    rows = b"<row/>" * 6000 + b"<row><c><f>1+1</f></c></row>"
    assert refusal(rebuilt({SHEET: sheet([rows])}))[0] == "xlsx_rows"
    styled_only = b'<row r="60000"><c r="A60000" s="1"/><c r="XFD60000" s="1"/></row><row r="60001"/>'
    check_xlsx(rebuilt({SHEET: sheet([*value_rows(2), styled_only])}))  # formatting without content is harmless


def test_files_that_are_no_workbook_are_refused():
    entities = b"".join(b'<!ENTITY l%d "%s">' % (n + 1, b"&l%d;" % n * 10) for n in range(9))
    laughs = b'<?xml version="1.0"?><!DOCTYPE workbook [<!ENTITY l0 "lol">' + entities + b"]><workbook>&l9;</workbook>"
    for data in (b"PK\x03\x04 not a zip", rebuilt({"xl/workbook.xml": laughs}), rebuilt({"xl/workbook.xml": b"<a/>"})):
        code, message = refusal(data)
        assert code == "xlsx_unreadable" and "不是有效的 Excel 工作簿" in message


@pytest.mark.django_db
def test_the_officer_import_page_refuses_a_bomb_and_queues_nothing(client, orgs, make_admin, shared_strings_bomb):
    client.force_login(make_admin(orgs.changan))
    upload = SimpleUploadedFile("cqo.xlsx", shared_strings_bomb)
    response = client.post(reverse("wagtailsnippets_registry_chiefqualityofficer:import"), {"workbook": upload})
    assert response.status_code == 200
    assert "sharedStrings.xml" in response.content.decode() and "200.0 MB" in response.content.decode()
    assert not ImportJob.objects.exists() and not ChiefQualityOfficer.unscoped.exists()


@pytest.mark.django_db
def test_the_officer_importer_refuses_data_far_below_the_rows_it_reads(orgs, make_admin):
    """Reading stops at the first empty row, so without the check row 2 would be imported."""
    workbook = Workbook()
    workbook.active.append([column.header for column in COLUMNS])
    workbook.active.append(import_row(1))
    workbook.active["A6000"] = "备注"
    report = OfficerImporter(make_admin(orgs.changan)).run(saved(workbook))
    assert not report.written and "第6000行有数据" in report.errors[0].message
    assert not ChiefQualityOfficer.unscoped.exists() and not Enterprise.unscoped.exists()


@pytest.mark.django_db
def test_the_qc_filing_import_refuses_a_bomb_and_writes_nothing(client, shared_strings_bomb):
    unit = FilingUnitFactory()
    client.force_login(unit.account)
    upload = SimpleUploadedFile("filings.xlsx", shared_strings_bomb)
    response = client.post(reverse("qcgroups_import"), {"file": upload, "year": "2025"})
    assert "sharedStrings.xml" in response.content.decode()
    assert not Filing.unscoped.exists()
