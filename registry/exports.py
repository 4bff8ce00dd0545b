"""The one spreadsheet writer: every CSV and xlsx file the project hands out is written here.

A cell holds what a person reads on screen, never what the database stores: choice labels instead of codes
(男, 小型, 已审核), 是/否 for booleans, local time (Asia/Shanghai, whole seconds, no offset), and text that a
spreadsheet would run as a formula (starting with = + - @ TAB CR, OWASP "CSV injection") neutralised — an
apostrophe before it in CSV, a text cell with Excel's quote prefix in xlsx. Sheets and files are named for what
they hold, and CSV starts with a byte-order mark so Excel on Chinese Windows reads UTF-8, not GBK.

Wagtail listings and reports keep Wagtail's ``SpreadsheetExportMixin``; :class:`ExportMixin` overrides its
value and writer hooks. Other exports build an :class:`ExportWorkbook` or call :func:`csv_response`.
"""

import csv
import datetime
import io
import itertools
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.coreutils import multigetattr

from .crypto import masked

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
XLSX_DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
XLSX_DATE_FORMAT = "yyyy-mm-dd"
BOLD = Font(bold=True)
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def is_formula_like(text):
    return text.startswith(FORMULA_STARTS)


def neutralise(text):
    """CSV text a spreadsheet would run as a formula, with an apostrophe before it (shown, never run)."""
    return "'" + text if is_formula_like(text) else text


def local(value):
    """An aware datetime as naive local time in whole seconds."""
    if timezone.is_aware(value):
        value = timezone.localtime(value).replace(tzinfo=None)
    return value.replace(microsecond=0)


def readable(value):
    """What a person reads for ``value``: None → "", bool → 是/否, datetime → local, lists joined, rest as is."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return local(value)
    if isinstance(value, (int, float, Decimal, datetime.date, datetime.time)):
        return value
    if isinstance(value, (list, tuple, set)):
        return ", ".join(force_str(readable(item)) for item in value)
    if isinstance(value, models.Manager):
        return ", ".join(force_str(item) for item in value.all())
    return force_str(value)


def csv_value(value):
    value = readable(value)
    if isinstance(value, datetime.datetime):
        return value.strftime(DATETIME_FORMAT)
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return neutralise(value) if isinstance(value, str) else value


def xlsx_cell(sheet, value, bold=False):
    """A write-only cell: text is always text (never a formula), formula-like text carries the quote prefix."""
    value = readable(value)
    cell = WriteOnlyCell(sheet, value)
    if isinstance(value, str):
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
    elif isinstance(value, datetime.datetime):
        cell.number_format = XLSX_DATETIME_FORMAT
    elif isinstance(value, datetime.date):
        cell.number_format = XLSX_DATE_FORMAT
    if bold:
        cell.font = BOLD
    return cell


def labelled(item, accessor):
    """``multigetattr(item, accessor)``, with a model field's choice label instead of its code."""
    *parents, name = accessor.split(".")
    owner = multigetattr(item, ".".join(parents)) if parents else item
    if owner is None:
        return None
    if isinstance(owner, models.Model):
        try:
            field = owner._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        if field is not None and field.choices and not field.is_relation:
            return owner._get_FIELD_display(field)
    return multigetattr(owner, name)


def sheet_title(text, used=()):
    """A valid, unique sheet name (Excel: 31 characters, none of []:*?/\\) from a caption."""
    title = SHEET_TITLE_FORBIDDEN.sub("", force_str(text)).strip("' ")[:31] or _("Data")
    candidate, number = title, 2
    while candidate in used:
        suffix = f"({number})"
        candidate, number = title[: 31 - len(suffix)] + suffix, number + 1
    return candidate


def dated_filename(name):
    """A file name for an export: what it holds and the local date it was taken."""
    return f"{name}-{timezone.localdate():%Y-%m-%d}"


def attach(response, filename):
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def csv_rows(headings, rows):
    """CSV text chunks: a byte-order mark, the headings, then each row, every value made readable and safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    for values in itertools.chain([headings], rows):
        writer.writerow([csv_value(value) for value in values])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def csv_response(filename, headings, rows):
    """A streamed CSV download of ``rows`` under ``headings``; ``filename`` without the extension."""
    response = StreamingHttpResponse(csv_rows(headings, rows), content_type=CSV_TYPE)
    return attach(response, f"{filename}.csv")


class ExportWorkbook:
    """An xlsx file written row by row (openpyxl's write-only mode) with named sheets."""

    def __init__(self):
        self.workbook = Workbook(write_only=True)
        self.titles = set()

    def sheet(self, title, headings=None, widths=()):
        sheet = ExportSheet(self.workbook.create_sheet(sheet_title(title, self.titles)), widths)
        self.titles.add(sheet.worksheet.title)
        if headings is not None:
            sheet.append(headings, bold=True)
        return sheet

    def content(self):
        output = io.BytesIO()
        self.workbook.save(output)
        return output.getvalue()

    def response(self, filename):
        """The workbook as a download; ``filename`` without the extension."""
        return attach(HttpResponse(self.content(), content_type=XLSX_TYPE), f"{filename}.xlsx")


class ExportSheet:
    def __init__(self, worksheet, widths=()):
        self.worksheet = worksheet
        for index, width in enumerate(widths, start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = width

    def append(self, values, bold=False, marks=None):
        """One row; ``marks`` maps a column index to a comment that fills that cell red (error workbooks)."""
        cells = [xlsx_cell(self.worksheet, value, bold=bold) for value in values]
        for index, comment in (marks or {}).items():
            while len(cells) <= index:
                cells.append(xlsx_cell(self.worksheet, ""))
            cells[index].fill = ERROR_FILL
            cells[index].comment = Comment(comment, settings.WAGTAIL_SITE_NAME, width=320, height=120)
        self.worksheet.append(cells)


class ExportMixin:
    """Wagtail's listing and report exports through this module: labels, 是/否, local time, safe text, BOM.

    Field-specific preprocessors a view declares (Wagtail's reports turn action codes into labels that way)
    still run first; value-type preprocessors are replaced by :func:`readable`.
    """

    def exports_whole_values(self):
        """Whether ID numbers and mobiles leave whole (roles that may reveal them, registry.roles); masked else."""
        from .roles import sees_contact_details

        request = getattr(self, "request", None)
        return request is not None and sees_contact_details(request.user)

    def to_row_dict(self, item):
        if self.exports_whole_values():
            return {field: labelled(item, field) for field in self.list_export}
        return {field: masked(field, labelled(item, field)) for field in self.list_export}

    def preprocess_field_value(self, field, value, export_format):
        function = self.custom_field_preprocess.get(field, {}).get(export_format)
        if function is not None:
            value = function(value)
        return csv_value(value) if export_format == self.FORMAT_CSV else value

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        for field, value in row_dict.items():
            yield xlsx_cell(worksheet, self.preprocess_field_value(field, value, self.FORMAT_XLSX))

    def export_title(self):
        """What the export holds: the page's title, or the model's plural name."""
        title = getattr(self, "get_page_title", lambda: "")()
        if not title and getattr(self, "model", None) is not None:
            title = self.model._meta.verbose_name_plural
        return force_str(title) or _("Data")

    def get_filename(self):
        filename = super().get_filename()
        if filename == SpreadsheetExportMixin.export_filename:
            return dated_filename(self.export_title())
        return filename

    def write_xlsx(self, queryset, output):
        workbook = Workbook(write_only=True)
        worksheet = workbook.create_sheet(title=sheet_title(self.export_title()))
        worksheet.append([xlsx_cell(worksheet, self.get_heading(queryset, f), bold=True) for f in self.list_export])
        for item in queryset:
            worksheet.append(self.generate_xlsx_row(worksheet, self.to_row_dict(item)))
        workbook.save(output)

    def stream_csv(self, queryset):
        yield "\ufeff"
        yield from super().stream_csv(queryset)

    def write_csv_response(self, queryset):
        response = StreamingHttpResponse(self.stream_csv(queryset), content_type=CSV_TYPE)
        return attach(response, f"{self.get_filename()}.csv")
