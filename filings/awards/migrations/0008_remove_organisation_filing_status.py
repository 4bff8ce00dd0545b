"""The review status, reason and reviewer now live in the filings' workflow states (0007 moved them)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("awards", "0007_organisation_filing_review_states")]

    operations = [
        migrations.RemoveField(
            model_name='organisationfiling',
            name='reject_reason',
        ),
        migrations.RemoveField(
            model_name='organisationfiling',
            name='reviewed_at',
        ),
        migrations.RemoveField(
            model_name='organisationfiling',
            name='reviewed_by',
        ),
        migrations.RemoveField(
            model_name='organisationfiling',
            name='status',
        ),
    ]
