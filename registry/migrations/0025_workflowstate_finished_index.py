"""An index on Wagtail's finished workflow states by content type: the workflow reports read a model's finished states
through it, and keep those whose record is in the user's subtree, without reading the states in progress (as many as
every queue in the country) on the way (registry.reports.listable_states).

Built concurrently on PostgreSQL, as 0024. A build that failed leaves an invalid index: drop
``cqo_workflowstate_finished`` and migrate again.
"""

from django.db import migrations

INDEX = "cqo_workflowstate_finished"


def create(apps, schema_editor):
    concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        f"CREATE INDEX {concurrently}IF NOT EXISTS {INDEX} ON wagtailcore_workflowstate (content_type_id) "
        "WHERE NOT (status IN ('in_progress', 'needs_changes'))"
    )


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("registry", "0024_workflowstate_created_at_index")]

    operations = [migrations.RunPython(create, drop)]
