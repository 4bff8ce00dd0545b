"""Batch import of filings from the template (.xlsx or .xls): one core for the portal view and the command.

Rules (seed 004): the first sheet, a header row naming the template's columns. A row whose topic and group name
are already on file for the unit (or earlier in the same file) is skipped and reported, never overwritten. Any
other problem is reported by row and column (registry.imports), and then nothing at all is written.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.imports import Column, SheetImport, cell_text, parse_date

from .models import Filing, FilingUnit, group_name_warnings, normalise_text

MAX_ROWS = 5000

#: The template's columns; the attributes of Filing they fill, and their maximum lengths.
COLUMNS = [
    Column("serial", "序号"),
    Column("kind", "类型", True),
    Column("topic", "课题名称", True),
    Column("group_name", "小组/班组名称", True),
    Column("enterprise_name", "所属企业", True),
    Column("member_count", "人数", True),
    Column("leader", "组长", True),
    Column("founded_on", "成立日期", True),
]
HEADERS = [column.header for column in COLUMNS]
MAX_LENGTHS = {"topic": 200, "group_name": 100, "enterprise_name": 200, "leader": 64}

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

EARLIEST_FOUNDING = datetime.date(1950, 1, 1)


@dataclass
class ImportReport:
    rows: int = 0
    created: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (row, topic, group name, reason)
    errors: list = field(default_factory=list)  # registry.imports.RowError
    warnings: list = field(default_factory=list)  # (row, message)
    dry_run: bool = False

    @property
    def written(self):
        return 0 if self.dry_run or self.errors else len(self.created)

    @property
    def ok(self):
        return not self.errors


def text(value):
    return normalise_text(cell_text(value))


def parse_kind(value):
    word = text(value).replace(" ", "")
    if word.upper().startswith("QC"):
        word = "QC" + word[2:]
    kind = KIND_WORDS.get(word)
    if kind is None:
        raise ValueError(_("The type must be 质量管理小组 or 质量信得过班组."))
    return kind


def parse_count(value):
    if isinstance(value, bool):
        value = None
    try:
        number = Decimal(text(value))
    except InvalidOperation:
        raise ValueError(_("The member count must be a whole number.")) from None
    if number != number.to_integral_value() or not 1 <= number <= 999:
        raise ValueError(_("The member count must be a whole number from 1 to 999."))
    return int(number)


def parse_founding(value):
    try:
        founded = parse_date(value)
    except ValueError:
        raise ValueError(_("The date must look like 2024-03-15.")) from None
    if not EARLIEST_FOUNDING <= founded <= timezone.localdate():
        raise ValueError(_("The founding date must lie between 1950 and today."))
    return founded


PARSERS = {"kind": parse_kind, "member_count": parse_count, "founded_on": parse_founding}


class FilingSheet(SheetImport):
    columns = COLUMNS
    max_rows = MAX_ROWS

    def parse(self, number, cells):
        """A dict of model values for one row, or ``None`` after recording its errors."""
        parsed, failed = {}, False
        for column in COLUMNS[1:]:
            value = cells.get(column.key, "")
            if text(value) == "":
                self.fail(number, column.key, "", _("This cell is required."))
                failed = True
                continue
            try:
                if column.key in PARSERS:
                    parsed[column.key] = PARSERS[column.key](value)
                else:
                    parsed[column.key] = text(value)
                    if len(parsed[column.key]) > MAX_LENGTHS[column.key]:
                        limit = MAX_LENGTHS[column.key]
                        raise ValueError(_("At most %(limit)d characters.") % {"limit": limit})
            except ValueError as error:
                self.fail(number, column.key, value, str(error))
                failed = True
        return None if failed else parsed


def import_filings(unit: FilingUnit, file, year: int, dry_run=False) -> ImportReport:
    """Validate every row, then write all new rows in one transaction, or nothing if any row has an error.

    ``file`` is the workbook's bytes or an open file; raises ``WorkbookError`` when it cannot be read at all.
    """
    sheet = FilingSheet()
    report = ImportReport(dry_run=dry_run, errors=sheet.errors)
    candidates = []
    data = file if isinstance(file, bytes) else file.read()
    for number, cells in sheet.rows(data):
        report.rows += 1
        parsed = sheet.parse(number, cells)
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
                report.skipped.append((number, *key, _("already on file, skipped")))
                continue
            if key in seen:
                reason = _("repeats row %(row)d, skipped") % {"row": seen[key]}
                report.skipped.append((number, *key, reason))
                continue
            seen[key] = number
            for warning in group_name_warnings(parsed["group_name"], unit, parsed["enterprise_name"]):
                report.warnings.append((number, warning))
            report.created.append(Filing(unit=unit, year=year, source=Filing.Source.IMPORT, **parsed))
        if not dry_run and report.created:
            Filing.unscoped.bulk_create(report.created)
    return report
