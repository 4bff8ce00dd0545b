import importlib

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from registry.demo import DemoSite


class Command(BaseCommand):
    help = "Load the complete demo site (idempotent) and print the demo logins with one-time passwords."

    def handle(self, *args, **options):
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
        self.stdout.write(self.style.SUCCESS("Demo site loaded. Logins (one-time passwords, change at first login):"))
        for who, login, password, url in demo.logins:
            self.stdout.write(f"  {who}: {login} / {password}  → http://127.0.0.1:8000{url}")
