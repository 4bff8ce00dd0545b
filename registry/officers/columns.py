"""The columns of the officer import template (seed 000 1.5.3.1 (2) plus the seed 003 talent-pool table)."""

import re
from dataclasses import dataclass

from ..enterprise_size import BANDS, MICRO, OTHER, find_row
from ..identity import DocumentType
from ..imports import header_key
from ..models import EnterpriseSize


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    width: int = 14
    max_length: int = 0
    #: Name of the list on the codes sheet offered as a drop-down (single-choice columns).
    choices: str = ""
    note: str = ""
    #: Headers of earlier templates that still name this column.
    aliases: tuple = ()


class Columns(list):
    def __init__(self, columns):
        super().__init__(columns)
        self.by_key = {column.key: column for column in columns}
        self.by_header = {header_key(column.header): column.key for column in columns}


COLUMNS = Columns(
    [
        Column("serial", "序号", width=6),
        Column("real_name", "真实姓名*", True, 10, 64),
        Column("gender", "性别*（单选）", True, 8, choices="gender"),
        Column("education", "学历*（单选）", True, 12, choices="education"),
        Column("major", "专业", False, 14, 64),
        Column("mobile", "手机号*", True, 14),
        Column("enterprise_name", "单位名称*", True, 28, 200),
        Column("position", "职位", False, 12, 64),
        Column("uscc", "统一社会信用代码*", True, 22),
        Column("region", "所在地区*（区县代码）", True, 16, choices="region", note="6位行政区划代码，见“代码说明”表"),
        Column("size", "企业规模*（单选）", True, 10, choices="size", note="大型/中型/小型/微型或人数段，如100-300"),
        Column(
            "industry",
            "所在行业*（行业小类代码）",
            True,
            20,
            choices="industry",
            note="4位国民经济行业分类小类代码；只知门类时可填门类，如“B 采矿业”",
        ),
        Column("natures", "企业性质*（多选，以逗号分隔）", True, 22, choices="natures", note="如 民营,上市公司"),
        Column("category", "类别", False, 10, 32),
        Column(
            "id_document_type",
            "证件类型（单选）",
            False,
            18,
            choices="id_document_type",
            note="不填为居民身份证；港澳台居民可填居住证、通行证或护照",
        ),
        Column("id_number", "证件号码*", True, 20, aliases=("身份证号",)),
        Column("quality_years", "质量工作年限", False, 8),
        Column("concurrent_posts", "兼任职务", False, 16, 128),
        Column("address", "通讯地址", False, 28, 255),
        Column("postcode", "邮编", False, 8),
        Column("email", "电子邮箱", False, 22),
        Column("appointment_date", "任职时间*", True, 12, note="日期，如 2024-03-01"),
        Column("training_certificate_number", "培训证书号", False, 16, 64),
        Column("training_certificate_issuer", "发证机构", False, 20, 128),
        Column("remarks", "备注", False, 20, 2000),
    ]
)

EXAMPLE_MARK = "示例"

SIZE_LABELS = {
    EnterpriseSize.LARGE: "大型",
    EnterpriseSize.MEDIUM: "中型",
    EnterpriseSize.SMALL: "小型",
    EnterpriseSize.MICRO: "微型",
}
SIZE_BY_LABEL = {label: value for value, label in SIZE_LABELS.items()}

#: The workbook's names of the identity documents (the drop-down offers the first of each).
DOCUMENT_TYPE_LABELS = {
    DocumentType.RESIDENT_ID: ("居民身份证", "身份证"),
    DocumentType.RESIDENCE_PERMIT: ("港澳台居民居住证", "居住证"),
    DocumentType.HK_MACAU_PERMIT: ("港澳居民来往内地通行证", "港澳通行证", "回乡证"),
    DocumentType.TAIWAN_PERMIT: ("台湾居民来往大陆通行证", "台胞证"),
    DocumentType.PASSPORT: ("护照",),
}
DOCUMENT_TYPE_BY_LABEL = {label: kind for kind, labels in DOCUMENT_TYPE_LABELS.items() for label in labels}

#: Short forms people write for the education levels of the reference list.
EDUCATION_ALIASES = {
    "DOCTOR": ["博士"],
    "MASTER": ["硕士", "研究生"],
    "BACHELOR": ["本科"],
    "COLLEGE": ["大专", "专科"],
    "SECONDARY": ["中专", "高中"],
    "OTHER": [],
}


def education_lookup(levels):
    lookup = {}
    for code, name in levels:
        lookup[code] = code
        lookup[name] = code
        for alias in EDUCATION_ALIASES.get(code, []):
            lookup[alias] = code
    return lookup


#: A band of employees as the seed's template writes it: "<100", "100-300", ">10000", "≥1000人".
EMPLOYEE_BAND = re.compile(r"^([<>＜＞≤≥]=?)?\s*(\d+)(?:\s*[-~－—～至到]\s*(\d+))?\s*人?$")


def band_employees(text):
    """A head count standing for a band: its lower bound, or just under/over an open bound ("<100" → 99)."""
    match = EMPLOYEE_BAND.match(text.strip())
    if match is None or (match[1] is None) == (match[3] is None):
        raise ValueError(text)
    sign, bound = match[1], int(match[2])
    if sign is None:
        return bound
    if sign in ("<", "＜"):
        return max(bound - 1, 0)
    return bound + 1 if sign in (">", "＞") else bound


def size_for_employees(employees, industry):
    """The size class by head count alone, with the employee bounds of the industry's row of the statistical
    standard (registry.enterprise_size); the "other industries" row when the row has none or is unknown."""
    try:
        row = find_row(industry) if industry else OTHER
    except ValueError:
        row = OTHER
    bounds = row.bounds.get("employees") or OTHER.bounds["employees"]
    return next((band for band, bound in zip(BANDS, bounds, strict=True) if employees >= bound), MICRO)
