"""Admin registration: the organiser's filing review and the application review, in the awards menu group."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from registry import contributions

from .models import Application, OrganisationFiling
from .viewsets import (
    ApplicationPermissionPolicy,
    ApplicationRecordViewSet,
    FilingPermissionPolicy,
    FilingRecordViewSet,
    application_review_viewset,
    filing_review_viewset,
)

contributions.add_menu_group("awards", _("Quality awards"), "pick", 220)
register_permission_policy(OrganisationFiling, FilingPermissionPolicy(OrganisationFiling))
register_permission_policy(Application, ApplicationPermissionPolicy(Application))
register_snippet(FilingRecordViewSet)
register_snippet(ApplicationRecordViewSet)


@hooks.register("register_admin_viewset")
def register_filing_review():
    return filing_review_viewset


@hooks.register("register_admin_viewset")
def register_application_review():
    return application_review_viewset
