"""Wagtail admin viewsets of the secretariat: filing units (a moderated snippet, with review) and filings."""

import django_filters
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import SnippetViewSet

from registry import contributions, workflows

from . import admin_views
from .models import Filing, FilingUnit


class SecretariatViewSetMixin:
    """Menu item shown only to administrators whose subtree holds the secretariat: nobody else has records here."""

    view_permission = ""

    @property
    def menu_item_class(self):
        permission = self.view_permission

        class SecretariatMenuItem(MenuItem):
            def is_shown(self, request):
                return admin_views.reaches_secretariat(request.user) and request.user.has_perm(permission)

        return SecretariatMenuItem


def joined_index_view(*related):
    """An index view that joins the related rows its columns print, instead of one query per listed row."""

    class JoinedIndexView(IndexView):
        def get_base_queryset(self):
            return super().get_base_queryset().select_related(*related)

    return JoinedIndexView


class FilingUnitFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=FilingUnit.Status.choices, method="filter_status", empty_label=_("All")
    )

    class Meta:
        model = FilingUnit
        fields = ["category", "province"]

    def filter_status(self, queryset, name, value):
        return queryset.filter(review_status=value)


class FilingUnitIndexView(SnippetIndexView):
    def get_base_queryset(self):
        """The province each row prints and its review status, in the listing's one query."""
        return workflows.with_review_status(super().get_base_queryset().select_related("province"))


class FilingUnitViewSet(SecretariatViewSetMixin, SnippetViewSet):
    """Registration review is the unit's workflow (registry.workflows.FunctionApprovalTask); the review screen
    decides it, and Wagtail's dashboard, history and workflow reports list it like every reviewed record."""

    model = FilingUnit
    admin_url_namespace = "qc_units"
    base_url_path = "qc-units"
    icon = "group"
    menu_label = _("QC filing units")
    menu_order = 1
    menu_hook = contributions.menu_hook("qcgroups")
    view_permission = "qcgroups.view_filingunit"
    index_view_class = FilingUnitIndexView
    filterset_class = FilingUnitFilterSet
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        TitleColumn("name", label=_("Unit name"), url_name="qc_units:review"),
        "uscc",
        "category",
        "province",
        Column("status", label=_("Status"), accessor="get_status_display"),
        DateColumn("created_at", label=_("Registered at")),
    ]
    search_fields = ["name", "uscc", "contact_name"]
    panels = ["name", "uscc", "category", "licence", "province", "city", "contact_name", "contact_mobile", "email"]
    inspect_view_fields = [
        "name",
        "uscc",
        "category",
        "province",
        "city",
        "contact_name",
        "contact_mobile",
        "email",
        "created_at",
    ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("review/<int:pk>/", admin_views.ReviewView.as_view(), name="review"),
        ]


class FilingViewSet(SecretariatViewSetMixin, ModelViewSet):
    model = Filing
    name = "qc_filings"
    url_prefix = "qc-filings"
    icon = "list-ul"
    menu_label = _("QC achievement filings")
    menu_order = 2
    menu_hook = contributions.menu_hook("qcgroups")
    view_permission = "qcgroups.view_filing"
    index_view_class = joined_index_view("unit")
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        TitleColumn("group_name", label=_("Group name"), url_name="qc_filings:inspect"),
        "topic",
        "kind",
        "enterprise_name",
        "member_count",
        "year",
        Column("unit", label=_("Filing unit")),
    ]
    list_filter = ["year", "kind", "unit", "unit__province"]
    search_fields = ["topic", "group_name", "enterprise_name", "leader"]
    form_fields = ["kind", "year", "topic", "group_name", "enterprise_name", "member_count", "leader", "founded_on"]
    inspect_view_fields = [
        "unit",
        "year",
        "kind",
        "topic",
        "group_name",
        "enterprise_name",
        "member_count",
        "leader",
        "founded_on",
        "source",
        "created_at",
    ]
