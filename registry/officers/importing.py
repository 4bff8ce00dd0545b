"""Excel batch import of Chief Quality Officers: one code path for the admin view, the task, the command and bench.

Everything is validated first, with plain functions (a Django form per row triples the time); when any cell is
wrong nothing is written and the report lists row, column, value and reason. Otherwise every row is written in
one transaction with bulk inserts, as records awaiting review: enterprises matched by USCC or created, officers
``live=False`` and submitted to the officer workflow (:mod:`.submission`). Rows already imported (same
enterprise and same person) are counted as unchanged, so re-importing a file creates no duplicates.
"""

import datetime
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from ..bulk import bulk_insert, chunks
from ..models import (
    ChiefQualityOfficer,
    Division,
    EconomicType,
    EducationLevel,
    Enterprise,
    IndustryCategory,
    Organisation,
)
from ..models.officers import Gender, birth_date_from_id
from ..scoping import scope_for_user
from ..uploads import check_xlsx
from ..validators import validate_mobile, validate_resident_id, validate_uscc
from .columns import COLUMNS, EXAMPLE_MARK, SIZE_BY_LABEL, education_lookup, header_key

MAX_ROWS = 5000
MAX_FILE_BYTES = 10 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"
WRITE_ATTEMPTS = 3


@dataclass
class ImportError_:
    """One problem: spreadsheet row (1-based, as Excel shows it), column letter and header, value and reason."""

    row: int
    column: str
    header: str
    value: str
    message: str

    def as_dict(self):
        return {
            "row": self.row,
            "column": self.column,
            "header": self.header,
            "value": self.value,
            "message": self.message,
        }


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)
    written: bool = False

    @property
    def ok(self):
        return not self.errors


def column_letter(index):
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def read_rows(data, on_row=None):
    """Yield (excel_row_number, list_of_cells) from the first sheet, stopping at the first empty row.

    python-calamine reads the sheet in Rust and hands rows over one by one. It sizes its grid by the farthest
    cell holding content, so callers first refuse such far cells with ``registry.uploads.check_xlsx``; a
    dimension that merely claims a million rows costs nothing.
    Raises ``ValueError`` with a bilingual message when the file is not a readable workbook.
    """
    from python_calamine import CalamineError, CalamineWorkbook

    if not data.startswith(XLSX_MAGIC):
        raise ValueError("文件不是 Excel 工作簿（.xlsx） / The file is not an Excel workbook (.xlsx)")
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        for number, row in enumerate(sheet.iter_rows(), start=1):
            if not any(cell not in ("", None) and str(cell).strip() for cell in row):
                return
            yield number, row
    except (CalamineError, OSError) as error:
        raise ValueError(f"无法读取工作簿 / The workbook cannot be read: {error}") from None


def estimated_rows(data):
    """Data rows the first sheet claims (capped at MAX_ROWS), for the progress bar; 0 when unreadable."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    except (CalamineError, OSError):
        return 0
    return max(0, min(sheet.height - 1, MAX_ROWS))


class Lookups:
    """Reference tables loaded once per import, so each row is validated without a query."""

    def __init__(self, user):
        self.scope = scope_for_user(user)
        self.divisions = {
            code: (name, parent) for code, name, parent in Division.objects.values_list("code", "name", "parent_id")
        }
        self.industries = dict(IndustryCategory.objects.filter(level="class").values_list("code", "name"))
        self.natures = {}
        for code, name in EconomicType.objects.values_list("code", "name"):
            self.natures[code.upper()] = code
            self.natures[name] = code
        self.natures["国营"] = "SOE"
        self.educations = education_lookup(EducationLevel.objects.values_list("code", "name"))
        self.organisation_by_division = dict(
            Organisation.objects.exclude(division=None).values_list("division_id", "id")
        )
        self.organisation_paths = dict(Organisation.objects.values_list("id", "path"))

    def regulator(self, code):
        """The id of the bureau responsible for division ``code`` (nearest up the tree), without queries."""
        while code:
            organisation = self.organisation_by_division.get(code)
            if organisation:
                return organisation
            code = self.divisions.get(code, (None, None))[1]
        return None

    def within_scope(self, organisation_id):
        return self.scope is None or self.organisation_paths.get(organisation_id, "").startswith(self.scope)


def leading_code(value):
    """ "3120 炼钢" or "3120" → "3120"; the template's drop-downs show code and name."""
    return str(value).strip().split()[0] if str(value).strip() else ""


def as_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = DATE_RE.match(as_text(value))
    if not match:
        raise ValueError
    return datetime.date(*map(int, match.groups()))


class RowValidator:
    """Validate and convert one data row into the values of an enterprise and an officer."""

    def __init__(self, lookups, today):
        self.lookups = lookups
        self.today = today

    def __call__(self, cells, fail):
        values = {}
        for spec in COLUMNS:
            raw = cells.get(spec.key)
            text = as_text(raw)
            if not text:
                if spec.required:
                    fail(spec, text, "必填项不能为空 / Required cell is empty")
                continue
            try:
                values[spec.key] = getattr(self, f"clean_{spec.key}", self.clean_text)(raw, text, spec)
            except ValidationError as error:
                fail(spec, text, " ".join(error.messages))
            except ValueError as error:
                fail(spec, text, str(error))
        return values

    def clean_text(self, raw, text, spec):
        if spec.max_length and len(text) > spec.max_length:
            raise ValueError(f"不能超过{spec.max_length}个字 / At most {spec.max_length} characters")
        return text

    def clean_gender(self, raw, text, spec):
        genders = {"男": Gender.MALE, "女": Gender.FEMALE}
        if text not in genders:
            raise ValueError("性别应为“男”或“女” / Gender must be 男 or 女")
        return genders[text]

    def clean_education(self, raw, text, spec):
        code = self.lookups.educations.get(text) or self.lookups.educations.get(leading_code(text))
        if code is None:
            raise ValueError("学历不在下拉列表中 / Education is not one of the listed choices")
        return code

    def clean_mobile(self, raw, text, spec):
        return validate_mobile(text)

    def clean_uscc(self, raw, text, spec):
        return validate_uscc(text)

    def clean_id_number(self, raw, text, spec):
        return validate_resident_id(text)

    def clean_region(self, raw, text, spec):
        code = leading_code(text)
        if code not in self.lookups.divisions:
            raise ValueError("所在地区代码不存在（见“代码说明”表） / Unknown region code (see the codes sheet)")
        organisation = self.lookups.regulator(code)
        if organisation is None or not self.lookups.within_scope(organisation):
            raise ValueError("所在地区不在您的管辖范围内 / The region is outside your organisation's area")
        return code, organisation

    def clean_industry(self, raw, text, spec):
        code = leading_code(text)
        if code not in self.lookups.industries:
            raise ValueError(
                "所在行业应为国民经济行业分类小类代码（4位，见“代码说明”表） / "
                "Industry must be a GB/T 4754 class code (4 digits, see the codes sheet)"
            )
        return code

    def clean_size(self, raw, text, spec):
        if text not in SIZE_BY_LABEL:
            raise ValueError("企业规模应为大型、中型、小型或微型 / Size must be 大型, 中型, 小型 or 微型")
        return SIZE_BY_LABEL[text]

    def clean_natures(self, raw, text, spec):
        codes = []
        for part in filter(None, (p.strip() for p in re.split(r"[,，、/;；]", text))):
            code = self.lookups.natures.get(part.upper()) or self.lookups.natures.get(part)
            if code is None:
                raise ValueError(f"企业性质“{part}”无效 / Unknown enterprise nature “{part}”")
            codes.append(code)
        return sorted(set(codes))

    def clean_quality_years(self, raw, text, spec):
        try:
            years = int(float(text))
        except ValueError:
            raise ValueError("质量工作年限应为整数 / Years in quality work must be a whole number") from None
        if not 0 <= years <= 70:
            raise ValueError("质量工作年限应在0到70之间 / Years in quality work must be between 0 and 70")
        return years

    def clean_postcode(self, raw, text, spec):
        if not re.fullmatch(r"\d{6}", text):
            raise ValueError("邮编应为6位数字 / The postcode must be 6 digits")
        return text

    def clean_email(self, raw, text, spec):
        try:
            validate_email(text)
        except ValidationError:
            raise ValueError("电子邮箱格式不正确 / The e-mail address is not valid") from None
        return text

    def clean_appointment_date(self, raw, text, spec):
        try:
            date = parse_date(raw)
        except ValueError:
            raise ValueError(
                "任职时间应为日期，如 2024-03-01 / Appointment date must be a date such as 2024-03-01"
            ) from None
        if date > self.today or date.year < 1980:
            raise ValueError("任职时间不在合理范围内 / The appointment date is out of range")
        return date


class OfficerImporter:
    """Validate a whole workbook, then write it in one transaction or not at all."""

    def __init__(self, user, on_progress=None):
        self.user = user
        self.on_progress = on_progress
        self.organisation_id = user.organisation_id

    def run(self, data, dry_run=False):
        report = ImportReport()
        try:
            rows = self.validate(data, report)
        except ValueError as error:
            report.errors.insert(0, ImportError_(0, "", "", "", str(error)))
            return report
        if report.errors or dry_run:
            return report
        for attempt in range(WRITE_ATTEMPTS):
            try:
                self.write(rows, report)
                return report
            except IntegrityError:
                # A concurrent import committed some of these enterprises or officers after our check: the
                # unique constraints refused the duplicates and rolled everything back. Match against the
                # database again (its rows now count as existing or conflicting) and retry.
                if attempt == WRITE_ATTEMPTS - 1:
                    raise
                report.created = report.unchanged = 0
                for _number, values in rows:
                    values.pop("unchanged", None)
                self.check_database(rows, report)
                if report.errors:
                    return report

    def validate(self, data, report):
        if len(data) > MAX_FILE_BYTES:
            raise ValueError("文件超过10 MB / The file is larger than 10 MB")
        try:
            check_xlsx(data, MAX_ROWS)
        except ValidationError as error:
            raise ValueError(error.messages[0]) from None
        lookups = Lookups(self.user)
        if lookups.scope == "~":
            raise ValueError("只有机构管理员可以导入 / Only administrators can import")
        validate_row = RowValidator(lookups, datetime.date.today())
        iterator = read_rows(data)
        header = next(iterator, None)
        if header is None:
            raise ValueError("工作簿是空的 / The workbook is empty")
        positions = self.positions = self.map_header(header[1])
        rows, seen_uscc, seen_id = [], {}, {}
        errors = report.errors
        for number, row in iterator:
            cells = {key: row[index] if index < len(row) else "" for key, index in positions.items()}
            if as_text(cells.get("serial")) == EXAMPLE_MARK:
                continue
            if len(rows) >= MAX_ROWS:
                raise ValueError(f"每个文件最多{MAX_ROWS}行 / At most {MAX_ROWS} rows a file")

            def fail(spec, value, message, number=number):
                index = positions.get(spec.key, 0)
                errors.append(ImportError_(number, column_letter(index), spec.header, value, message))

            values = validate_row(cells, fail)
            for key, seen in (("uscc", seen_uscc), ("id_number", seen_id)):
                if key in values:
                    if values[key] in seen:
                        spec = COLUMNS.by_key[key]
                        fail(spec, values[key], f"与第{seen[values[key]]}行重复 / Duplicates row {seen[values[key]]}")
                    else:
                        seen[values[key]] = number
            rows.append((number, values))
            if self.on_progress and len(rows) % 500 == 0:
                self.on_progress(len(rows), None)
        report.rows = len(rows)
        if not rows and not errors:
            raise ValueError("工作簿中没有数据行 / The workbook has no data rows")
        if not errors:
            self.check_database(rows, report)
        return rows

    @staticmethod
    def map_header(header):
        positions = {}
        for index, title in enumerate(header):
            key = COLUMNS.by_header.get(header_key(as_text(title)))
            if key:
                positions.setdefault(key, index)
        missing = [spec.header for spec in COLUMNS if spec.required and spec.key not in positions]
        if missing:
            raise ValueError(
                "第1行缺少列："
                + "、".join(missing)
                + " / Row 1 lacks the columns: "
                + ", ".join(missing)
                + "（请使用下载的模板 / please use the downloaded template）"
            )
        return positions

    def check_database(self, rows, report):
        """One CQO per enterprise against the database; enterprises matched by USCC must be within reach."""
        by_uscc = {values["uscc"]: (number, values) for number, values in rows}
        existing = {}
        for chunk in chunks(list(by_uscc), 900):
            for enterprise in Enterprise.unscoped.filter(uscc__in=chunk).only("id", "uscc", "organisation_id"):
                existing[enterprise.uscc] = enterprise
        officers = {}
        for chunk in chunks([e.id for e in existing.values()], 900):
            for officer in ChiefQualityOfficer.unscoped.filter(enterprise_id__in=chunk).only(
                "id", "enterprise_id", "real_name", "id_number", "mobile"
            ):
                officers[officer.enterprise_id] = officer
        lookups_scope = scope_for_user(self.user)
        uscc_spec = COLUMNS.by_key["uscc"]
        for uscc, (number, values) in by_uscc.items():
            enterprise = existing.get(uscc)
            values["enterprise"] = enterprise
            if enterprise is None:
                continue
            path = Organisation.objects.filter(pk=enterprise.organisation_id).values_list("path", flat=True).first()
            if lookups_scope is not None and not (path or "").startswith(lookups_scope):
                report.errors.append(
                    ImportError_(
                        number,
                        "",
                        uscc_spec.header,
                        uscc,
                        "该企业已在其他地区登记，不在您的管辖范围内 / "
                        "This enterprise is registered outside your organisation's area",
                    )
                )
                continue
            officer = officers.get(enterprise.id)
            if officer is None:
                continue
            if officer.id_number == values.get("id_number") or (
                officer.real_name == values.get("real_name") and officer.mobile == values.get("mobile")
            ):
                values["unchanged"] = True
            else:
                report.errors.append(
                    ImportError_(
                        number,
                        "",
                        uscc_spec.header,
                        uscc,
                        f"该企业已有首席质量官（{officer.real_name}），每家企业只能有一名 / "
                        f"This enterprise already has a Chief Quality Officer ({officer.real_name})",
                    )
                )
        for error in report.errors:
            if not error.column:
                error.column = column_letter(self.positions["uscc"])

    @transaction.atomic
    def write(self, rows, report):
        from .submission import bulk_submit

        new_enterprises, enterprise_natures, officer_rows = [], [], []
        for _number, values in rows:
            if values.get("unchanged"):
                report.unchanged += 1
                continue
            enterprise = values.get("enterprise")
            region, organisation = values["region"]
            if enterprise is None:
                enterprise = Enterprise(
                    uscc=values["uscc"],
                    name=values["enterprise_name"],
                    region_id=region,
                    organisation_id=organisation,
                    industry_id=values["industry"],
                    size=values.get("size", ""),
                    registered_address=values.get("address", ""),
                )
                new_enterprises.append(enterprise)
                enterprise_natures.append((enterprise, values.get("natures", [])))
            officer_rows.append((enterprise, values))
        bulk_insert(Enterprise, new_enterprises)
        through = Enterprise.economic_types.through
        bulk_insert(
            through,
            [through(enterprise_id=e.pk, economictype_id=code) for e, codes in enterprise_natures for code in codes],
        )
        officers = []
        for enterprise, values in officer_rows:
            officers.append(
                ChiefQualityOfficer(
                    enterprise_id=enterprise.pk,
                    organisation_id=self.organisation_id or enterprise.organisation_id,
                    real_name=values["real_name"],
                    gender=values["gender"],
                    education_id=values.get("education"),
                    major=values.get("major", ""),
                    mobile=values["mobile"],
                    position=values.get("position", ""),
                    category=values.get("category", ""),
                    remarks=values.get("remarks", ""),
                    id_number=values.get("id_number", ""),
                    birth_date=birth_date_from_id(values["id_number"]) if values.get("id_number") else None,
                    quality_years=values.get("quality_years"),
                    concurrent_posts=values.get("concurrent_posts", ""),
                    address=values.get("address", ""),
                    postcode=values.get("postcode", ""),
                    email=values.get("email", ""),
                    appointment_date=values.get("appointment_date"),
                    training_certificate_number=values.get("training_certificate_number", ""),
                    training_certificate_issuer=values.get("training_certificate_issuer", ""),
                    live=False,
                    has_unpublished_changes=True,
                )
            )
        bulk_insert(ChiefQualityOfficer, officers)
        bulk_submit(officers, self.user, enterprises={e.pk: e for e, _v in officer_rows})
        report.created = len(officers)
        report.written = True
        if self.on_progress:
            self.on_progress(report.rows, report.rows)
