from django.core.management.base import BaseCommand

from filings.standards.tasks import send_two_year_reminders


class Command(BaseCommand):
    help = "Enqueue the two-year continue-or-abolish reminders for disclosed standards (run daily from cron)."

    def handle(self, *args, **options):
        result = send_two_year_reminders.enqueue()
        self.stdout.write(f"Reminder task enqueued: {result.id}")
