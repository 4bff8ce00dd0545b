"""Move files stored before private storage existed out of MEDIA_ROOT, under random names (run once, idempotent)."""

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from registry.files import private_fields, private_storage


class Command(BaseCommand):
    help = "Move every private file field's files from the public media storage to the private one."

    def handle(self, *args, **options):
        moved = missing = 0
        for model, field in private_fields():
            rows = model._base_manager.exclude(**{field.name: ""}).values_list("pk", field.name)
            for pk, name in rows.iterator():
                if private_storage().exists(name):
                    continue
                if not default_storage.exists(name):
                    missing += 1
                    self.stderr.write(f"{model._meta.label} {pk} {field.name}: {name} is in neither storage")
                    continue
                record = model._base_manager.get(pk=pk)
                with default_storage.open(name, "rb") as content:
                    getattr(record, field.name).save(name, content, save=False)
                model._base_manager.filter(pk=pk).update(**{field.name: getattr(record, field.name).name})
                default_storage.delete(name)
                moved += 1
        self.stdout.write(f"{moved} files moved to private storage, {missing} missing")
