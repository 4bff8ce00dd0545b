"""Wagtail's built-in site-history and workflow reports, confined to the user's subtree.

Those reports filter by content type permission only, so a county administrator with permission on
enterprises would see the log entries and workflow states of every enterprise in the country. These
subclasses drop any row about a registry record (or organisation, or administrator) outside the subtree.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.admin.views.reports.workflows import WorkflowTasksView, WorkflowView
from wagtail.models import ModelLogEntry

from .models import Administrator, Organisation, User
from .scoping import ScopedModelMixin, scope_for_user


def in_scope_ids(model, prefix):
    """Primary keys (as text, like log and workflow object ids) of ``model`` records in the subtree."""
    if issubclass(model, ScopedModelMixin):
        queryset = model.unscoped.within(prefix)
    elif issubclass(model, Organisation):
        queryset = Organisation.objects.filter(path__startswith=prefix)
    else:
        queryset = User.objects.filter(organisation__path__startswith=prefix)
    return queryset.annotate(key=Cast("pk", CharField())).values("key")


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


class ScopedLogEntriesView(LogEntriesView):
    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if queryset.model is ModelLogEntry:
            condition = out_of_scope(self.request.user, "content_type_id", "object_id")
            if condition is not None:
                queryset = queryset.exclude(condition)
        return queryset


class ScopedWorkflowView(WorkflowView):
    def get_queryset(self):
        queryset = super().get_queryset()
        condition = out_of_scope(self.request.user, "content_type_id", "object_id")
        return queryset if condition is None else queryset.exclude(condition)


class ScopedWorkflowTasksView(WorkflowTasksView):
    def get_queryset(self):
        queryset = super().get_queryset()
        condition = out_of_scope(self.request.user, "workflow_state__content_type_id", "workflow_state__object_id")
        return queryset if condition is None else queryset.exclude(condition)
