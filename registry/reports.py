"""The audit trail: Wagtail's site-history and workflow reports confined to the user's subtree, and audit entries
for what Wagtail does not log itself (exports, workbook imports, password resets).

Those reports filter by content type permission only, so a county administrator with permission on
enterprises would see the log entries and workflow states of every enterprise in the country. These
subclasses drop any row about a registry record (or organisation, or administrator) outside the subtree.
"""

import copy

import django_filters
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField, CharField, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.db.models.lookups import IsNull
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.views.reports.aging_pages import AgingPagesView
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.admin.views.reports.locked_pages import LockedPagesView
from wagtail.admin.views.reports.workflows import WorkflowReportFilterSet, WorkflowTasksView, WorkflowView
from wagtail.log_actions import log
from wagtail.models import DraftStateMixin, ModelLogEntry, TaskState, WorkflowMixin, WorkflowState, WorkflowTask

from .exports import ExportMixin
from .lookups import AnyOf
from .models import Administrator, Organisation, User
from .pagination import CappedCountPaginator
from .params import query_string
from .scoping import ScopedModelMixin, scope_for_user, subtree_filter
from .workflows import reviewable_task_states

EXPORT_ACTION = "registry.export"
IMPORT_ACTION = "registry.import"
PASSWORD_RESET_ACTION = "registry.password_reset"
ABOLISH_ACTION = "registry.abolish"


def log_export(request, what, export_format, whole_values=False):
    """Audit an export: who exported what, with which filters, and whether ID numbers and mobiles left whole.

    Logged against the exporter's organisation, so the scoped site-history report shows it to that
    organisation's administrators and those above it, and to nobody else.
    """
    data = {"what": str(what), "format": export_format, "filters": query_string(request, export=None)}
    if whole_values:
        data["whole_values"] = True
    log(request.user.organisation or request.user, EXPORT_ACTION, user=request.user, data=data)


class AuditedExportMixin(ExportMixin):
    """For listing and report views with Wagtail's xlsx/CSV export: written by the project's one writer
    (registry.exports), and every export lands in the audit log."""

    def as_spreadsheet(self, queryset, spreadsheet_format):
        log_export(self.request, self.get_page_title(), spreadsheet_format, self.exports_whole_values())
        return super().as_spreadsheet(queryset, spreadsheet_format)


def in_scope_ids(model, prefix):
    """Primary keys (as text, like log and workflow object ids) of ``model`` records in the subtree."""
    if issubclass(model, ScopedModelMixin):
        queryset = model.unscoped.within(prefix)
    elif issubclass(model, Organisation):
        queryset = Organisation.objects.filter(path__startswith=prefix)
    else:
        queryset = User.objects.filter(organisation__path__startswith=prefix)
    return text_keys(queryset)


def out_of_scope(user, content_type_field, object_id_field):
    """A Q matching rows that name a scoped record outside ``user``'s subtree (``None``: nothing to drop)."""
    prefix = scope_for_user(user)
    if prefix is None:
        return None
    models = [m for m in apps.get_models() if issubclass(m, ScopedModelMixin)]
    models += [Organisation, User, Administrator]
    condition = Q()
    for model in models:
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        condition |= Q(**{content_type_field: content_type.pk}) & ~Q(
            **{f"{object_id_field}__in": in_scope_ids(model, prefix)}
        )
    return condition


#: A workflow state in these statuses is about a record in review: unpublished, or with unpublished changes.
ACTIVE_WORKFLOW = (WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES)


def workflow_states_in_scope(user, prefix=""):
    """A Q keeping the workflow states (reached through the lookup ``prefix``) that name no scoped record or one in
    ``user``'s subtree (``None``: keep everything).

    Positive, per reviewed model, and never over the subtree's whole registry: an active state's record is in review,
    so it is looked for among the subtree's records in review (the model's in-review index: as many as the queue);
    a finished state's record among the subtree's records that have finished states (as many as those states).
    ``NOT IN`` the subtree's records (:func:`out_of_scope`) made PostgreSQL hash every record of a province, a
    million officers at full scale; a per-row lookup is costed per workflow state and drew in PostgreSQL's JIT.
    Except for a subtree that holds most units (the national bureau's): its records in review are nearly all, whose
    keys took longer to gather than looking up the record of each row a page and its capped count read.
    """
    scope = scope_for_user(user)
    if scope is None:
        return None
    reviewed = [m for m in apps.get_models() if issubclass(m, ScopedModelMixin) and issubclass(m, WorkflowMixin)]
    content_types = ContentType.objects.get_for_models(*reviewed, for_concrete_models=False)
    active = Q(**{f"{prefix}status__in": ACTIVE_WORKFLOW})
    keep = ~Q(**{f"{prefix}content_type_id__in": [content_type.pk for content_type in content_types.values()]})
    broad = holds_most_units(scope)
    for model, content_type in content_types.items():
        records = in_subtree(model, scope)
        if broad:
            # Nearly every state is the subtree's: each listed row's record looked up by key, until a page is full.
            # (The reviewed models' keys are integers, so the cast holds for any state PostgreSQL tries it on.)
            record = records.filter(pk=Cast(OuterRef(f"{prefix}object_id"), BigIntegerField())).values("pk")[:1]
            keep |= Q(**{f"{prefix}content_type_id": content_type.pk}) & Q(IsNull(Subquery(record), False))
            continue
        in_review = (
            records.filter(Q(live=False) | Q(has_unpublished_changes=True))
            if issubclass(model, DraftStateMixin)
            else records
        )
        finished = WorkflowState.objects.filter(content_type=content_type).exclude(status__in=ACTIVE_WORKFLOW)
        decided = records.filter(pk__in=finished.annotate(key=Cast("object_id", BigIntegerField())).values("key"))
        keep |= Q(**{f"{prefix}content_type_id": content_type.pk}) & (
            (active & Q(**{f"{prefix}object_id__in": text_keys(in_review)}))
            | (~active & Q(**{f"{prefix}object_id__in": text_keys(decided)}))
        )
    return keep


def in_subtree(model, prefix):
    """``model``'s records in the subtree at ``prefix``, its units' ids gathered in one array when they are many: an
    index condition on the record's unit, where ``IN`` the units made PostgreSQL join every record in review in the
    country with a province's units to keep its own."""
    units = subtree_filter(prefix)
    if isinstance(units, list) or not model.scope_lookup:
        return model.unscoped.within(prefix)
    return model.unscoped.filter(AnyOf(model.scope_lookup, units))


def holds_most_units(prefix):
    """Whether the subtree at ``prefix`` holds at least half of all organisations (the national bureau's does)."""
    units = Organisation.objects.order_by()
    return 2 * units.filter(path__startswith=prefix).count() >= units.count()


def text_keys(queryset):
    """The primary keys of ``queryset`` as text, like workflow states' and log entries' object ids."""
    return queryset.annotate(key=Cast("pk", CharField())).values("key")


class ScopedLogEntriesView(AuditedExportMixin, LogEntriesView):
    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if queryset.model is ModelLogEntry:
            condition = out_of_scope(self.request.user, "content_type_id", "object_id")
            if condition is not None:
                queryset = queryset.exclude(condition)
        return queryset


class ScopedWorkflowFilterSet(WorkflowReportFilterSet):
    """Wagtail's filters, with the requester found by name, unit or username: Wagtail offers every requester of the
    states listed, which took a pass over all of them (every workflow in the country for the national bureau) to
    list thousands of administrators and enterprise accounts in one drop-down."""

    requested_by = django_filters.CharFilter(label=gettext_lazy("Requested by"), method="filter_requester")

    def filter_reviewable(self, queryset, name, value):
        if value and self.request and self.request.user:
            queryset = queryset.filter(current_task_state__in=reviewable_task_states(self.request.user))
        return queryset

    def filter_requester(self, queryset, name, value):
        """By (part of) the requester's name or unit ("长安" finds 长安区's requests), or their whole username: an
        administrator's is their mobile, which a part would let a role that sees mobiles masked read digit by digit."""
        return queryset.filter(
            Q(requested_by__real_name__icontains=value)
            | Q(requested_by__username=value)
            | Q(requested_by__organisation__name__icontains=value)
        )


class ScopedWorkflowView(AuditedExportMixin, WorkflowView):
    filterset_class = ScopedWorkflowFilterSet
    #: Wagtail counts every workflow state the user may see (all the country's for the national bureau).
    paginator_class = CappedCountPaginator

    def get_queryset(self):
        queryset = super().get_queryset()
        condition = workflow_states_in_scope(self.request.user)
        return queryset if condition is None else queryset.filter(condition)

    def decorate_paginated_queryset(self, object_list):
        states = super().decorate_paginated_queryset(object_list)
        with_task_statuses(states)
        return states


def with_task_statuses(workflow_states):
    """What each row's ``all_tasks_with_status()`` returns, for a page of rows in two queries (Wagtail asks per row).

    The status of a task is that of its newest task state in the workflow state, as Wagtail's own method has it
    (this project does not set ``WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT``).
    """
    tasks_of = {}
    links = WorkflowTask.objects.filter(workflow_id__in={state.workflow_id for state in workflow_states})
    for link in links.select_related("task").order_by("sort_order"):
        tasks_of.setdefault(link.workflow_id, []).append(link.task)
    newest = {}
    task_states = TaskState.objects.filter(workflow_state__in=workflow_states).order_by("started_at", "id")
    for workflow_state_id, task_id, status in task_states.values_list("workflow_state_id", "task_id", "status"):
        newest[workflow_state_id, task_id] = status  # later rows overwrite earlier ones
    labels = dict(TaskState.STATUS_CHOICES)
    for state in workflow_states:
        tasks = []
        for task in tasks_of.get(state.workflow_id, []):
            task = copy.copy(task)
            task.status = newest.get((state.pk, task.pk))
            task.status_display = labels.get(task.status, _("Not started"))
            tasks.append(task)
        state.all_tasks_with_status = lambda tasks=tasks: tasks


class ScopedWorkflowTasksView(AuditedExportMixin, WorkflowTasksView):
    paginator_class = CappedCountPaginator

    def get_queryset(self):
        queryset = super().get_queryset()
        condition = workflow_states_in_scope(self.request.user, "workflow_state__")
        return queryset if condition is None else queryset.filter(condition)


class AuditedLockedPagesView(AuditedExportMixin, LockedPagesView):
    """Wagtail's page reports, exported by the project's writer (page titles are editors' text)."""


class AuditedAgingPagesView(AuditedExportMixin, AgingPagesView):
    pass
