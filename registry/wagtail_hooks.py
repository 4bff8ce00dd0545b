"""Admin registration for the registry: organisations, administrators, enterprises, reference data."""

from wagtail import hooks
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail_modeladmin.options import modeladmin_register

from .models import Administrator
from .officers import wagtail_hooks as officer_hooks  # noqa: F401 - registers the officer admin
from .statistics import wagtail_hooks as statistics_hooks  # noqa: F401 - registers dashboard and reports
from .viewsets import AdministratorViewSet, EnterpriseViewSet, OrganisationViewSet, ReferenceDataGroup

# Administrators carry their own permissions (registry.*_administrator); without this the proxy would
# inherit the User policy of Wagtail's user admin, which stays superuser-only.
register_permission_policy(Administrator, ModelPermissionPolicy(Administrator), exact_class=True)


@hooks.register("register_admin_viewset")
def register_organisation_viewset():
    return OrganisationViewSet()


@hooks.register("register_admin_viewset")
def register_administrator_viewset():
    return AdministratorViewSet()


register_snippet(EnterpriseViewSet)
modeladmin_register(ReferenceDataGroup)
