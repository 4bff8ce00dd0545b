"""The workflow reports find a subtree's reviews from its records that have been in review (registry.reports
.listable_states), through an index of those records by unit, read without the table; the index of finished workflow
states (0025), through which every decided review in the country was looked up, is no longer read.

Both built and dropped concurrently on PostgreSQL, as 0024. A build that failed leaves an invalid index: drop
``registry_officer_revised`` and migrate again.
"""

from django.db import migrations, models

INDEX = "registry_officer_revised"
FINISHED_STATES_INDEX = "cqo_workflowstate_finished"


def concurrently(schema_editor):
    return "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""


def create(apps, schema_editor):
    schema_editor.execute(
        f"CREATE INDEX {concurrently(schema_editor)}IF NOT EXISTS {INDEX} "
        "ON registry_chiefqualityofficer (organisation_id, id) WHERE latest_revision_id IS NOT NULL"
    )
    schema_editor.execute(f"DROP INDEX {concurrently(schema_editor)}IF EXISTS {FINISHED_STATES_INDEX}")


def drop(apps, schema_editor):
    schema_editor.execute(
        f"CREATE INDEX {concurrently(schema_editor)}IF NOT EXISTS {FINISHED_STATES_INDEX} "
        "ON wagtailcore_workflowstate (content_type_id) WHERE NOT (status IN ('in_progress', 'needs_changes'))"
    )
    schema_editor.execute(f"DROP INDEX {concurrently(schema_editor)}IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("registry", "0025_workflowstate_finished_index")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(
                    model_name="chiefqualityofficer",
                    index=models.Index(
                        condition=models.Q(("latest_revision__isnull", False)),
                        fields=["organisation", "id"],
                        name="registry_officer_revised",
                    ),
                )
            ],
            database_operations=[migrations.RunPython(create, drop)],
        )
    ]
