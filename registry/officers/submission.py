"""Review lifecycle of officer records: submit (one or thousands at once), revoke (撤销审核) and reject.

Approval itself is Wagtail's workflow (:class:`registry.models.OfficerApprovalTask`); these functions add what
Wagtail has no button for, and every transition lands in the record's history (ModelLogEntry).
"""

import uuid

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import (
    ModelLogEntry,
    Revision,
    TaskState,
    Workflow,
    WorkflowContentType,
    WorkflowState,
    WorkflowTask,
)

from ..models import ChiefQualityOfficer, OfficerApprovalTask, ReviewStatus

REVOKE_ACTION = "registry.officer.revoke"
REJECT_ACTION = "registry.officer.reject"
IMPORT_ACTION = "registry.officer.import"
TASK_NAME = "首席质量官审核"
WORKFLOW_NAME = "首席质量官审核流程"


def officer_workflow():
    """The active workflow assigned to officers; created here too when a flushed test database lost it."""
    content_type = ContentType.objects.get_for_model(ChiefQualityOfficer)
    workflow = Workflow.objects.filter(workflow_content_types__content_type=content_type, active=True).first()
    if workflow is None:
        task = OfficerApprovalTask.objects.filter(name=TASK_NAME).first() or OfficerApprovalTask.objects.create(
            name=TASK_NAME
        )
        workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
        WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
        WorkflowContentType.objects.update_or_create(content_type=content_type, defaults={"workflow": workflow})
    return workflow


def submit(officer, user):
    """Save a revision and start the review workflow with ``user`` as the submitter."""
    workflow = officer_workflow()
    officer.save_revision(user=user, log_action=True)
    workflow.start(officer, user)


def bulk_submit(officers, user, enterprises=None):
    """Submit freshly inserted officers for review with a handful of bulk inserts (what ``submit`` does per row).

    Revision, workflow state, task state and the "submitted" history entry are created exactly as Wagtail's
    ``Workflow.start`` creates them, minus the per-object notification signals: approvers see the whole batch
    in their dashboard queue instead of receiving thousands of e-mails.
    """
    if not officers:
        return
    workflow = officer_workflow()
    content_type = ContentType.objects.get_for_model(ChiefQualityOfficer)
    now = timezone.now()
    enterprises = enterprises or {}
    for officer in officers:
        if officer.enterprise_id in enterprises:
            officer.enterprise = enterprises[officer.enterprise_id]
    revisions = Revision.objects.bulk_create(
        [
            Revision(
                content_type=content_type,
                base_content_type=content_type,
                object_id=str(officer.pk),
                user=user,
                created_at=now,
                content=officer.serializable_data(),
                object_str=str(officer),
            )
            for officer in officers
        ],
        batch_size=1000,
    )
    pairs = [(officer.pk, revision.pk) for officer, revision in zip(officers, revisions, strict=True)]
    set_from_pairs(ChiefQualityOfficer, "latest_revision_id", pairs)
    for officer, revision in zip(officers, revisions, strict=True):
        officer.latest_revision = revision
    logs = [
        ModelLogEntry(
            content_type=content_type,
            object_id=str(officer.pk),
            label=str(officer)[:255],
            action=IMPORT_ACTION,
            timestamp=now,
            user=user,
            revision=revision,
            uuid=uuid.uuid4(),
            content_changed=True,
        )
        for officer, revision in zip(officers, revisions, strict=True)
    ]
    task = workflow.tasks.filter(active=True).first().specific
    states = WorkflowState.objects.bulk_create(
        [
            WorkflowState(
                content_type=content_type,
                base_content_type=content_type,
                object_id=str(officer.pk),
                workflow=workflow,
                status=WorkflowState.STATUS_IN_PROGRESS,
                requested_by=user,
                created_at=now,
            )
            for officer in officers
        ],
        batch_size=1000,
    )
    task_state_type = ContentType.objects.get_for_model(task.get_task_state_class())
    task_states = TaskState.objects.bulk_create(
        [
            TaskState(
                workflow_state=state,
                revision=revision,
                task=task,
                status=TaskState.STATUS_IN_PROGRESS,
                started_at=now,
                content_type=task_state_type,
            )
            for state, revision in zip(states, revisions, strict=True)
        ],
        batch_size=1000,
    )
    pairs = [(state.pk, task_state.pk) for state, task_state in zip(states, task_states, strict=True)]
    set_from_pairs(WorkflowState, "current_task_state_id", pairs)
    for entry, state, task_state in zip(logs, states, task_states, strict=True):
        entry.action = "wagtail.workflow.start"
        entry.data = {
            "workflow": {
                "id": workflow.pk,
                "title": workflow.name,
                "status": state.status,
                "next": {"id": task.pk, "title": task.name},
                "task_state_id": task_state.pk,
            }
        }
    ModelLogEntry.objects.bulk_create(logs, batch_size=1000)


def can_revoke(officer, user):
    """撤销审核 belongs to administrators of any organisation above the record's own one."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    organisation = user.organisation
    if not user.is_administrator or organisation is None:
        return False
    own = officer.organisation
    return own.path.startswith(organisation.path) and own.path != organisation.path


@transaction.atomic
def revoke(officer, user, reason, reject=False):
    """Withdraw an approval (or reject the record): back to pending review, or rejected, with the reason logged."""
    if not can_revoke(officer, user):
        raise PermissionDenied
    state = officer.current_workflow_state
    if state is not None:
        state.cancel(user=user)
    officer.live = False
    officer.has_unpublished_changes = True
    officer.review_status = ReviewStatus.REJECTED if reject else ReviewStatus.REVOKED
    officer.review_comment = reason
    officer.save()
    log(
        instance=officer,
        action=REJECT_ACTION if reject else REVOKE_ACTION,
        user=user,
        data={"comment": reason},
    )
    if not reject:
        submit(officer, user)


def set_from_pairs(model, column, pairs):
    """``UPDATE … SET column = new FROM (VALUES (pk, new), …)``: one statement per thousand rows.

    Django's bulk_update writes a CASE with a branch per row, and a correlated subquery re-reads the other
    table per row; both cost more than the inserts they follow. PostgreSQL and SQLite (3.33+) both know
    UPDATE … FROM; only the naming of the VALUES columns differs.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(column)
    if connection.vendor == "postgresql":
        source, key, value = "(VALUES {rows}) AS v (key, value)", "v.key", "v.value"
    else:
        source, key, value = "(VALUES {rows}) AS v", "v.column1", "v.column2"
    with connection.cursor() as cursor:
        for chunk in chunks(pairs, 1000):
            rows = ", ".join(["(%s, %s)"] * len(chunk))
            cursor.execute(
                f"UPDATE {table} SET {column} = {value} FROM {source.format(rows=rows)} WHERE {table}.id = {key}",
                [item for pair in chunk for item in pair],
            )


def chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]
