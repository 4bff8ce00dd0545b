"""Copy the awards' own review log into Wagtail's log (``ModelLogEntry``), the one history of an application: its
snippet's History view and the applicant's page read it; 0012 then deletes the old table.

Each entry keeps its time, user, comment, states and changes; its action becomes ``awards.<action>`` as
``filings.awards.models.review.log_step`` writes it, its label the application's name as ``Application.__str__``
gives it.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    ReviewLogEntry = apps.get_model("awards", "ReviewLogEntry")

    entries = ReviewLogEntry.objects.select_related("application__filing", "application__project")
    if not entries.exists():
        return
    application_type, _ = ContentType.objects.get_or_create(app_label="awards", model="application")
    copies = []
    for entry in entries.order_by("created_at", "pk").iterator():
        application = entry.application
        data = {"from_state": entry.from_state, "to_state": entry.to_state, "comment": entry.comment}
        if entry.changes:
            data["changes"] = entry.changes
        copies.append(
            ModelLogEntry(
                content_type=application_type,
                object_id=str(application.pk),
                label=f"{application.submitted_organisation or application.filing.name}："
                f"{application.submitted_project or application.project.name}",
                action=f"awards.{entry.action}",
                data=data,
                timestamp=entry.created_at,
                user_id=entry.actor_id,
            )
        )
    ModelLogEntry.objects.bulk_create(copies, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0010_application_review_states"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
