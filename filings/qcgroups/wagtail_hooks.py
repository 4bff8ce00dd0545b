"""Admin registration: the secretariat's unit review (pending units wait in Wagtail's review queue) and summary."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from registry import contributions
from registry.models import User
from registry.policies import ScopePolicy

from . import admin_views
from .models import Filing, FilingUnit, YearlySetting
from .viewsets import FilingUnitViewSet, FilingViewSet

contributions.add_menu_group("qcgroups", _("QC groups"), "list-ul", 230)
# A filing unit's account owns its unit and the unit's records: it keeps its contact details, yearly counts and
# filings on the portal (views.py).
register_permission_policy(
    FilingUnit,
    ScopePolicy(
        FilingUnit, owner_lookups={User.Kind.ENTERPRISE: "account"}, owner_actions=frozenset({"view", "change"})
    ),
)
for model, actions in ((YearlySetting, {"view", "add", "change"}), (Filing, {"view", "add", "change", "delete"})):
    register_permission_policy(
        model,
        ScopePolicy(model, owner_lookups={User.Kind.ENTERPRISE: "unit__account"}, owner_actions=frozenset(actions)),
    )
register_snippet(FilingUnitViewSet)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [FilingViewSet()]


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
