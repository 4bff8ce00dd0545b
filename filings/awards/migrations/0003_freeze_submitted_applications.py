"""Freeze the applications submitted before versions existed, as they are now (the best record left)."""

from django.db import migrations


def freeze_existing(apps, schema_editor):
    from filings.awards.models import Application
    from filings.awards.snapshot import freeze

    # The live model is needed for freeze(); read only the columns this migration's state has (later
    # migrations add more), and nothing at all on a new database.
    historical = apps.get_model("awards", "Application")
    if not historical.objects.exclude(state="draft").filter(submission__isnull=True).exists():
        return
    columns = [field.name for field in historical._meta.concrete_fields]
    pending = Application.unscoped.exclude(state="draft").filter(submission__isnull=True).only(*columns)
    for application in pending.iterator():
        freeze(application, None)
        Application.unscoped.filter(pk=application.pk).update(
            submission=application.submission,
            submitted_organisation=application.submitted_organisation,
            submitted_project=application.submitted_project,
        )


class Migration(migrations.Migration):
    dependencies = [("awards", "0002_submitted_versions")]

    operations = [migrations.RunPython(freeze_existing, migrations.RunPython.noop)]
