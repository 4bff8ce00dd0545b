"""Create the organisation filings' review workflow and give every existing filing the state its status said.

Each filing gets a revision of itself; a filed one also a workflow state, submitted by an account of its
enterprise: approved filings are live (the approval, with reviewer and time, kept as the task state), pending
ones await the organiser, rejected ones are back with the enterprise with the reason as the task state's comment.
"""

from django.db import migrations
from modelcluster.models import get_serializable_data_for_fields

TASK_NAME = "质量标杆组织备案审核"
WORKFLOW_NAME = "质量标杆组织备案审核流程"
WORKFLOW_STATUS = {"pending": "in_progress", "approved": "approved", "rejected": "needs_changes"}
TASK_STATUS = {"pending": "in_progress", "approved": "approved", "rejected": "rejected"}


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    WorkflowState = apps.get_model("wagtailcore", "WorkflowState")
    TaskState = apps.get_model("wagtailcore", "TaskState")
    Revision = apps.get_model("wagtailcore", "Revision")
    User = apps.get_model("registry", "User")
    ApprovalTask = apps.get_model("awards", "OrganisationFilingApprovalTask")
    OrganisationFiling = apps.get_model("awards", "OrganisationFiling")

    task_type, _ = ContentType.objects.get_or_create(app_label="awards", model="organisationfilingapprovaltask")
    filing_type, _ = ContentType.objects.get_or_create(app_label="awards", model="organisationfiling")
    task_state_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="taskstate")
    task = ApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = ApprovalTask.objects.create(name=TASK_NAME, content_type=task_type, active=True)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowContentType.objects.update_or_create(content_type=filing_type, defaults={"workflow": workflow})

    for filing in OrganisationFiling.objects.iterator():
        approved = filing.status == "approved"
        submitter = User.objects.filter(enterprise_id=filing.enterprise_id).order_by("pk").first()
        filed_at = filing.submitted_at or filing.created_at
        decided_at = filing.reviewed_at or filing.updated_at
        filing.live = approved
        filing.has_unpublished_changes = not approved
        revision = Revision.objects.create(
            content_type=filing_type,
            base_content_type=filing_type,
            object_id=str(filing.pk),
            user=submitter,
            content=get_serializable_data_for_fields(filing),
            object_str=filing.name,
            created_at=filed_at,
        )
        if filing.status in WORKFLOW_STATUS:
            state = WorkflowState.objects.create(
                content_type=filing_type,
                base_content_type=filing_type,
                object_id=str(filing.pk),
                workflow=workflow,
                status=WORKFLOW_STATUS[filing.status],
                requested_by=submitter,
            )
            task_state = TaskState.objects.create(
                workflow_state=state,
                revision=revision,
                task=task,
                status=TASK_STATUS[filing.status],
                finished_at=None if filing.status == "pending" else decided_at,
                finished_by=None if filing.status == "pending" else filing.reviewed_by,
                comment=filing.reject_reason if filing.status == "rejected" else "",
                content_type=task_state_type,
            )
            WorkflowState.objects.filter(pk=state.pk).update(current_task_state=task_state, created_at=filed_at)
            TaskState.objects.filter(pk=task_state.pk).update(started_at=filed_at)
        OrganisationFiling.objects.filter(pk=filing.pk).update(
            live=approved,
            has_unpublished_changes=not approved,
            latest_revision=revision,
            live_revision=revision if approved else None,
            first_published_at=decided_at if approved else None,
            last_published_at=decided_at if approved else None,
        )


def backwards(apps, schema_editor):
    """Back to the status field: approved if live, then as the newest workflow state says, otherwise a draft."""
    OrganisationFiling = apps.get_model("awards", "OrganisationFiling")
    WorkflowState = apps.get_model("wagtailcore", "WorkflowState")
    ContentType = apps.get_model("contenttypes", "ContentType")
    filing_type = ContentType.objects.filter(app_label="awards", model="organisationfiling").first()
    status_of = {"in_progress": "pending", "needs_changes": "rejected"}
    for filing in OrganisationFiling.objects.all():
        state = (
            WorkflowState.objects.filter(base_content_type=filing_type, object_id=str(filing.pk))
            .select_related("current_task_state")
            .order_by("-pk")
            .first()
        )
        task_state = state.current_task_state if state else None
        filing.status = "approved" if filing.live else status_of.get(state.status if state else "", "draft")
        filing.reject_reason = task_state.comment if task_state and filing.status == "rejected" else ""
        filing.reviewed_by_id = task_state.finished_by_id if task_state else None
        filing.reviewed_at = task_state.finished_at if task_state else None
        filing.save(update_fields=["status", "reject_reason", "reviewed_by", "reviewed_at"])
    WorkflowState.objects.filter(base_content_type=filing_type).delete()
    apps.get_model("wagtailcore", "Revision").objects.filter(base_content_type=filing_type).delete()
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW_NAME).delete()
    apps.get_model("awards", "OrganisationFilingApprovalTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0006_organisation_filing_workflow"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
