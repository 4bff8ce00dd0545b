"""Count the statistics dashboard's figures again (run every minute by bin/cron)."""

from django.core.management.base import BaseCommand

from registry.statistics import snapshot


class Command(BaseCommand):
    help = "Refresh the statistics dashboard's snapshot of officer and enterprise counts per organisation."

    def handle(self, *args, **options):
        written = snapshot.refresh()
        if options["verbosity"] > 1:
            self.stdout.write(f"{written} statistics tallies written")
