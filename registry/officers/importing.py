"""Excel batch import of Chief Quality Officers: one code path for the admin view, the task, the command and bench.

The workbook (.xlsx or .xls) is read by the project's import base (:mod:`registry.imports`). Everything is
validated first, with plain functions (a Django form per row triples the time); when any cell is wrong nothing
is written and the report lists row, column, value and reason. Otherwise every row is written in one
transaction with bulk inserts, as records awaiting review: enterprises matched by USCC or created, officers
``live=False`` and submitted to the officer workflow (:mod:`.submission`). Rows already imported (same
enterprise and same person) are counted as unchanged, so re-importing a file creates no duplicates.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from wagtail.models import Revision

from ..bulk import bulk_insert, chunks, reserve_ids
from ..enterprise_size import SECTIONS
from ..identity import DocumentType, birth_date, validate_document
from ..imports import RowError, SheetImport, WorkbookError, cell_text, parse_date
from ..models import (
    ChiefQualityOfficer,
    Division,
    EconomicType,
    EducationLevel,
    Enterprise,
    IndustryCategory,
    Organisation,
)
from ..models.officers import Gender
from ..scoping import scope_for_user
from ..validators import validate_mobile, validate_uscc
from .columns import (
    COLUMNS,
    DOCUMENT_TYPE_BY_LABEL,
    EXAMPLE_MARK,
    SIZE_BY_LABEL,
    band_employees,
    education_lookup,
    size_for_employees,
)

MAX_ROWS = 5000
WRITE_ATTEMPTS = 3


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


class RowValidator:
    """Validate and convert one data row into the values of an enterprise and an officer."""

    def __init__(self, lookups, today):
        self.lookups = lookups
        self.today = today

    def __call__(self, cells, fail):
        # The document type column comes before the number (a workbook without it holds resident IDs).
        values = {"id_document_type": DocumentType.RESIDENT_ID}
        for spec in COLUMNS:
            raw = cells.get(spec.key)
            text = cell_text(raw)
            if not text:
                if spec.required:
                    fail(spec, text, _("This cell is required."))
                continue
            try:
                values[spec.key] = getattr(self, f"clean_{spec.key}", self.clean_text)(raw, text, spec, values)
            except ValidationError as error:
                fail(spec, text, " ".join(error.messages))
            except ValueError as error:
                fail(spec, text, str(error))
        if isinstance(values.get("size"), int):
            values["size"] = size_for_employees(values["size"], values.get("industry"))
        return values

    def clean_text(self, raw, text, spec, values):
        if spec.max_length and len(text) > spec.max_length:
            raise ValueError(_("At most %(limit)d characters.") % {"limit": spec.max_length})
        return text

    def clean_gender(self, raw, text, spec, values):
        genders = {"男": Gender.MALE, "女": Gender.FEMALE, "M": Gender.MALE, "F": Gender.FEMALE}
        if text not in genders:
            raise ValueError(_("Gender must be 男 or 女."))
        return genders[text]

    def clean_education(self, raw, text, spec, values):
        code = self.lookups.educations.get(text) or self.lookups.educations.get(leading_code(text))
        if code is None:
            raise ValueError(_("Choose the education from the drop-down list."))
        return code

    def clean_mobile(self, raw, text, spec, values):
        return validate_mobile(text)

    def clean_uscc(self, raw, text, spec, values):
        return validate_uscc(text)

    def clean_id_document_type(self, raw, text, spec, values):
        if text not in DOCUMENT_TYPE_BY_LABEL:
            raise ValueError(_("Choose the document type from the drop-down list."))
        return DOCUMENT_TYPE_BY_LABEL[text]

    def clean_id_number(self, raw, text, spec, values):
        return validate_document(values["id_document_type"], text)

    def clean_region(self, raw, text, spec, values):
        code = leading_code(text)
        if code not in self.lookups.divisions:
            raise ValueError(_("Unknown region code (see the codes sheet)."))
        organisation = self.lookups.regulator(code)
        if organisation is None or not self.lookups.within_scope(organisation):
            raise ValueError(_("The region is outside your organisation's area."))
        return code, organisation

    def clean_industry(self, raw, text, spec, values):
        """A class code ("3421 …"), or the seed template's section ("B 采矿业"), kept until a class is chosen."""
        code = leading_code(text).upper()
        if code not in self.lookups.industries and code not in SECTIONS:
            raise ValueError(
                _("Industry must be a GB/T 4754 class code (4 digits) or a section letter (see the codes sheet).")
            )
        return code

    def clean_size(self, raw, text, spec, values):
        """大型/中型/小型/微型, or the seed template's band of employees ("<100", "100-300" …) as a head count."""
        if text in SIZE_BY_LABEL:
            return SIZE_BY_LABEL[text]
        try:
            return band_employees(text)
        except ValueError:
            raise ValueError(
                _("Size must be 大型, 中型, 小型 or 微型, or a band of employees such as 100-300.")
            ) from None

    def clean_natures(self, raw, text, spec, values):
        codes = []
        for part in filter(None, (p.strip() for p in re.split(r"[,，、/;；]", text))):
            code = self.lookups.natures.get(part.upper()) or self.lookups.natures.get(part)
            if code is None:
                raise ValueError(_("Unknown enterprise nature “%(nature)s”.") % {"nature": part})
            codes.append(code)
        return sorted(set(codes))

    def clean_quality_years(self, raw, text, spec, values):
        try:
            years = int(float(text))
        except ValueError:
            raise ValueError(_("Years in quality work must be a whole number.")) from None
        if not 0 <= years <= 70:
            raise ValueError(_("Years in quality work must be between 0 and 70."))
        return years

    def clean_postcode(self, raw, text, spec, values):
        if not re.fullmatch(r"\d{6}", text):
            raise ValueError(_("The postcode must be 6 digits."))
        return text

    def clean_email(self, raw, text, spec, values):
        try:
            validate_email(text)
        except ValidationError:
            raise ValueError(_("The e-mail address is not valid.")) from None
        return text

    def clean_appointment_date(self, raw, text, spec, values):
        try:
            date = parse_date(raw)
        except ValueError:
            raise ValueError(_("The appointment date must be a date such as 2024-03-01.")) from None
        if date > self.today or date.year < 1980:
            raise ValueError(_("The appointment date is out of range."))
        return date


class OfficerImporter(SheetImport):
    """Validate a whole workbook, then write it in one transaction or not at all."""

    columns = COLUMNS
    max_rows = MAX_ROWS

    def __init__(self, user, on_progress=None):
        super().__init__()
        self.user = user
        self.on_progress = on_progress
        self.organisation_id = user.organisation_id

    def skip(self, cells):
        return cell_text(cells.get("serial")) == EXAMPLE_MARK

    def run(self, data, dry_run=False):
        report = ImportReport(errors=self.errors)
        try:
            rows = self.validate(data, report)
        except WorkbookError as error:
            report.errors.insert(0, RowError(0, "", "", "", str(error)))
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
        lookups = Lookups(self.user)
        if lookups.scope == "~":
            raise WorkbookError(_("Only administrators can import."))
        validate_row = RowValidator(lookups, datetime.date.today())
        rows, seen_uscc, seen_id = [], {}, {}
        for number, cells in self.rows(data):

            def fail(spec, value, message, number=number):
                self.fail(number, spec.key, value, message)

            values = validate_row(cells, fail)
            for key, seen in (("uscc", seen_uscc), ("id_number", seen_id)):
                if key in values:
                    if values[key] in seen:
                        message = _("Duplicates row %(row)d.") % {"row": seen[values[key]]}
                        fail(COLUMNS.by_key[key], values[key], message)
                    else:
                        seen[values[key]] = number
            rows.append((number, values))
            if self.on_progress and len(rows) % 500 == 0:
                self.on_progress(len(rows), self.total_rows)
        report.rows = len(rows)
        if not rows and not report.errors:
            raise WorkbookError(_("The workbook has no data rows."))
        if not report.errors:
            self.check_database(rows, report)
        return rows

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
        for uscc, (number, values) in by_uscc.items():
            enterprise = existing.get(uscc)
            values["enterprise"] = enterprise
            if enterprise is None:
                continue
            path = Organisation.objects.filter(pk=enterprise.organisation_id).values_list("path", flat=True).first()
            if lookups_scope is not None and not (path or "").startswith(lookups_scope):
                self.fail(number, "uscc", uscc, _("This enterprise is registered outside your organisation's area."))
                continue
            officer = officers.get(enterprise.id)
            if officer is None:
                continue
            if officer.id_number == values.get("id_number") or (
                officer.real_name == values.get("real_name") and officer.mobile == values.get("mobile")
            ):
                values["unchanged"] = True
            else:
                message = _("This enterprise already has a Chief Quality Officer (%(name)s); each may have one.")
                self.fail(number, "uscc", uscc, message % {"name": officer.real_name})

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
                    id_document_type=values["id_document_type"],
                    id_number=values.get("id_number", ""),
                    birth_date=birth_date(values["id_document_type"], values.get("id_number", "")),
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
        # Their first revisions' ids, reserved to be written in the officer rows (PostgreSQL; None elsewhere).
        revision_ids = reserve_ids(Revision, len(officers))
        if revision_ids is not None:
            for officer, revision_id in zip(officers, revision_ids, strict=True):
                officer.latest_revision_id = revision_id
        bulk_insert(ChiefQualityOfficer, officers)
        bulk_submit(officers, self.user, enterprises={e.pk: e for e, _v in officer_rows}, revision_ids=revision_ids)
        report.created = len(officers)
        report.written = True
        if self.on_progress:
            self.on_progress(report.rows, report.rows)
