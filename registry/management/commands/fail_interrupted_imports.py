"""Mark background imports whose worker died as interrupted (run every minute by bin/cron)."""

from django.core.management.base import BaseCommand

from registry.officers.tasks import fail_interrupted_imports


class Command(BaseCommand):
    help = "Mark running import jobs with no progress for ten minutes as interrupted, so their owners can retry."

    def handle(self, *args, **options):
        count = fail_interrupted_imports()
        if count and options["verbosity"]:
            self.stdout.write(f"{count} interrupted import job(s) marked")
