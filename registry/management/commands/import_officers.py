"""Import Chief Quality Officers from a filled template, as an administrator, or write the template."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from registry.models import User
from registry.officers.importing import OfficerImporter
from registry.officers.workbooks import template_workbook


class Command(BaseCommand):
    help = "Import officers from FILE as --user (nothing is written if any cell is wrong), or write --template OUT."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="the filled .xlsx template")
        parser.add_argument("--user", help="login (user name or mobile) of the importing administrator")
        parser.add_argument("--dry-run", action="store_true", help="validate and report, write nothing")
        parser.add_argument("--template", metavar="OUT", help="write the empty import template to OUT and stop")

    def handle(self, *args, file=None, user=None, dry_run=False, template=None, **options):
        if template:
            Path(template).write_bytes(template_workbook())
            self.stdout.write(_("Template written: %(file)s") % {"file": template})
            return
        if not file or not user:
            raise CommandError(_("FILE and --user are required (or --template OUT)"))
        importer_user = User.objects.filter(username=user).first() or User.objects.filter(mobile=user).first()
        if importer_user is None:
            raise CommandError(_("No user %(login)s") % {"login": user})
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": file, "error": error}) from None
        report = OfficerImporter(importer_user).run(data, dry_run=dry_run)
        for error in report.errors:
            location = (
                _("Row %(row)d, column %(column)s (%(header)s)")
                % {"row": error.row, "column": error.column, "header": error.header}
                if error.row
                else _("file")
            )
            self.stdout.write(f"{location} [{error.value}]: {error.message}")
        if report.errors:
            raise CommandError(_("%(count)d errors, nothing written") % {"count": len(report.errors)})
        if dry_run:
            raise CommandError(_("%(rows)d rows valid, dry run wrote nothing") % {"rows": report.rows})
        summary = _("%(created)d created, %(unchanged)d already imported") % {
            "created": report.created,
            "unchanged": report.unchanged,
        }
        if not report.created:
            raise CommandError(summary)
        self.stdout.write(summary)
