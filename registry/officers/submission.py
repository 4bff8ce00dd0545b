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
from wagtail.models import ModelLogEntry, Revision, TaskState, WorkflowState

from .. import workflows
from ..bulk import chunks, insert_rows, reserve_ids
from ..models import ChiefQualityOfficer, OfficerApprovalTask, ReviewStatus
from ..workflows import workflow_for

REVOKE_ACTION = "registry.officer.revoke"
REJECT_ACTION = "registry.officer.reject"
IMPORT_ACTION = "registry.officer.import"
TASK_NAME = "首席质量官审核"
WORKFLOW_NAME = "首席质量官审核流程"
#: A bulk submission of at least this many records refreshes the planner's statistics of the review tables.
ANALYZE_AFTER = 1000


def officer_workflow():
    """The active workflow assigned to officers."""
    return workflow_for(ChiefQualityOfficer, OfficerApprovalTask, TASK_NAME, WORKFLOW_NAME)


def officer_task():
    """The (single-task) officer workflow's approval task."""
    return officer_workflow().tasks.filter(active=True).first().specific


def submit(officer, user):
    """Save a revision and start the review workflow with ``user`` as the submitter."""
    workflows.submit(officer, user, officer_workflow())


@transaction.atomic
def bulk_submit(officers, user, enterprises=None, revision_ids=None):
    """Submit freshly inserted officers for review with a handful of bulk inserts (what ``submit`` does per row).

    Revision, workflow state, task state and the "submitted" history entry are created exactly as Wagtail's
    ``Workflow.start`` creates them, minus the per-object notification signals: approvers see the whole batch
    in their dashboard queue instead of receiving thousands of e-mails.

    ``revision_ids``: ids reserved for the revisions (:func:`registry.bulk.reserve_ids`) and inserted with the new
    officers as their latest revision (an import): then no UPDATE writes every officer row a second time (and all its
    indexes) right after the COPY. The workflow states are written with their task state in the same way: rows that
    point at rows written after them, so all in one transaction (the foreign keys are checked at its commit).
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
    # What Wagtail's save_revision serialises: the record as it was before this revision was its latest.
    before = {"latest_revision": None} if revision_ids is not None else {}
    revision_ids = insert_rows(
        Revision,
        [
            {
                "content_type_id": content_type.pk,
                "base_content_type_id": content_type.pk,
                "object_id": str(officer.pk),
                "user_id": user.pk,
                "created_at": now,
                "content": {**officer.serializable_data(), **before},
                "object_str": str(officer),
                "approved_go_live_at": None,
            }
            for officer in officers
        ],
        ids=revision_ids,
    )
    if not before:
        set_from_pairs(
            ChiefQualityOfficer,
            "latest_revision_id",
            [(officer.pk, revision_id) for officer, revision_id in zip(officers, revision_ids, strict=True)],
        )
    for officer, revision_id in zip(officers, revision_ids, strict=True):
        officer.latest_revision_id = revision_id
    task = officer_task()
    task_state_ids = reserve_ids(TaskState, len(officers))
    state_ids = insert_rows(
        WorkflowState,
        [
            {
                "content_type_id": content_type.pk,
                "base_content_type_id": content_type.pk,
                "object_id": str(officer.pk),
                "workflow_id": workflow.pk,
                "status": WorkflowState.STATUS_IN_PROGRESS,
                "requested_by_id": user.pk,
                "created_at": now,
                "current_task_state_id": task_state_id,
            }
            for officer, task_state_id in zip(officers, task_state_ids or [None] * len(officers), strict=True)
        ],
    )
    task_state_type = ContentType.objects.get_for_model(task.get_task_state_class())
    reserved = task_state_ids is not None
    task_state_ids = insert_rows(
        TaskState,
        [
            {
                "workflow_state_id": state_id,
                "revision_id": revision_id,
                "task_id": task.pk,
                "status": TaskState.STATUS_IN_PROGRESS,
                "started_at": now,
                "finished_at": None,
                "finished_by_id": None,
                "comment": "",
                "content_type_id": task_state_type.pk,
            }
            for state_id, revision_id in zip(state_ids, revision_ids, strict=True)
        ],
        ids=task_state_ids,
    )
    if not reserved:
        set_from_pairs(WorkflowState, "current_task_state_id", list(zip(state_ids, task_state_ids, strict=True)))
    insert_rows(
        ModelLogEntry,
        [
            {
                "content_type_id": content_type.pk,
                "object_id": str(officer.pk),
                "label": str(officer)[:255],
                "action": "wagtail.workflow.start",
                "data": {
                    "workflow": {
                        "id": workflow.pk,
                        "title": workflow.name,
                        "status": WorkflowState.STATUS_IN_PROGRESS,
                        "next": {"id": task.pk, "title": task.name},
                        "task_state_id": task_state_id,
                    }
                },
                "timestamp": now,
                "uuid": uuid.uuid4(),
                "user_id": user.pk,
                "revision_id": revision_id,
                "content_changed": False,
                "deleted": False,
            }
            for officer, revision_id, task_state_id in zip(officers, revision_ids, task_state_ids, strict=True)
        ],
    )

    if connection.vendor == "postgresql" and len(officers) >= ANALYZE_AFTER:
        # Thousands of new rows before autovacuum has looked: without fresh statistics the planner takes the review
        # queues' semi-joins for tiny and nests them (minutes instead of milliseconds, seen on a fresh import).
        with connection.cursor() as cursor:
            for model in (ChiefQualityOfficer, WorkflowState, TaskState):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def can_revoke(officer, user):
    """撤销审核 belongs to administrators of any organisation above the record's own one; never on an erased record."""
    if not user.is_authenticated or not user.is_active or officer.erased_at is not None:
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
