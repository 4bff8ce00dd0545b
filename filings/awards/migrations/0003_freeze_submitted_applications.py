"""Freeze the applications submitted before versions existed, as they are now (the best record left)."""

from django.db import migrations


def freeze_existing(apps, schema_editor):
    from filings.awards.models import Application
    from filings.awards.snapshot import freeze

    pending = Application.unscoped.exclude(state="draft").filter(submission__isnull=True)
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
