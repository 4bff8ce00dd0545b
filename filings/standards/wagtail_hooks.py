"""Admin registration: read-only disclosures for regulators, the catalogue for platform administrators."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from registry import contributions

from .models import DisclosedStandard, EnterpriseVerification
from .models.verifications import CONFIRM_ACTION, REJECT_ACTION
from .viewsets import CatalogueStandardViewSet, DisclosedStandardViewSet, EnterpriseVerificationViewSet, ReadOnlyPolicy

register_permission_policy(DisclosedStandard, ReadOnlyPolicy(DisclosedStandard))
# Registrations are decided in their review view only (standards.change_enterpriseverification), never edited.
register_permission_policy(EnterpriseVerification, ReadOnlyPolicy(EnterpriseVerification))
register_snippet(DisclosedStandardViewSet)
register_snippet(CatalogueStandardViewSet)
contributions.add_menu_group("standards", _("Product standards"), "doc-full", 210)


@hooks.register("register_admin_viewset")
def register_verification_viewset():
    return EnterpriseVerificationViewSet()


@hooks.register("register_log_actions")
def register_verification_log_actions(actions):
    actions.register_action(CONFIRM_ACTION, _("Registration confirmed"), _("Registration documents confirmed"))
    actions.register_action(REJECT_ACTION, _("Registration rejected"), _("Registration documents rejected"))


class PendingVerificationsPanel(Component):
    """The newest registrations waiting for a check in the administrator's subtree (scoped manager), ten at most."""

    name = "standards_pending_verifications"
    template_name = "standards/admin/pending_verifications_panel.html"
    order = 206
    shown = 10

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        pending = list(
            EnterpriseVerification.objects.filter(status=EnterpriseVerification.Status.PENDING)
            .select_related("enterprise", "organisation")
            .order_by("-id")[: self.shown + 1]
        )
        context.update(pending=pending[: self.shown], more=len(pending) > self.shown)
        return context


@hooks.register("construct_homepage_panels")
def add_pending_verifications_panel(request, panels):
    if request.user.has_perm("standards.change_enterpriseverification"):
        panels.append(PendingVerificationsPanel())
