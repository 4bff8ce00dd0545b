"""xlsx exports of statistics, safe against formula injection (a name like "=HYPERLINK(…)" stays text)."""

import io

from django.http import HttpResponse
from django.utils.encoding import force_str
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_value(value):
    """Numbers stay numbers; text that a spreadsheet would run as a formula is marked as plain text."""
    if value is None or isinstance(value, (int, float)):
        return value, False
    text = force_str(value)
    return text, text.startswith(FORMULA_STARTS)


def safe_cell(sheet, value, bold=False):
    value, quoted = safe_value(value)
    cell = WriteOnlyCell(sheet, value)
    if isinstance(value, str):
        cell.data_type = "s"
    if quoted:
        cell.quotePrefix = True
    if bold:
        cell.font = Font(bold=True)
    return cell


def sheet_title(text, used):
    title = "".join(ch for ch in force_str(text) if ch not in "[]:*?/\\")[:28] or "Sheet"
    candidate, n = title, 2
    while candidate in used:
        candidate, n = f"{title[:25]}({n})", n + 1
    used.add(candidate)
    return candidate


def write_table(sheet, columns, rows):
    sheet.append([safe_cell(sheet, heading, bold=True) for heading in columns])
    for row in rows:
        sheet.append([safe_cell(sheet, value) for value in row])


def figures_workbook(figures, caption=""):
    """One sheet per figure, each headed by its column names; ``caption`` (the region) goes in A1 of each."""
    workbook = Workbook(write_only=True)
    used = set()
    for figure in figures:
        sheet = workbook.create_sheet(sheet_title(figure.title, used))
        if caption:
            sheet.append([safe_cell(sheet, f"{figure.title} — {caption}", bold=True)])
        write_table(sheet, figure.columns, figure.rows)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def xlsx_response(content, filename):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
