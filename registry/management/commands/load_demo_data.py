import importlib
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from registry.demo import DemoSite


class Command(BaseCommand):
    help = "Load the complete demo site (idempotent) and print the demo logins with one-time passwords."

    def add_arguments(self, parser):
        parser.add_argument("--logins-file", help="also write the logins here, for rundemo to print after its banner")

    def handle(self, *args, logins_file=None, **options):
        call_command("load_reference_data", verbosity=0)
        demo = DemoSite()
        with transaction.atomic():
            for config in apps.get_app_configs():
                try:
                    module = importlib.import_module(f"{config.name}.demo")
                except ModuleNotFoundError as error:
                    if error.name != f"{config.name}.demo":
                        raise
                    continue
                module.load(demo)
        site = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        lines = ["Demo site loaded. Logins (one-time passwords, change at first login):"]
        lines += [f"  {who}: {login} / {password}  → {site}{url}" for who, login, password, url in demo.logins]
        self.stdout.write(self.style.SUCCESS(lines[0]))
        self.stdout.write("\n".join(lines[1:]))
        if logins_file:
            Path(logins_file).parent.mkdir(parents=True, exist_ok=True)
            Path(logins_file).write_text("\n".join(lines) + "\n", encoding="utf-8")
