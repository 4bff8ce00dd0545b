"""An index on Wagtail's workflow states by start: the workflow report lists the newest first, and for the national
bureau (whose subtree holds nearly every record) walks them in that order, looking each row's record up, until a page
and its capped count are read (registry.reports.workflow_states_in_scope)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0023_encrypt_existing_identifiers"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS cqo_workflowstate_created_at ON wagtailcore_workflowstate (created_at)",
            "DROP INDEX IF EXISTS cqo_workflowstate_created_at",
        ),
    ]
