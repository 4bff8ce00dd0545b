"""Enrolment from a workbook (the bureau's batch): one officer a row, found by the enterprise's credit code and
checked against the officer's name; all rows or none, through the project's import base (registry.imports)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from registry.exports import ExportWorkbook
from registry.imports import Column, SheetImport, cell_text
from registry.models import ChiefQualityOfficer

from .models import Enrolment, Training

COLUMNS = [
    Column("uscc", "统一社会信用代码*", required=True, aliases=("USCC",)),
    Column("real_name", "首席质量官姓名*", required=True, aliases=("姓名",)),
    Column("attended", "出勤（是/否）", aliases=("出勤",)),
]
YES = {"是", "Y", "YES", "1", "√", "TRUE"}
NO = {"", "否", "N", "NO", "0", "×", "FALSE"}


def template_workbook():
    workbook = ExportWorkbook()
    sheet = workbook.sheet(_("Enrolments"), [column.header for column in COLUMNS], widths=(24, 16, 14))
    sheet.append(["91130102MA0000001X", "张三", "否"])
    return workbook


class EnrolmentImport(SheetImport):
    columns = COLUMNS
    max_rows = 2000

    def __init__(self, training, user):
        super().__init__()
        self.training = training
        self.user = user

    def run(self, data):
        """Enrol the workbook's officers; returns how many, or 0 with ``errors`` set (nothing written)."""
        rows = list(self.rows(data))
        usccs = {cell_text(cells["uscc"]).upper() for _number, cells in rows}
        officers = {
            officer.enterprise.uscc: officer
            for officer in ChiefQualityOfficer.unscoped.filter(enterprise__uscc__in=usccs).select_related(
                "enterprise__organisation"
            )
        }
        enrolled = set(Enrolment.unscoped.filter(training=self.training).values_list("officer_id", flat=True))
        new = []
        for number, cells in rows:
            enrolment = self.enrolment(number, cells, officers, enrolled)
            if enrolment is not None:
                enrolled.add(enrolment.officer_id)
                new.append(enrolment)
        if len(enrolled) > self.training.capacity:
            self.fail(0, "", "", _("The training has %(capacity)d places; the workbook would fill %(count)d.")
                      % {"capacity": self.training.capacity, "count": len(enrolled)})  # fmt: skip
        if self.errors:
            return 0
        with transaction.atomic():
            Training.unscoped.select_for_update().filter(pk=self.training.pk).first()
            Enrolment.unscoped.bulk_create(new)
        return len(new)

    def enrolment(self, number, cells, officers, enrolled):
        uscc = cell_text(cells["uscc"]).upper()
        officer = officers.get(uscc)
        if officer is None:
            self.fail(number, "uscc", cells["uscc"], _("No officer is filed for this credit code."))
            return None
        if cell_text(cells["real_name"]) != officer.real_name:
            self.fail(
                number, "real_name", cells["real_name"], _("The filed officer of this enterprise has another name.")
            )
            return None
        attended = cell_text(cells.get("attended", "")).upper()
        if attended not in YES | NO:
            self.fail(number, "attended", cells["attended"], _("Write 是 or 否."))
            return None
        if officer.pk in enrolled:
            self.fail(number, "uscc", cells["uscc"], _("This officer is already enrolled in this training."))
            return None
        enrolment = Enrolment(training=self.training, officer=officer, attended=attended in YES, enrolled_by=self.user)
        try:
            enrolment.clean()
        except ValidationError as error:
            self.fail(number, "uscc", cells["uscc"], " ".join(error.messages))
            return None
        return enrolment
