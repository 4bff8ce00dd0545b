"""Admin registration: read-only disclosures for regulators, the catalogue for platform administrators."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
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
