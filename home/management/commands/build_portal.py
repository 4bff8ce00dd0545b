from django.core.management.base import BaseCommand

from home.site import build_site


class Command(BaseCommand):
    help = "Create the portal page tree, news sections and the approval workflow (idempotent; no demo content)."

    def handle(self, *args, **options):
        home = build_site()
        self.stdout.write(self.style.SUCCESS(f"Portal ready: {home.title} is the default site's root page."))
