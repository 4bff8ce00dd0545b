"""Admin registration: the organiser's filing review and the application review, in the awards menu group."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from registry import contributions
from registry.policies import ScopePolicy
from registry.workflows import CommentedFormatter

from .models import Application, OrganisationFiling, Project
from .models.review import ACTION_LABELS, LOG_PREFIX
from .viewsets import (
    ApplicationPermissionPolicy,
    ApplicationRecordViewSet,
    FilingPermissionPolicy,
    FilingRecordViewSet,
    application_review_viewset,
    filing_review_viewset,
)

contributions.add_menu_group("awards", _("Quality awards"), "pick", 220)
#: What an enterprise's accounts do with their own filings, projects and applications on the portal (views.py):
#: within the views' state rules (a filing under review is not changed, only a draft application is deleted).
KEPT_BY_ENTERPRISE = frozenset({"view", "add", "change"})
register_permission_policy(
    OrganisationFiling, FilingPermissionPolicy(OrganisationFiling, owner_actions=KEPT_BY_ENTERPRISE)
)
register_permission_policy(Project, ScopePolicy(Project, owner_actions=KEPT_BY_ENTERPRISE))
register_permission_policy(
    Application, ApplicationPermissionPolicy(Application, owner_actions=KEPT_BY_ENTERPRISE | {"delete"})
)
register_snippet(FilingRecordViewSet)
register_snippet(ApplicationRecordViewSet)


@hooks.register("register_admin_viewset")
def register_filing_review():
    return filing_review_viewset


@hooks.register("register_admin_viewset")
def register_application_review():
    return application_review_viewset


class ReviewStepFormatter(CommentedFormatter):
    """A review step in the History view: its action and the states it moved the application between."""

    def format_message(self, log_entry):
        states = dict(Application.State.choices)
        return _("%(action)s: %(from)s → %(to)s") % {
            "action": self.label,
            "from": states.get(log_entry.data.get("from_state"), ""),
            "to": states.get(log_entry.data.get("to_state"), ""),
        }


@hooks.register("register_log_actions")
def register_review_log_actions(actions):
    for action, label in ACTION_LABELS.items():
        actions.register_action(LOG_PREFIX + action)(
            type("ReviewStepFormatter", (ReviewStepFormatter,), {"label": label})
        )
