"""xlsx files: the import template and the summary table (汇总表), written by registry.exports."""

import datetime
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from registry.exports import XLSX_TYPE, ExportWorkbook, attach

from .importing import HEADERS, KIND_LABELS, MAX_ROWS


def import_template():
    """The template units fill in: header row, one example row, a drop-down for the type column."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "备案"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append([1, KIND_LABELS["qc_group"], "降低催化裂化装置能耗", "节能降耗", "示例石化有限公司", 8, "张三",
                  datetime.date(2023, 3, 15)])  # fmt: skip
    sheet["H2"].number_format = "yyyy-mm-dd"
    kinds = DataValidation(
        type="list",
        formula1='"{}"'.format(",".join(KIND_LABELS.values())),
        allow_blank=False,
        showErrorMessage=True,
        errorTitle=_("Type"),
        error=_("Choose from the list"),
    )
    sheet.add_data_validation(kinds)
    kinds.add(f"B2:B{MAX_ROWS + 1}")
    counts = DataValidation(type="whole", operator="between", formula1="1", formula2="999", showErrorMessage=True)
    sheet.add_data_validation(counts)
    counts.add(f"F2:F{MAX_ROWS + 1}")
    for letter, width in zip("ABCDEFGH", (6, 16, 36, 20, 30, 8, 10, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    notes = workbook.create_sheet("说明")
    for line in (
        "1. 只读取第一个工作表；第1行为标题，列的顺序不可改变。",
        "2. 类型：质量管理小组 或 质量信得过班组（下拉选择）。",
        "3. 课题名称和小组名称与已备案数据一致的行将被忽略，不会覆盖或重复导入。",
        "4. 小组名称前不应含单位/部门名称；所属企业名称应与公章一致。",
        "5. 成立日期格式：2023-03-15；人数为整数。数据行之间不能有空行；每个文件最多5000行（.xlsx 或 .xls）。",
        "6. 示例行（第2行）请替换为实际数据。",
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 90
    return workbook


def template_response(workbook, filename):
    output = io.BytesIO()
    workbook.save(output)
    return attach(HttpResponse(output.getvalue(), content_type=XLSX_TYPE), filename)


SUMMARY_HEADERS = ["序号", "类型", "课题名称", "小组/班组名称", "所属企业", "人数", "组长", "成立日期"]


def summary_workbook(title, filings, with_unit=False, totals=None):
    """The summary table of ``filings`` with a totals block at the end."""
    workbook = ExportWorkbook()
    sheet = workbook.sheet("汇总表", widths=(6, 16, 36, 20, 30, 8, 10, 12, 30, 8))
    sheet.append([title], bold=True)
    sheet.append(SUMMARY_HEADERS + (["申报单位", "年度"] if with_unit else []), bold=True)
    for number, filing in enumerate(filings, start=1):
        row = [
            number,
            KIND_LABELS[filing.kind],
            filing.topic,
            filing.group_name,
            filing.enterprise_name,
            filing.member_count,
            filing.leader,
            filing.founded_on,
        ]
        if with_unit:
            row += [filing.unit.name, filing.year]
        sheet.append(row)
    if totals:
        sheet.append([])
        for label, value in totals:
            sheet.append([label, value])
    return workbook
