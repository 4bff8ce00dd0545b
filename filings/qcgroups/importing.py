"""Batch import of filings from the xlsx template: one core for the portal view and the management command.

Rules (seed 004): the first sheet, a header row, columns in the template's order. A row whose topic and group
name are already on file for the unit (or earlier in the same file) is skipped and reported, never overwritten.
Any other problem is reported by row and column, and then nothing at all is written.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from .models import Filing, FilingUnit, group_name_warnings, normalise_text

MAX_ROWS = 5000

#: (header as printed in the template, attribute, maximum length or None)
COLUMNS = [
    ("序号", None, None),
    ("类型", "kind", None),
    ("课题名称", "topic", 200),
    ("小组/班组名称", "group_name", 100),
    ("所属企业", "enterprise_name", 200),
    ("人数", "member_count", None),
    ("组长", "leader", 64),
    ("成立日期", "founded_on", None),
]
HEADERS = [header for header, _attribute, _length in COLUMNS]

#: Words accepted in the type column.
KIND_WORDS = {
    "小组": Filing.Kind.QC_GROUP,
    "QC小组": Filing.Kind.QC_GROUP,
    "质量管理小组": Filing.Kind.QC_GROUP,
    "班组": Filing.Kind.TRUSTED_TEAM,
    "信得过班组": Filing.Kind.TRUSTED_TEAM,
    "质量信得过班组": Filing.Kind.TRUSTED_TEAM,
}
KIND_LABELS = {Filing.Kind.QC_GROUP: "质量管理小组", Filing.Kind.TRUSTED_TEAM: "质量信得过班组"}

DATE_PATTERN = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
EARLIEST_FOUNDING = datetime.date(1950, 1, 1)


class ImportFileError(Exception):
    """The file as a whole cannot be read (not xlsx, wrong header, too many rows)."""


@dataclass
class RowError:
    row: int
    column: str
    value: object
    message: str

    def __str__(self):
        return f"第{self.row}行 {self.column}列 “{self.value}”：{self.message}"


@dataclass
class ImportReport:
    rows: int = 0
    created: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (row, topic, group name, reason)
    errors: list = field(default_factory=list)  # RowError
    warnings: list = field(default_factory=list)  # (row, message)
    dry_run: bool = False

    @property
    def written(self):
        return 0 if self.dry_run or self.errors else len(self.created)

    @property
    def ok(self):
        return not self.errors


def column_label(index):
    return f"{get_column_letter(index + 1)}（{COLUMNS[index][0]}）"


def cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalise_text(str(value))


def parse_kind(value):
    text = cell_text(value).replace(" ", "")
    if text.upper().startswith("QC"):
        text = "QC" + text[2:]
    kind = KIND_WORDS.get(text)
    if kind is None:
        raise ValueError("类型须为“质量管理小组”或“质量信得过班组” / The type must be 质量管理小组 or 质量信得过班组")
    return kind


def parse_count(value):
    if isinstance(value, bool):
        value = None
    try:
        number = Decimal(cell_text(value))
    except InvalidOperation:
        raise ValueError("人数须为整数 / The member count must be a whole number") from None
    if number != number.to_integral_value() or not 1 <= number <= 999:
        raise ValueError("人数须为1至999的整数 / The member count must be a whole number from 1 to 999")
    return int(number)


def parse_date(value):
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        match = DATE_PATTERN.fullmatch(cell_text(value))
        if match is None:
            raise ValueError("日期格式应为2024-03-15 / The date must look like 2024-03-15")
        try:
            value = datetime.date(*map(int, match.groups()))
        except ValueError:
            raise ValueError("不是有效日期 / Not a valid date") from None
    if not EARLIEST_FOUNDING <= value <= timezone.localdate():
        raise ValueError("成立日期须在1950年至今天之间 / The founding date must lie between 1950 and today")
    return value


def read_rows(file):
    """Yield (row number, values) from the first sheet after the header; stop at the first empty row."""
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not xlsx
        raise ImportFileError(
            "无法读取文件，请使用下载的xlsx模板 / The file cannot be read; use the downloaded xlsx template"
        ) from error
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [cell_text(value) for value in next(rows, ())][: len(HEADERS)]
        if header != HEADERS:
            raise ImportFileError(
                "第1行须为标题行，列依次为：{} / Row 1 must be the header row with the columns: {}".format(
                    "、".join(HEADERS), ", ".join(HEADERS)
                )
            )
        for number, values in enumerate(rows, start=2):
            values = list(values[: len(HEADERS)]) + [None] * (len(HEADERS) - len(values))
            if all(cell_text(value) == "" for value in values[1:]):
                return
            if number - 1 > MAX_ROWS:
                raise ImportFileError(
                    f"每个文件最多{MAX_ROWS}行数据，请分批导入 / At most {MAX_ROWS} data rows per file; split the file"
                )
            yield number, values
    finally:
        workbook.close()


def parse_row(number, values, report):
    """A dict of model values for one row, or ``None`` after recording its errors."""
    parsed, failed = {}, False
    parsers = {"kind": parse_kind, "member_count": parse_count, "founded_on": parse_date}
    for index, (header, attribute, max_length) in enumerate(COLUMNS):
        if attribute is None:
            continue
        value = values[index]
        if cell_text(value) == "" and not isinstance(value, datetime.date):
            report.errors.append(RowError(number, column_label(index), "", f"{header}不能为空 / {header} is required"))
            failed = True
            continue
        try:
            if attribute in parsers:
                parsed[attribute] = parsers[attribute](value)
            else:
                text = cell_text(value)
                if len(text) > max_length:
                    raise ValueError(f"不能超过{max_length}个字 / At most {max_length} characters")
                parsed[attribute] = text
        except ValueError as error:
            report.errors.append(RowError(number, column_label(index), cell_text(value), str(error)))
            failed = True
    return None if failed else parsed


def import_filings(unit: FilingUnit, file, year: int, dry_run=False) -> ImportReport:
    """Validate every row, then write all new rows in one transaction, or nothing if any row has an error."""
    report = ImportReport(dry_run=dry_run)
    candidates = []
    for number, values in read_rows(file):
        report.rows += 1
        parsed = parse_row(number, values, report)
        if parsed is not None:
            candidates.append((number, parsed))
    if report.errors:
        return report
    with transaction.atomic():
        # One import at a time per unit, so two uploads of the same file cannot both pass the duplicate check.
        FilingUnit.unscoped.select_for_update().get(pk=unit.pk)
        on_file = set(Filing.unscoped.filter(unit=unit).values_list("topic", "group_name"))
        seen = {}
        for number, parsed in candidates:
            key = (parsed["topic"], parsed["group_name"])
            if key in on_file:
                report.skipped.append((number, *key, "已备案，已忽略 / already on file, skipped"))
                continue
            if key in seen:
                reason = f"与第{seen[key]}行重复，已忽略 / repeats row {seen[key]}, skipped"
                report.skipped.append((number, *key, reason))
                continue
            seen[key] = number
            for warning in group_name_warnings(parsed["group_name"], unit, parsed["enterprise_name"]):
                report.warnings.append((number, warning))
            report.created.append(Filing(unit=unit, year=year, source=Filing.Source.IMPORT, **parsed))
        if not dry_run and report.created:
            Filing.unscoped.bulk_create(report.created)
    return report
