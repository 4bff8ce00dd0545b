"""Create the filing units' review workflow and give every existing unit the state its old status said.

Each unit gets a revision of itself and a workflow state submitted by its own account: approved units are live
(their approval, with reviewer, time and remarks, kept as the task state), pending ones await the secretariat,
rejected ones are back with their unit with the reason as the task state's comment.
"""

from django.db import migrations
from modelcluster.models import get_serializable_data_for_fields

TASK_NAME = "申报单位注册审核"
WORKFLOW_NAME = "申报单位注册审核流程"


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    WorkflowState = apps.get_model("wagtailcore", "WorkflowState")
    TaskState = apps.get_model("wagtailcore", "TaskState")
    Revision = apps.get_model("wagtailcore", "Revision")
    FilingUnitApprovalTask = apps.get_model("qcgroups", "FilingUnitApprovalTask")
    FilingUnit = apps.get_model("qcgroups", "FilingUnit")

    task_type, _ = ContentType.objects.get_or_create(app_label="qcgroups", model="filingunitapprovaltask")
    unit_type, _ = ContentType.objects.get_or_create(app_label="qcgroups", model="filingunit")
    task_state_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="taskstate")
    task = FilingUnitApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = FilingUnitApprovalTask.objects.create(name=TASK_NAME, content_type=task_type, active=True)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowContentType.objects.update_or_create(content_type=unit_type, defaults={"workflow": workflow})

    workflow_status = {"pending": "in_progress", "approved": "approved", "rejected": "needs_changes"}
    task_status = {"pending": "in_progress", "approved": "approved", "rejected": "rejected"}
    for unit in FilingUnit.objects.select_related("account").iterator():
        approved = unit.status == "approved"
        decided_at = unit.reviewed_at or unit.created_at
        unit.live = approved
        unit.has_unpublished_changes = not approved
        content = get_serializable_data_for_fields(unit)
        revision = Revision.objects.create(
            content_type=unit_type,
            base_content_type=unit_type,
            object_id=str(unit.pk),
            user=unit.account,
            content=content,
            object_str=unit.name,
            created_at=unit.created_at,
        )
        state = WorkflowState.objects.create(
            content_type=unit_type,
            base_content_type=unit_type,
            object_id=str(unit.pk),
            workflow=workflow,
            status=workflow_status[unit.status],
            requested_by=unit.account,
        )
        task_state = TaskState.objects.create(
            workflow_state=state,
            revision=revision,
            task=task,
            status=task_status[unit.status],
            finished_at=None if unit.status == "pending" else decided_at,
            finished_by=None if unit.status == "pending" else unit.reviewed_by,
            comment=unit.review_reason,
            content_type=task_state_type,
        )
        WorkflowState.objects.filter(pk=state.pk).update(current_task_state=task_state, created_at=unit.created_at)
        TaskState.objects.filter(pk=task_state.pk).update(started_at=unit.created_at)
        FilingUnit.objects.filter(pk=unit.pk).update(
            live=approved,
            has_unpublished_changes=not approved,
            latest_revision=revision,
            live_revision=revision if approved else None,
            first_published_at=decided_at if approved else None,
            last_published_at=decided_at if approved else None,
        )


def backwards(apps, schema_editor):
    """Back to the status field: approved if live, rejected if changes were requested, otherwise pending."""
    FilingUnit = apps.get_model("qcgroups", "FilingUnit")
    WorkflowState = apps.get_model("wagtailcore", "WorkflowState")
    ContentType = apps.get_model("contenttypes", "ContentType")
    unit_type = ContentType.objects.filter(app_label="qcgroups", model="filingunit").first()
    for unit in FilingUnit.objects.all():
        state = (
            WorkflowState.objects.filter(base_content_type=unit_type, object_id=str(unit.pk))
            .select_related("current_task_state")
            .order_by("-pk")
            .first()
        )
        task_state = state.current_task_state if state else None
        unit.status = (
            "approved" if unit.live else "rejected" if state and state.status == "needs_changes" else "pending"
        )
        unit.review_reason = task_state.comment if task_state else ""
        unit.reviewed_by_id = task_state.finished_by_id if task_state else None
        unit.reviewed_at = task_state.finished_at if task_state else None
        unit.save(update_fields=["status", "review_reason", "reviewed_by", "reviewed_at"])
    WorkflowState.objects.filter(base_content_type=unit_type).delete()
    apps.get_model("wagtailcore", "Revision").objects.filter(base_content_type=unit_type).delete()
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW_NAME).delete()
    apps.get_model("qcgroups", "FilingUnitApprovalTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("qcgroups", "0003_filing_unit_workflow"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
