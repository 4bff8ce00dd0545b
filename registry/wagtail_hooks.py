"""Admin registration for the registry: organisations, administrators, enterprises, reference data."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail_modeladmin.options import modeladmin_register

from . import contributions, two_factor
from .models import Administrator, EnterpriseAccount
from .officers import wagtail_hooks as officer_hooks  # noqa: F401 - registers the officer admin
from .policies import ScopePolicy
from .reports import ABOLISH_ACTION, EXPORT_ACTION, IMPORT_ACTION, PASSWORD_RESET_ACTION
from .statistics import wagtail_hooks as statistics_hooks  # noqa: F401 - registers dashboard and reports
from .viewsets import (
    AdministratorViewSet,
    EnterpriseAccountViewSet,
    EnterpriseViewSet,
    OrganisationViewSet,
    ReferenceDataGroup,
)

# Administrators carry their own permissions (registry.*_administrator); without this the proxy would
# inherit the User policy of Wagtail's user admin, which stays superuser-only. Both proxies are reached through
# the account's unit (an enterprise account's: its enterprise's), like every scoped record.
register_permission_policy(Administrator, ScopePolicy(Administrator), exact_class=True)
register_permission_policy(EnterpriseAccount, ScopePolicy(EnterpriseAccount), exact_class=True)

contributions.add_menu_group("registry", _("Registry"), "group", 200)


@hooks.register("register_admin_viewset")
def register_organisation_viewset():
    return OrganisationViewSet()


@hooks.register("register_admin_viewset")
def register_administrator_viewset():
    return AdministratorViewSet()


@hooks.register("register_admin_viewset")
def register_enterprise_account_viewset():
    return EnterpriseAccountViewSet()


register_snippet(EnterpriseViewSet)
modeladmin_register(ReferenceDataGroup)


@hooks.register("register_log_actions")
def register_audit_log_actions(actions):
    actions.register_action(ABOLISH_ACTION, _("Abolished"), _("Abolished"))

    @actions.register_action(EXPORT_ACTION)
    class ExportFormatter(LogFormatter):
        label = _("Exported")

        def format_message(self, log_entry):
            data = log_entry.data
            message = _("Exported %(what)s (%(format)s)") % {"what": data.get("what"), "format": data.get("format")}
            if data.get("filters"):
                message += _("; filters: %(filters)s") % {"filters": data["filters"]}
            if data.get("whole_values"):
                message += _("; whole ID numbers and mobiles")
            return message

    @actions.register_action(IMPORT_ACTION)
    class ImportFormatter(LogFormatter):
        label = _("Workbook imported")

        def format_message(self, log_entry):
            return _("Imported “%(file)s”: %(created)s records created, %(unchanged)s already on file") % {
                "file": log_entry.data.get("file"),
                "created": log_entry.data.get("created"),
                "unchanged": log_entry.data.get("unchanged"),
            }

    actions.register_action(PASSWORD_RESET_ACTION, _("Password reset"), _("Password reset: one-time password issued"))


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return two_factor.admin_urls()


@hooks.register("register_log_actions")
def register_two_factor_log_actions(actions):
    actions.register_action(two_factor.ENROL_ACTION, _("Two-factor sign-in set up"), _("Two-factor sign-in set up"))
    actions.register_action(two_factor.RESET_ACTION, _("Two-factor sign-in reset"), _("Two-factor sign-in reset"))
