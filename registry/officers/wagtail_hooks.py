"""Admin hooks for Chief Quality Officers (imported by registry.wagtail_hooks)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from ..models import ChiefQualityOfficer, User
from ..workflows import CommentedFormatter
from .personal_data import ERASE_ACTION, REVEAL_ACTION, SUBJECT_EXPORT_ACTION, EraseForm, RevealForm
from .review import BULK_REVIEW_ACTION, OfficerPermissionPolicy, ReviewBulkAction, replace_homepage_panels
from .submission import IMPORT_ACTION, REJECT_ACTION, REVOKE_ACTION
from .viewsets import OfficerViewSet

# On the portal an enterprise account sees its enterprise's officers, an officer's own account its own record.
register_permission_policy(
    ChiefQualityOfficer,
    OfficerPermissionPolicy(
        ChiefQualityOfficer, owner_lookups={User.Kind.ENTERPRISE: "enterprise", User.Kind.OFFICER: "account"}
    ),
)
register_snippet(OfficerViewSet)
hooks.register("register_bulk_action", ReviewBulkAction)
hooks.register("construct_homepage_panels", replace_homepage_panels)


@hooks.register("register_log_actions")
def register_officer_log_actions(actions):
    @actions.register_action(REVOKE_ACTION)
    class RevokeFormatter(CommentedFormatter):
        label = _("Review revoked")
        message = _("Review revoked: returned to pending review")

    @actions.register_action(REJECT_ACTION)
    class RejectFormatter(CommentedFormatter):
        label = _("Rejected")
        message = _("Rejected")

    actions.register_action(IMPORT_ACTION, _("Imported"), _("Imported from a workbook"))
    actions.register_action(
        SUBJECT_EXPORT_ACTION, _("Personal data copied"), _("A copy of the personal data was handed out")
    )

    @actions.register_action(ERASE_ACTION)
    class EraseFormatter(LogFormatter):
        label = _("Personal data erased")

        def format_message(self, log_entry):
            reasons = dict(EraseForm.REASONS)
            return _("Personal data erased: %(reason)s") % {"reason": reasons.get(log_entry.data.get("reason"), "")}

        def format_comment(self, log_entry):
            return log_entry.data.get("comment", "")

    @actions.register_action(REVEAL_ACTION)
    class RevealFormatter(LogFormatter):
        label = _("ID number and mobile revealed")

        def format_message(self, log_entry):
            reasons = dict(RevealForm.REASONS)
            return _("ID number and mobile revealed: %(reason)s") % {
                "reason": reasons.get(log_entry.data.get("reason"), "")
            }

    @actions.register_action(BULK_REVIEW_ACTION)
    class BulkReviewFormatter(CommentedFormatter):
        label = _("Bulk review")

        def format_message(self, log_entry):
            data = log_entry.data
            return _("Bulk review (%(decision)s): %(reviewed)s records decided, %(skipped)s left as they were") % {
                "decision": data.get("decision"),
                "reviewed": data.get("reviewed"),
                "skipped": data.get("skipped"),
            }
