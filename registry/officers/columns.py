"""The columns of the officer import template (seed 000 1.5.3.1 (2) plus the seed 003 talent-pool table)."""

import re
from dataclasses import dataclass

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


class Columns(list):
    def __init__(self, columns):
        super().__init__(columns)
        self.by_key = {column.key: column for column in columns}
        self.by_header = {header_key(column.header): column.key for column in columns}


def header_key(title):
    """Header text without the required-mark and remarks in brackets: "性别*（单选）" → "性别"."""
    return re.sub(r"[*＊]|[（(].*?[)）]", "", title or "").strip()


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
        Column("size", "企业规模*（单选）", True, 10, choices="size"),
        Column(
            "industry", "所在行业*（行业小类代码）", True, 20, choices="industry", note="4位国民经济行业分类小类代码"
        ),
        Column("natures", "企业性质*（多选，代码以英文逗号分隔）", True, 22, note="如 PRIVATE,LISTED 或 民营,上市公司"),
        Column("category", "类别", False, 10, 32),
        Column("id_number", "身份证号*", True, 20),
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
