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
from django.db.models import BigIntegerField, CharField, Count, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.db.models.lookups import IsNull
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.views.reports.aging_pages import AgingPagesView
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.admin.views.reports.locked_pages import LockedPagesView
from wagtail.admin.views.reports.workflows import (
    WorkflowReportFilterSet,
    WorkflowTasksView,
    WorkflowView,
    get_editable_content_type_ids,
    get_editable_page_ids_query,
)
from wagtail.log_actions import log
from wagtail.models import (
    ModelLogEntry,
    RevisionMixin,
    TaskState,
    WorkflowMixin,
    WorkflowState,
    WorkflowTask,
    get_default_page_content_type,
)

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


def workflow_states_in_scope(request, prefix=""):
    """A condition keeping the workflow states (reached through the lookup ``prefix``) that the workflow reports may
    list to ``request.user``: those naming no scoped record, or one in the user's subtree (``None``: keep everything).

    For most subtrees the states are gathered into one array of ids (:func:`listable_states`), which the page and its
    capped count are read from: a condition tested on each state as the newest were walked read every newer state
    elsewhere first (a county whose import was older than the other provinces' read their 130,000 states in review for
    each page). A subtree that holds most units (the national bureau's) holds nearly every state: each listed row's
    record is looked up by key, until a page is full.
    """
    scope = scope_for_user(request.user)
    if scope is None:
        return None
    reviewed = reviewed_content_types()
    if not holds_most_units(scope):
        return AnyOf(f"{prefix}pk", listable_states(request, scope, reviewed))
    keep = ~Q(**{f"{prefix}content_type_id__in": [content_type.pk for content_type in reviewed.values()]})
    for model, content_type in reviewed.items():
        record = record_of_state(model, scope, f"{prefix}object_id")
        keep |= Q(**{f"{prefix}content_type_id": content_type.pk}) & Q(IsNull(Subquery(record), False))
    return keep


def reviewed_content_types():
    """The scoped models reviewed through workflows, with their content types."""
    reviewed = [m for m in apps.get_models() if issubclass(m, ScopedModelMixin) and issubclass(m, WorkflowMixin)]
    return ContentType.objects.get_for_models(*reviewed, for_concrete_models=False)


def record_of_state(model, scope, object_id):
    """The key of the state's record (its ``object_id`` lookup) if the record is in the subtree: a look-up by key.
    (The reviewed models' keys are integers, so the cast holds for any state PostgreSQL tries it on.)"""
    records = in_subtree(model, scope).order_by()
    return records.filter(pk=Cast(OuterRef(object_id), BigIntegerField())).values("pk")[:1]


def listable_states(request, scope, reviewed):
    """The ids of the workflow states the reports may list to a user of the subtree at ``scope``: the states of the
    pages and other objects Wagtail lets the user edit, and every state of the subtree's records of each reviewed
    model, found from those records by index (a record enters review with a revision: those never revised, such as
    records written by a bulk load, have none). So the array costs what the subtree's reviewed records cost, not what
    the decided reviews of the whole country do (each was looked up: 1.6 µs a review, a second at a million)."""
    states = WorkflowState.objects.order_by()
    # The pages and other objects: Wagtail's own conditions (its report filters by them too), repeated because the
    # array must hold their states; the reviewed models' states come from the subtree's records below.
    reviewed_ids = {content_type.pk for content_type in reviewed.values()}
    editable = [pk for pk in get_editable_content_type_ids(request) if pk not in reviewed_ids]
    parts = [
        states.filter(
            base_content_type_id=get_default_page_content_type().pk, object_id__in=get_editable_page_ids_query(request)
        ).values("pk"),
        states.filter(content_type_id__in=editable).values("pk"),
    ]
    for model, content_type in reviewed.items():
        records = in_subtree(model, scope).order_by()
        if issubclass(model, RevisionMixin):
            records = records.filter(latest_revision__isnull=False)
        of_records = states.filter(AnyOf("object_id", text_keys(records)), content_type_id=content_type.pk)
        parts.append(of_records.values("pk"))
    return parts[0].union(*parts[1:], all=True)


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
    counts = Organisation.objects.aggregate(inside=Count("pk", filter=Q(path__startswith=prefix)), total=Count("pk"))
    return 2 * counts["inside"] >= counts["total"]


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


class ScopedWorkflowStatesMixin:
    """Both workflow reports' rows confined to the user's subtree (:func:`workflow_states_in_scope`), their count
    capped: Wagtail counts every workflow state the user may see (all the country's for the national bureau)."""

    #: The lookup from a listed row to its workflow state.
    workflow_state_lookup = ""
    paginator_class = CappedCountPaginator

    def get_queryset(self):
        queryset = super().get_queryset()
        condition = workflow_states_in_scope(self.request, self.workflow_state_lookup)
        # Rows found through a gathered array of ids are all read before they are ordered: counted as they are read.
        self.rows_gathered = isinstance(condition, AnyOf)
        return queryset if condition is None else queryset.filter(condition)

    def get_paginator(self, queryset, per_page, **kwargs):
        gathered = getattr(self, "rows_gathered", False)
        return super().get_paginator(queryset, per_page, count_every_row_read=gathered, **kwargs)


class ScopedWorkflowView(ScopedWorkflowStatesMixin, AuditedExportMixin, WorkflowView):
    filterset_class = ScopedWorkflowFilterSet

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


class ScopedWorkflowTasksView(ScopedWorkflowStatesMixin, AuditedExportMixin, WorkflowTasksView):
    workflow_state_lookup = "workflow_state__"


class AuditedLockedPagesView(AuditedExportMixin, LockedPagesView):
    """Wagtail's page reports, exported by the project's writer (page titles are editors' text)."""


class AuditedAgingPagesView(AuditedExportMixin, AgingPagesView):
    pass
