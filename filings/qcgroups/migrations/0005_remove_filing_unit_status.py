"""The review status, remarks and reviewer now live in the units' workflow states (0004 moved them)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("qcgroups", "0004_filing_unit_review_states")]

    operations = [
        migrations.RemoveField(
            model_name='filingunit',
            name='review_reason',
        ),
        migrations.RemoveField(
            model_name='filingunit',
            name='reviewed_at',
        ),
        migrations.RemoveField(
            model_name='filingunit',
            name='reviewed_by',
        ),
        migrations.RemoveField(
            model_name='filingunit',
            name='status',
        ),
    ]
