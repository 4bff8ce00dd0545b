"""Operators' batch import: the same core and rules as the portal's import page."""

from django.core.management.base import BaseCommand, CommandError

from filings.qcgroups.importing import import_filings
from filings.qcgroups.models import FilingUnit, current_year
from registry.imports import WorkbookError


class Command(BaseCommand):
    help = (
        "Import QC-group / trusted-team filings from an xlsx file (the portal's template) for one approved unit. "
        "Rows already on file are skipped; any other error writes nothing. Exits non-zero when nothing was written "
        "(with --dry-run: when nothing would be written)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="xlsx file in the template's layout")
        parser.add_argument("--unit", required=True, help="login name of the filing unit's account")
        parser.add_argument("--year", type=int, default=None, help="filing year (default: this year)")
        parser.add_argument("--dry-run", action="store_true", help="validate and report, write nothing")

    def handle(self, *args, file, unit, year, dry_run, **options):
        filing_unit = FilingUnit.unscoped.filter(account__username=unit).first()
        if filing_unit is None:
            raise CommandError(f"没有登录账号为“{unit}”的申报单位 / No filing unit with the login “{unit}”")
        if not filing_unit.is_approved:
            raise CommandError(f"申报单位“{filing_unit}”尚未审核通过 / The filing unit “{filing_unit}” is not approved")
        try:
            with open(file, "rb") as handle:
                report = import_filings(filing_unit, handle, year or current_year(), dry_run=dry_run)
        except OSError as error:
            raise CommandError(f"无法打开文件 / Cannot open the file: {error}") from error
        except WorkbookError as error:
            raise CommandError(str(error)) from error
        for row, topic, group_name, reason in report.skipped:
            self.stdout.write(f"跳过 / skipped: 第{row}行 row {row}: {topic} / {group_name} — {reason}")
        for row, warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"提示 / warning: 第{row}行 row {row}: {warning}"))
        for error in report.errors:
            self.stderr.write(self.style.ERROR(f"错误 / error: {error}"))
        new_rows = len(report.created) if not report.errors else 0
        verb = "将导入 / would import" if dry_run else "已导入 / imported"
        summary = (
            f"{filing_unit}: {report.rows} 行 rows, {verb} {new_rows}, "
            f"跳过 / skipped {len(report.skipped)}, 错误 / errors {len(report.errors)}"
        )
        if report.errors:
            raise CommandError(f"{summary}。未写入任何数据 / Nothing was written.")
        if new_rows == 0:
            raise CommandError(f"{summary}。没有新数据 / Nothing new to write.")
        self.stdout.write(self.style.SUCCESS(summary))
