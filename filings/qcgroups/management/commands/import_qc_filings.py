"""Operators' batch import: the same core and rules as the portal's import page."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

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
            raise CommandError(_("No filing unit with the login “%(login)s”") % {"login": unit})
        if not filing_unit.is_approved:
            raise CommandError(_("The filing unit “%(unit)s” is not approved") % {"unit": filing_unit})
        try:
            with open(file, "rb") as handle:
                report = import_filings(filing_unit, handle, year or current_year(), dry_run=dry_run)
        except OSError as error:
            raise CommandError(_("Cannot open the file: %(error)s") % {"error": error}) from error
        except WorkbookError as error:
            raise CommandError(str(error)) from error
        for row, topic, group_name, reason in report.skipped:
            values = {"row": row, "topic": topic, "group": group_name, "reason": reason}
            self.stdout.write(_("Skipped row %(row)d: %(topic)s / %(group)s — %(reason)s") % values)
        for row, warning in report.warnings:
            message = _("Warning, row %(row)d: %(warning)s") % {"row": row, "warning": warning}
            self.stdout.write(self.style.WARNING(message))
        for error in report.errors:
            self.stderr.write(self.style.ERROR(_("Error: %(error)s") % {"error": error}))
        new_rows = len(report.created) if not report.errors else 0
        counts = {
            "unit": filing_unit,
            "rows": report.rows,
            "new": new_rows,
            "skipped": len(report.skipped),
            "errors": len(report.errors),
        }
        if dry_run:
            summary = _("%(unit)s: %(rows)d rows, would import %(new)d, skipped %(skipped)d, errors %(errors)d")
        else:
            summary = _("%(unit)s: %(rows)d rows, imported %(new)d, skipped %(skipped)d, errors %(errors)d")
        summary %= counts
        if report.errors:
            raise CommandError(_("%(summary)s. Nothing was written.") % {"summary": summary})
        if new_rows == 0:
            raise CommandError(_("%(summary)s. Nothing new to write.") % {"summary": summary})
        self.stdout.write(self.style.SUCCESS(summary))
