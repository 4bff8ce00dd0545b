"""Delete uploads kept across a failed submit that no later submit used; bin/cron runs it daily.

A kept upload's token expires after ``kept_uploads.MAX_AGE``, so an older pending file can never be used again.
"""

from django.core.management.base import BaseCommand

from filings.standards import kept_uploads


class Command(BaseCommand):
    help = "Delete pending uploads (kept across a failed submit) older than their token's lifetime."

    def handle(self, *args, **options):
        deleted = kept_uploads.prune()
        if options["verbosity"]:
            self.stdout.write(f"{deleted} unused kept uploads deleted")
