"""Reviewing officer records: who may publish, the dashboard's review queues, and 批量审核 (bulk review).

The approver rule lives in :class:`registry.workflows.OrganisationApprovalTask`; everything here asks it as a query
(``get_task_states_user_can_moderate``), so a queue of 5,000 records costs what a queue of 5 costs.

Bulk review decides thousands of records in a background task. A record that was never published and whose
submitted revision is still its latest (every imported record) is decided with a handful of set-based
statements that leave exactly the rows Wagtail's own approve or reject leaves (task state, workflow state, the
published revision, history entries); any other record goes through Wagtail's per-object action.
"""

import logging
import uuid
from urllib.parse import urlsplit

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import BigIntegerField, CharField, Count, F, IntegerField, Q, Window
from django.db.models.functions import Cast, Coalesce
from django.http import QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task
from wagtail.admin.ui.components import Component
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.log_actions import log
from wagtail.models import (
    ModelLogEntry,
    Page,
    Revision,
    Task,
    TaskState,
    WorkflowState,
    get_default_page_content_type,
)

from cqosite import pagecache

from ..bulk import chunks, insert_rows
from ..lookups import AnyOf
from ..models import ChiefQualityOfficer, ReviewJob, ReviewStatus
from ..params import query_ids
from ..scoping import unit_ids
from ..workflows import ApprovalPublishingPolicy, ComputedApprovalTask, is_approver_account, reviewable_task_states
from .submission import officer_task

logger = logging.getLogger(__name__)

#: The most records one bulk review takes: one import's worth.
MAX_RECORDS = 5000
#: Records decided per transaction; the job's progress advances by this much.
CHUNK = 500
#: Rows each dashboard queue shows; the rest are behind its "show all" link.
PANEL_ROWS = 10
BULK_REVIEW_ACTION = "registry.officer.bulk_review"


class OfficerPermissionPolicy(ApprovalPublishingPolicy):
    """Approval publishes (``registry.workflows``); an erased record can no longer be changed."""

    def user_has_permission_for_instance(self, user, action, instance):
        """An erased record (registry.officers.personal_data) is kept for the statistics only: nobody edits it."""
        if action in ("change", "publish", "unpublish", "lock", "unlock") and instance.erased_at is not None:
            return False
        return super().user_has_permission_for_instance(user, action, instance)


# The review queue as queries.


def reviewable_states(user):
    """In-progress officer task states ``user`` may decide: one query, whatever the queue's length."""
    return officer_task().get_task_states_user_can_moderate(user)


def reviewable_keys(user):
    """Ids of the officers whose review ``user`` may decide, as a subquery of their task states.

    The states' object ids (text) are cast to the officer's id type, not each officer's id to text: the database
    then looks the few records up by primary key instead of joining a whole county's records first.
    """
    return reviewable_states(user).annotate(key=Cast("workflow_state__object_id", BigIntegerField())).values("key")


def reviewable(officers, user):
    """``officers`` (a queryset) narrowed to those whose review ``user`` may decide.

    An administrator's are the records in review of the units they approve, each looked up in the workflow states
    (objects_user_can_moderate), as conditions on the listing's own rows: a page costs its rows' look-ups, where
    ``pk IN (...)`` made PostgreSQL hash the whole subtree's records or every state in progress. Their keys come
    first, gathered in one array (as many as the units' queue), when they are of several units: the newest-first page
    then reads those records by key, where a walk down the registry's newest records tested every newer record in
    review of other provinces (a city's first page: 48 ms → 2 ms at 135,000 in review). A single unit's are read in
    order from its own index; gathered, they were all read and sorted (a county's page: 5 → 44 ms).
    """
    if is_approver_account(user) and not user.is_superuser and user.organisation is not None:
        approval = officer_task()
        units = unit_ids(approval.approved_units(user.organisation))
        of_units = approval.objects_of_units(units)
        awaiting = officers & approval.objects_user_can_moderate(user, of_units)
        if isinstance(units, list) and len(units) == 1:  # one unit: its index (unit, newest first) reads them in order
            return awaiting
        return awaiting.filter(AnyOf("pk", of_units.order_by().values("pk")))
    return officers.filter(pk__in=reviewable_keys(user))


def reviewable_ids(user, officers):
    """Ids (ints) of ``officers`` (a queryset) whose review ``user`` may decide, as a subquery."""
    return reviewable(officers, user).values("pk")


# Dashboard panels: Wagtail's list every state (with ~6 queries each); these list the newest few and count the rest.


def admin_object_url(content_type_id, object_id, name="edit"):
    """The edit (or other) admin URL of a page or snippet, from its content type alone: no object loaded."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return ""
    if issubclass(model, Page):
        return reverse(f"wagtailadmin_pages:{name}", args=[object_id])
    viewset = getattr(model, "snippet_viewset", None)
    return reverse(viewset.get_url_name(name), args=[object_id]) if viewset else ""


def workflow_action_url(content_type_id, object_id, action, task_state_id):
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if issubclass(model, Page):
        return reverse("wagtailadmin_pages:workflow_action", args=[object_id, action, task_state_id])
    return reverse(model.snippet_viewset.get_url_name("workflow_action"), args=[object_id, action, task_state_id])


class AwaitingReviewPanel(Component):
    """待审核: the newest objects awaiting the user's review, with approve/reject, and how many more there are."""

    name = "workflow_objects_to_moderate"
    template_name = "registry/admin/awaiting_review_panel.html"
    order = 220

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        states = reviewable_task_states(request.user)
        # The newest rows' ids and the count in one pass over the queue; then those rows alone with their details.
        newest = list(
            states.annotate(total=Window(Count("pk")))
            .order_by("-started_at", "-pk")
            .values_list("pk", "total")[:PANEL_ROWS]
        )
        total = newest[0][1] if newest else 0
        rows = []
        if total:
            tasks = {}
            page = (
                TaskState.objects.filter(pk__in=[pk for pk, _total in newest])
                .select_related("revision__user", "workflow_state")
                .defer("revision__content")
                .order_by("-started_at", "-pk")
            )
            for state in page:
                if state.task_id not in tasks:
                    tasks[state.task_id] = Task.objects.get(pk=state.task_id).specific
                task_ = tasks[state.task_id]
                workflow_state = state.workflow_state
                content_type_id = workflow_state.content_type_id
                if isinstance(task_, ComputedApprovalTask):
                    actions = task_.moderator_actions()
                else:
                    actions = task_.get_actions(workflow_state.content_object, request.user)
                rows.append(
                    {
                        "title": state.revision.object_str,
                        "edit_url": admin_object_url(content_type_id, workflow_state.object_id),
                        "submitter": state.revision.user,
                        "started_at": state.started_at,
                        "task_name": task_.name,
                        "actions": [
                            (
                                workflow_action_url(content_type_id, workflow_state.object_id, action, state.pk),
                                label,
                                modal,
                            )
                            for action, label, modal in actions
                        ],
                    }
                )
        return {
            "rows": rows,
            "total": total,
            "more": total - len(rows),
            "all_url": reverse("wagtailsnippets_registry_chiefqualityofficer:list") + "?awaiting=me",
            "csrf_token": parent_context["csrf_token"],
            "request": request,
        }


class InReviewPanel(Component):
    """Your records in review: the newest few of what the user submitted (or owns), and how many in all."""

    name = "user_objects_in_workflow_moderation"
    template_name = "registry/admin/in_review_panel.html"
    order = 210

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        owned_pages = Q(base_content_type_id=get_default_page_content_type().id) & Q(
            object_id__in=Page.objects.filter(owner=request.user).annotate(key=Cast("pk", CharField())).values("key")
        )
        states = WorkflowState.objects.active().filter(owned_pages | Q(requested_by=request.user))
        total = states.count()
        rows = []
        if total:
            page = (
                states.select_related("current_task_state__task", "current_task_state__revision")
                .defer("current_task_state__revision__content")
                .order_by("-current_task_state__started_at", "-pk")[:PANEL_ROWS]
            )
            for state in page:
                task_state = state.current_task_state
                rows.append(
                    {
                        "title": task_state.revision.object_str if task_state and task_state.revision else "",
                        "edit_url": admin_object_url(state.content_type_id, state.object_id),
                        "rejected": task_state is not None and task_state.status == TaskState.STATUS_REJECTED,
                        "task_name": task_state.task.name if task_state else "",
                        "started_at": task_state.started_at if task_state else None,
                    }
                )
        return {"rows": rows, "total": total, "more": total - len(rows), "request": request}


def replace_homepage_panels(request, panels):
    """Swap Wagtail's two unbounded workflow panels for the bounded ones above."""
    replacements = {AwaitingReviewPanel.name: AwaitingReviewPanel, InReviewPanel.name: InReviewPanel}
    for index, panel in enumerate(panels):
        if getattr(panel, "name", None) in replacements:
            panels[index] = replacements[panel.name]()


# Bulk review.


def start_job(user, officer_ids, decision, reason=""):
    """Queue a bulk review of ``officer_ids``; the task runs after the surrounding transaction commits."""
    job = ReviewJob.objects.create(
        user=user, decision=decision, reason=reason, officer_ids=list(officer_ids), total=len(officer_ids)
    )
    transaction.on_commit(lambda: review_officers_task.enqueue(job.pk))
    return job


def run_review_job(job):
    """Decide every record of ``job`` a chunk at a time, recording progress; records not the user's are skipped."""
    ReviewJob.objects.filter(pk=job.pk).update(status=ReviewJob.Status.RUNNING)
    reviewed = skipped = 0
    for done, chunk in enumerate(chunks(job.officer_ids, CHUNK)):
        decided = review_chunk(job.user, chunk, job.decision, job.reason)
        reviewed += decided
        skipped += len(chunk) - decided
        ReviewJob.objects.filter(pk=job.pk).update(
            processed=min(job.total, (done + 1) * CHUNK), reviewed_count=reviewed, skipped_count=skipped
        )
    job.refresh_from_db()
    job.status = ReviewJob.Status.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "finished_at"])
    log(
        job.user.organisation or job.user,
        BULK_REVIEW_ACTION,
        user=job.user,
        data={"decision": job.decision, "reviewed": reviewed, "skipped": skipped, "comment": job.reason},
    )
    from ..statistics import caching

    caching.GENERATION.bump()
    return job


@task()
def review_officers_task(job_id):
    job = ReviewJob.objects.select_related("user__organisation").get(pk=job_id)
    try:
        run_review_job(job)
    except Exception as error:
        logger.exception("Bulk review job %s (user %s) crashed", job.pk, job.user_id)
        ReviewJob.objects.filter(pk=job.pk).update(
            status=ReviewJob.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise


@transaction.atomic
def review_chunk(user, officer_ids, decision, reason=""):
    """Approve or reject those of ``officer_ids`` whose review ``user`` may decide; returns how many were decided."""
    if decision == ReviewJob.Decision.REJECT and not reason.strip():
        raise ValueError("A rejection needs a reason")
    task_ = officer_task()
    states = list(
        task_.get_task_states_user_can_moderate(user)
        .filter(workflow_state__object_id__in=[str(pk) for pk in officer_ids])
        .select_for_update(of=("self",))
        .annotate(officer_id=Cast("workflow_state__object_id", IntegerField()))
        .values("pk", "workflow_state_id", "revision_id", "officer_id", "workflow_state__workflow_id")
    )
    if not states:
        return 0
    now = timezone.now()
    officers = {
        row["pk"]: row
        for row in ChiefQualityOfficer.unscoped.filter(pk__in=[state["officer_id"] for state in states]).values(
            "pk", "live", "latest_revision_id", "go_live_at", "real_name", "enterprise__name"
        )
    }
    fast, slow = [], []
    for state in states:
        officer = officers.get(state["officer_id"])
        if officer is None:
            continue
        simple = (
            not officer["live"]
            and officer["latest_revision_id"] == state["revision_id"]
            and (officer["go_live_at"] is None or officer["go_live_at"] <= now)
        )
        (fast if simple else slow).append((state, officer))
    for state, _officer in slow:
        task_state = TaskState.objects.get(pk=state["pk"]).specific
        task_.on_action(task_state, user, decision, comment=reason)
    if fast:
        decide_set(task_, user, fast, decision, reason, now)
    return len(fast) + len(slow)


def decide_set(task_, user, pairs, decision, reason, now):
    """What Wagtail's TaskState.approve/reject (and, for approval, the publish) write, for many records at once."""
    state_ids = [state["pk"] for state, _officer in pairs]
    officer_ids = [officer["pk"] for _state, officer in pairs]
    approve = decision == ReviewJob.Decision.APPROVE
    TaskState.objects.filter(pk__in=state_ids).update(
        status=TaskState.STATUS_APPROVED if approve else TaskState.STATUS_REJECTED,
        finished_at=now,
        finished_by=user,
        comment=reason,
    )
    WorkflowState.objects.filter(pk__in=[state["workflow_state_id"] for state, _officer in pairs]).update(
        status=WorkflowState.STATUS_APPROVED if approve else WorkflowState.STATUS_NEEDS_CHANGES
    )
    officers = ChiefQualityOfficer.unscoped.filter(pk__in=officer_ids)
    if approve:
        officers.update(
            live=True,
            has_unpublished_changes=False,
            expired=False,
            live_revision_id=F("latest_revision_id"),
            first_published_at=Coalesce("first_published_at", now),
            last_published_at=now,
            review_status=ReviewStatus.APPROVED,
            updated_at=now,
        )
        Revision.objects.filter(
            base_content_type=ContentType.objects.get_for_model(ChiefQualityOfficer),
            object_id__in=[str(pk) for pk in officer_ids],
        ).exclude(approved_go_live_at=None).update(approved_go_live_at=None)
        pagecache.invalidate(ChiefQualityOfficer)  # the talent pool shows them: Wagtail's publish would say so
    else:
        officers.update(review_status=ReviewStatus.REJECTED, review_comment=reason)
    content_type_id = ContentType.objects.get_for_model(ChiefQualityOfficer).pk
    workflows = {}
    entries = []
    action = "approve" if approve else "reject"
    for state, officer in pairs:
        workflow_id = state["workflow_state__workflow_id"]
        if workflow_id not in workflows:
            workflows[workflow_id] = WorkflowState.objects.get(pk=state["workflow_state_id"]).workflow
        workflow = workflows[workflow_id]
        common = {
            "content_type_id": content_type_id,
            "object_id": str(officer["pk"]),
            "label": f"{officer['real_name']}（{officer['enterprise__name']}）"[:255],
            "timestamp": now,
            "uuid": uuid.uuid4(),
            "user_id": user.pk,
            "revision_id": state["revision_id"],
            "deleted": False,
        }
        entries.append(
            {
                **common,
                "action": f"wagtail.workflow.{action}",
                "data": {
                    "workflow": {
                        "id": workflow.pk,
                        "title": workflow.name,
                        "status": TaskState.STATUS_APPROVED if approve else TaskState.STATUS_REJECTED,
                        "task_state_id": state["pk"],
                        "task": {"id": task_.pk, "title": task_.name},
                        # Wagtail's get_next_task(): none after the last approval, the same task after a rejection.
                        "next": None if approve else {"id": task_.pk, "title": task_.name},
                    },
                    "comment": reason,
                },
                "content_changed": False,
            }
        )
        if approve:
            entries.append({**common, "action": "wagtail.publish", "data": {}, "content_changed": True})
    insert_rows(ModelLogEntry, entries)


# The bulk action in the officer listing.


class BulkReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=ReviewJob.Decision.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for a rejection; the submitter sees it in the record's history."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == ReviewJob.Decision.REJECT and not data.get("reason", "").strip():
            self.add_error("reason", _("Give the reason for the rejection."))
        return data


class ReviewBulkAction(BulkAction):
    """批量审核: approve or reject the selected records, or every record matching the listing's filter."""

    display_name = _("Review")
    action_type = "review"
    aria_label = _("Approve or reject the selected records")
    template_name = "registry/officer_bulk_review.html"
    action_priority = 20
    form_class = BulkReviewForm
    models = [ChiefQualityOfficer]

    def selected(self):
        """The chosen records as a queryset (scoped to the user's subtree by the default manager)."""
        ids = query_ids(self.request, "id", words=("all",))
        officers = ChiefQualityOfficer.objects.all()
        if "all" in ids:
            from .filters import OfficerFilterSet

            query = QueryDict(urlsplit(self.next_url).query)
            return OfficerFilterSet(query, queryset=officers, request=self.request).qs
        return officers.filter(pk__in=[int(pk) for pk in ids if pk != "all"][: MAX_RECORDS + 1])

    def get_actionable_objects(self):
        selected = self.selected()
        ids = list(reviewable_ids(self.request.user, selected).order_by("pk")[: MAX_RECORDS + 1])
        chosen = selected.order_by().count()
        return [row["pk"] for row in ids], {"chosen": chosen}

    def get_context_data(self, **kwargs):
        ids, extra = self.get_actionable_objects()
        sample = ChiefQualityOfficer.objects.filter(pk__in=ids[:20]).select_related("enterprise")
        return {
            **super(BulkAction, self).get_context_data(**kwargs),  # the form, without BulkAction's item list
            "count": len(ids),
            "too_many": len(ids) > MAX_RECORDS,
            "max_records": MAX_RECORDS,
            "not_reviewable": extra["chosen"] - len(ids),
            "sample": sample,
            "next": self.next_url,
            "submit_url": self.request.path + "?" + self.request.META["QUERY_STRING"],
            "model_opts": self.model._meta,
        }

    def form_valid(self, form):
        ids, _extra = self.get_actionable_objects()
        if not ids or len(ids) > MAX_RECORDS:
            raise PermissionDenied
        job = start_job(self.request.user, ids, form.cleaned_data["decision"], form.cleaned_data["reason"].strip())
        return redirect(reverse("wagtailsnippets_registry_chiefqualityofficer:review_job", args=[job.pk]))
