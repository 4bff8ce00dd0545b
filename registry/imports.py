"""The one spreadsheet reader and import base, used by every importer (officers, QC filings, the catalogue).

:func:`read_sheet` reads the first sheet of an .xlsx or .xls workbook with python-calamine (Rust, both
formats), after refusing files that would explode when opened (``registry.uploads.check_xlsx``, and
:func:`check_xls` for the older format); importers that take CSV get UTF-8 or GBK (Excel's default on Chinese
Windows) decoded. :class:`SheetImport` matches the header row to an importer's columns by name, computes each
column's letter once, yields the data rows and collects :class:`RowError` s naming row, column letter and field
in the user's language. A blank row inside the data is an error naming the rows after it: a reader that
stopped there would silently drop them.
"""

import csv
import datetime
import io
import re
import struct
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.utils import get_column_letter

from .uploads import XLSX_HEADER_ROWS, check_xlsx, refuse_cell

MB = 1024 * 1024
MAX_FILE_BYTES = 10 * MB
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: The ``accept`` attribute of a workbook upload field.
WORKBOOK_ACCEPT = ".xlsx,.xls"

#: BIFF8 records that put a value in a cell (row and first column in their first four bytes).
XLS_CELL_RECORDS = {0x0006, 0x00BD, 0x00D6, 0x00FD, 0x0203, 0x0204, 0x0205, 0x027E}
XLS_MULRK = 0x00BD


class WorkbookError(ValueError):
    """The file as a whole cannot be imported; the message says why, in the user's language."""


@dataclass
class RowError:
    """One problem: spreadsheet row (1-based, as Excel shows it; 0 for the whole file), column letter, field."""

    row: int
    column: str
    header: str
    value: str
    message: str

    def as_dict(self):
        return {"row": self.row, "column": self.column, "header": self.header, "value": self.value,
                "message": self.message}  # fmt: skip

    def __str__(self):
        if not self.row:
            return self.message
        place = _("Row %(row)d") % {"row": self.row}
        if self.column:
            place = _("Row %(row)d, column %(column)s (%(header)s)") % {
                "row": self.row,
                "column": self.column,
                "header": self.header,
            }
        value = f" “{self.value}”" if self.value not in ("", None) else ""
        return f"{place}{value}: {self.message}"


def header_key(title):
    """Header text without the required-mark and remarks in brackets: "性别*（单选）" → "性别"."""
    return re.sub(r"[*＊]|[（(].*?[)）]", "", str(title or "")).strip()


def cell_text(value):
    """A cell as trimmed text: whole numbers without ".0" (calamine reads every number as a float), dates ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


DATE_PATTERN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(value):
    """A date cell, or text such as 2024-03-01, 2024/3/1 or 2024年3月1日; ``ValueError`` otherwise."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = DATE_PATTERN.match(cell_text(value))
    if not match:
        raise ValueError(value)
    return datetime.date(*map(int, match.groups()))


def workbook_kind(data):
    if data.startswith(XLSX_MAGIC):
        return "xlsx"
    if data.startswith(XLS_MAGIC):
        return "xls"
    return None


def check_xls(data, max_rows):
    """Refuse an .xls whose sheets hold a value beyond the row or column limits, before calamine reads it.

    calamine allocates a dense grid from the first to the farthest cell, so a few bytes at A1 and IV65536
    cost half a gigabyte. BIFF8 cell records carry their row and column in their first four bytes.
    """
    import olefile

    try:
        with olefile.OleFileIO(data) as ole:
            name = next(name for name in ("Workbook", "Book", "WORKBOOK", "BOOK") if ole.exists(name))
            stream = ole.openstream(name).read()
    except (OSError, StopIteration, ValueError, struct.error) as error:
        raise WorkbookError(unreadable_message()) from error
    position, end = 0, len(stream) - 4
    while position <= end:
        kind, length = struct.unpack_from("<HH", stream, position)
        body = position + 4
        if kind in XLS_CELL_RECORDS and length >= 4:
            row, column = struct.unpack_from("<HH", stream, body)
            if kind == XLS_MULRK and length >= 6:
                column = struct.unpack_from("<H", stream, body + length - 2)[0]
            refuse_cell(row + 1, column + 1, max_rows + XLSX_HEADER_ROWS, max_rows)
        position = body + length


def unreadable_message():
    return _("The file is not a readable Excel workbook (.xlsx or .xls); save it again in Excel and retry.")


def decode_csv(data):
    """CSV text in UTF-8 (with or without a byte-order mark) or GBK, the encoding Excel uses on Chinese Windows."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise WorkbookError(_("The CSV file is neither UTF-8 nor GBK text; save it from Excel as “CSV UTF-8”."))


def read_sheet(data, max_rows, accept_csv=False):
    """The first sheet's rows, numbered from 1 as Excel shows them; cells are text, numbers, dates or "".

    Raises :class:`WorkbookError` for a file that is too large, not a workbook, crafted to explode, or unreadable.
    """
    if accept_csv and len(data) <= MAX_FILE_BYTES and workbook_kind(data) is None and b"\x00" not in data[:1024]:
        rows = csv.reader(io.StringIO(decode_csv(data)))
        return [(number, row) for number, row in enumerate(rows, start=1)]
    check_workbook(data, max_rows)
    return list(calamine_rows(data))


def check_workbook_upload(upload, max_rows):
    """Form validation of an uploaded workbook (size, kind by content, bombs); ``ValidationError`` if refused.

    The rows are read later, by the task or the view; the file position is kept.
    """
    position = upload.tell()
    upload.seek(0)
    data = upload.read(MAX_FILE_BYTES + 1)
    upload.seek(position)
    try:
        check_workbook(data, max_rows)
    except WorkbookError as error:
        raise ValidationError(str(error), code="workbook") from None


def check_workbook(data, max_rows):
    """Refuse bytes that are too many, not an .xlsx or .xls workbook, or crafted to explode when read."""
    if len(data) > MAX_FILE_BYTES:
        raise WorkbookError(_("The file is larger than %(limit)d MB.") % {"limit": MAX_FILE_BYTES // MB})
    kind = workbook_kind(data)
    try:
        if kind == "xlsx":
            check_xlsx(data, max_rows)
        elif kind == "xls":
            check_xls(data, max_rows)
        else:
            raise WorkbookError(unreadable_message())
    except ValidationError as error:
        raise WorkbookError(error.messages[0]) from None


def calamine_rows(data):
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        # Rows count from the sheet's first row; columns from its first used column.
        padding = [""] * (sheet.start[1] if sheet.start else 0)
        for number, row in enumerate(sheet.iter_rows(), start=1):
            yield number, padding + row if padding else row
    except (CalamineError, OSError, ValueError, IndexError) as error:
        raise WorkbookError(unreadable_message()) from error


def is_blank(row):
    return not any(cell_text(cell) for cell in row)


def row_list(numbers):
    """ "5", "5, 7" or "5–9" for the data rows after a blank row."""
    if len(numbers) > 2 and numbers[-1] - numbers[0] == len(numbers) - 1:
        return f"{numbers[0]}–{numbers[-1]}"
    shown = ", ".join(map(str, numbers[:10]))
    return shown + ("…" if len(numbers) > 10 else "")


@dataclass(frozen=True)
class Column:
    """One column an importer reads: its key, its header in the template and other headers it accepts."""

    key: str
    header: str
    required: bool = False
    aliases: tuple = ()


class SheetImport:
    """Header matching, data rows, blank-row gaps and row errors for one uploaded file.

    ``columns`` are :class:`Column` s or any objects with ``key``, ``header`` and ``required``; a header cell
    matches a column when it equals the column's header (or an alias) without required marks and remarks.
    """

    columns = ()
    max_rows = 5000
    accept_csv = False

    def __init__(self):
        self.errors = []
        self.positions = {}
        self.letters = {}
        self.headers = {}
        self.total_rows = 0

    def match_header(self, header):
        names = {}
        for column in self.columns:
            for name in (column.header, *getattr(column, "aliases", ())):
                names.setdefault(header_key(name).casefold(), column)
        for index, title in enumerate(header):
            column = names.get(header_key(cell_text(title)).casefold())
            if column is not None and column.key not in self.positions:
                self.positions[column.key] = index
                self.letters[column.key] = get_column_letter(index + 1)
                self.headers[column.key] = column.header
        missing = [column.header for column in self.columns if column.required and column.key not in self.positions]
        if missing:
            raise WorkbookError(
                _("Row 1 lacks the columns: %(columns)s (use the downloaded template).")
                % {"columns": "、".join(header_key(name) for name in missing)}
            )

    def rows(self, data):
        """(row number, {column key: cell value}) for each data row; the header is row 1."""
        rows = read_sheet(data, self.max_rows, accept_csv=self.accept_csv)
        if not rows or is_blank(rows[0][1]):
            raise WorkbookError(_("Row 1 must hold the column headers; the workbook is empty there."))
        self.match_header(rows[0][1])
        self.total_rows = len(rows) - 1
        blank, gaps, count = [], [], 0
        for number, row in rows[1:]:
            if is_blank(row):
                blank.append(number)
                continue
            if blank:
                gaps.append((blank, []))
                blank = []
            for _blank, after in gaps:
                after.append(number)
            cells = {key: row[index] if index < len(row) else "" for key, index in self.positions.items()}
            if self.skip(cells):
                continue
            count += 1
            if count > self.max_rows:
                raise WorkbookError(_("At most %(limit)d data rows a file; split the file.") % {"limit": self.max_rows})
            yield number, cells
        for blank_rows, after in gaps:
            self.errors.append(
                RowError(
                    blank_rows[0],
                    "",
                    "",
                    "",
                    ngettext(
                        "Row %(rows)s is empty, but row %(after)s below it holds data; delete the empty row.",
                        "Row %(rows)s is empty, but rows %(after)s below it hold data; delete the empty row.",
                        len(after),
                    )
                    % {"rows": row_list(blank_rows), "after": row_list(after)},
                )
            )

    def skip(self, cells):
        """True for a row the template marks as an example."""
        return False

    def fail(self, number, key, value, message):
        self.errors.append(
            RowError(number, self.letters.get(key, ""), self.headers.get(key, ""), cell_text(value), str(message))
        )
