from django.apps import apps
from django.core.management.base import BaseCommand

from registry.reference import assign_functions, load_all
from registry.roles import sync_role_groups


class Command(BaseCommand):
    help = "Load divisions, industries, economic types, education levels and the organisation tree (idempotent)."

    def handle(self, *args, **options):
        Organisation = apps.get_model("registry", "Organisation")
        loaded = load_all(
            *(apps.get_model("registry", name) for name in ("Division", "IndustryCategory", "EconomicType")),
            apps.get_model("registry", "EducationLevel"),
            Organisation,
        )
        if loaded["organisations"]:
            assign_functions(Organisation)
        sync_role_groups()
        for what, count in loaded.items():
            if count:
                self.stdout.write(f"{what}: {count}")
