"""Import Chief Quality Officers from a filled template, as an administrator, or write the template."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

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
            self.stdout.write(f"模板已写入 / Template written: {template}")
            return
        if not file or not user:
            raise CommandError("需要 FILE 和 --user / FILE and --user are required (or --template OUT)")
        importer_user = User.objects.filter(username=user).first() or User.objects.filter(mobile=user).first()
        if importer_user is None:
            raise CommandError(f"没有用户 {user} / No user {user}")
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"无法读取 {file} / Cannot read {file}: {error}") from None
        report = OfficerImporter(importer_user).run(data, dry_run=dry_run)
        for error in report.errors:
            location = f"第{error.row}行 {error.column}列（{error.header}）" if error.row else "文件 / file"
            self.stdout.write(f"{location} [{error.value}]: {error.message}")
        if report.errors:
            raise CommandError(
                f"{len(report.errors)} 处错误，未写入任何数据 / {len(report.errors)} errors, nothing written"
            )
        if dry_run:
            raise CommandError(
                f"校验通过 {report.rows} 行，试运行未写入 / {report.rows} rows valid, dry run wrote nothing"
            )
        summary = f"新增 {report.created} 名，已存在 {report.unchanged} 名"
        summary += f" / {report.created} created, {report.unchanged} already imported"
        if not report.created:
            raise CommandError(summary)
        self.stdout.write(summary)
