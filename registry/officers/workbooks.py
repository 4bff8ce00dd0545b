"""The officer import's workbooks: the template (openpyxl) and the user's rows with their bad cells marked."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..exports import ExportWorkbook
from ..imports import read_sheet
from ..models import Division, EconomicType, EducationLevel, IndustryCategory
from ..validators import resident_id_check_char, uscc_check_char
from .columns import COLUMNS, DOCUMENT_TYPE_LABELS, EXAMPLE_MARK, SIZE_LABELS
from .importing import MAX_ROWS

REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")
EXAMPLE_FONT = Font(italic=True, color="808080")

EXAMPLE = {
    "serial": EXAMPLE_MARK,
    "real_name": "张明",
    "gender": "男",
    "education": "大学本科",
    "major": "质量管理工程",
    "mobile": "13912345678",
    "enterprise_name": "石家庄示例机械制造有限公司",
    "position": "副总经理",
    "uscc": "91130102MA0CQ1234" + uscc_check_char("91130102MA0CQ1234"),
    "region": "130102",
    "size": "中型",
    "industry": "3421",
    "natures": "民营",
    "category": "",
    "id_document_type": "居民身份证",
    "id_number": "13010219800101001" + resident_id_check_char("13010219800101001"),
    "quality_years": 12,
    "concurrent_posts": "副总经理",
    "address": "河北省石家庄市长安区中山东路1号",
    "postcode": "050000",
    "email": "zhangming@example.cn",
    "appointment_date": "2024-03-01",
    "training_certificate_number": "HBCQO2024001",
    "training_certificate_issuer": "河北省市场监督管理局",
    "remarks": "示例行，导入时自动跳过",
}


def template_workbook():
    """The import template: header, an example row (skipped on import), drop-downs and a codes sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "首席质量官"
    codes = workbook.create_sheet("代码说明")
    lists = write_codes(codes)
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True)
        if column.required:
            cell.fill = REQUIRED_FILL
        if column.note:
            cell.comment = Comment(column.note, "首席质量官之家")
        sheet.column_dimensions[get_column_letter(index)].width = column.width
        example = sheet.cell(row=2, column=index, value=EXAMPLE.get(column.key, ""))
        example.font = EXAMPLE_FONT
        if column.choices:
            validation = DataValidation(type="list", formula1=lists[column.choices], allow_blank=True)
            validation.error = "请从下拉列表中选择"
            # Sizes may be bands of employees and natures several names: the lists there only offer.
            validation.showErrorMessage = column.choices in ("gender", "education", "id_document_type")
            sheet.add_data_validation(validation)
            validation.add(f"{get_column_letter(index)}2:{get_column_letter(index)}5001")
        if column.key in ("mobile", "uscc", "id_number", "region", "industry", "postcode"):
            for row in range(2, 5002):
                sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "B2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def write_codes(sheet):
    """Fill the codes sheet and return each drop-down's list formula."""
    sheet["A1"] = (
        "填写说明：黄色列为必填；第2行为示例（序号填“示例”的行导入时跳过）；每个文件最多5000行；每家企业只能有一名首席质量官。"
    )
    columns = {
        "gender": ("性别", [("男", ""), ("女", "")]),
        "education": ("学历", [(name, code) for code, name in EducationLevel.objects.values_list("code", "name")]),
        "size": ("企业规模", [(label, "") for label in SIZE_LABELS.values()]),
        "natures": ("企业性质", [(name, "") for name in EconomicType.objects.values_list("name", flat=True)]),
        "region": (
            "所在地区代码",
            [(f"{code} {name}", "") for code, name in Division.objects.values_list("code", "name")],
        ),
        "industry": (
            "行业小类代码（或门类）",
            [
                (f"{code} {name}", "")
                for code, name in IndustryCategory.objects.filter(level__in=("class", "section"))
                .order_by("position")
                .values_list("code", "name")
            ],
        ),
        "id_document_type": ("证件类型", [(labels[0], "") for labels in DOCUMENT_TYPE_LABELS.values()]),
    }
    formulas = {}
    for offset, (key, (title, values)) in enumerate(columns.items()):
        letter = get_column_letter(1 + offset * 2)
        sheet[f"{letter}3"] = title
        sheet[f"{letter}3"].font = Font(bold=True)
        sheet.column_dimensions[letter].width = 24
        for row, (value, explanation) in enumerate(values, start=4):
            sheet[f"{letter}{row}"] = value
            if explanation:
                sheet[f"{get_column_letter(2 + offset * 2)}{row}"] = explanation
        formulas[key] = f"'代码说明'!${letter}$4:${letter}${3 + max(len(values), 1)}"
    return formulas


def marked_workbook(data, errors):
    """The user's rows as read (same rows and columns, .xlsx or .xls), every bad cell red with its reason.

    Written anew by the export writer rather than by reopening the upload, so an .xls gets a marked copy too
    and no text in it can run as a formula; a second sheet lists the errors, including whole-row ones.
    """
    marks = {}
    for error in errors:
        if error["row"]:
            column = column_index_from_string(error["column"]) - 1 if error["column"] else 0
            marks.setdefault(error["row"], {}).setdefault(column, []).append(error["message"])
    workbook = ExportWorkbook()
    sheet = workbook.sheet(_("Officers"))
    for number, row in read_sheet(data, max_rows=MAX_ROWS):
        sheet.append(row, bold=number == 1, marks={c: "\n".join(m) for c, m in marks.get(number, {}).items()})
    listing = workbook.sheet(_("Errors"), [_("Row"), _("Column"), _("Field"), _("Value"), _("Reason")])
    for error in errors:
        listing.append([error["row"] or "", error["column"], error["header"], error["value"], error["message"]])
    return workbook.content()
