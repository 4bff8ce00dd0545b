"""Admin registration: the secretariat's unit review, filings and summary table."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from registry import contributions

from . import admin_views
from .models import FilingUnit
from .viewsets import FilingUnitViewSet, FilingViewSet

contributions.add_menu_group("qcgroups", _("QC groups"), "list-ul", 230)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [FilingUnitViewSet(), FilingViewSet()]


@hooks.register("register_admin_urls")
def register_summary_urls():
    return [
        path("qc-summary/", admin_views.summary, name="qcgroups_admin_summary"),
        path("qc-summary.xlsx", admin_views.summary_xlsx, name="qcgroups_admin_summary_xlsx"),
    ]


class SummaryMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.reaches_secretariat(request.user) and request.user.has_perm("qcgroups.view_filing")


@hooks.register(contributions.menu_hook("qcgroups"))
def register_summary_menu_item():
    return SummaryMenuItem(_("QC filings summary"), reverse("qcgroups_admin_summary"), icon_name="table", order=3)


class PendingUnitsPanel(Component):
    """Dashboard reminder of the units awaiting the secretariat's review."""

    name = "qcgroups_pending_units"
    template_name = "qcgroups/admin/pending_units_panel.html"
    order = 205

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["pending_units"] = FilingUnit.objects.filter(status=FilingUnit.Status.PENDING).order_by("created_at")
        return context


@hooks.register("construct_homepage_panels")
def add_pending_units_panel(request, panels):
    if admin_views.reaches_secretariat(request.user) and request.user.has_perm("qcgroups.change_filingunit"):
        panels.append(PendingUnitsPanel())
