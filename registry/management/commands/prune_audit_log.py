"""Delete audit-log entries older than ``AUDIT_LOG_KEEP_DAYS`` (never under 180 days); bin/cron runs it daily."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from wagtail.models import ModelLogEntry, PageLogEntry


class Command(BaseCommand):
    help = "Delete audit-log entries (record and page histories, exports, imports) older than AUDIT_LOG_KEEP_DAYS."

    def handle(self, *args, **options):
        cutoff = timezone.now() - timedelta(days=settings.AUDIT_LOG_KEEP_DAYS)
        for model in (ModelLogEntry, PageLogEntry):
            deleted, _by_model = model.objects.filter(timestamp__lt=cutoff).delete()
            if options["verbosity"]:
                self.stdout.write(f"{model._meta.label}: {deleted} entries before {cutoff:%Y-%m-%d} deleted")
