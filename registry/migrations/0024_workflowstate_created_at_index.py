"""An index on Wagtail's workflow states by start: the workflow report lists the newest first, and for the national
bureau (whose subtree holds nearly every record) walks them in that order, looking each row's record up, until a page
and its capped count are read (registry.reports.workflow_states_in_scope).

Built concurrently on PostgreSQL, so submissions and approvals are not held up while it builds on a national
register. A build that failed leaves an invalid index: drop ``cqo_workflowstate_created_at`` and migrate again.
"""

from django.db import migrations

INDEX = "cqo_workflowstate_created_at"


def create(apps, schema_editor):
    concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"CREATE INDEX {concurrently}IF NOT EXISTS {INDEX} ON wagtailcore_workflowstate (created_at)")


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("registry", "0023_encrypt_existing_identifiers"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create, drop)]
