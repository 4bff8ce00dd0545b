"""Workflow tasks whose approvers are computed per object from the organisation tree.

Concrete tasks (news: the author's parent organisation; officers: the record's own organisation)
subclass :class:`OrganisationApprovalTask` and say which organisation approves a given object.
Nobody approves their own submission.
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.models import Task, TaskState


class OrganisationApprovalTask(Task):
    """Approved by the enabled administrators of :meth:`approver_organisation` of each object."""

    class Meta:
        abstract = True

    def approver_organisation(self, obj):
        """The organisation whose administrators approve ``obj`` (``None``: only superusers)."""
        raise NotImplementedError

    def approvers(self, obj):
        organisation = self.approver_organisation(obj)
        User = get_user_model()
        if organisation is None:
            return User.objects.none()
        return User.objects.filter(organisation=organisation, kind=User.Kind.ADMINISTRATOR, is_active=True).exclude(
            role=""
        )

    @staticmethod
    def submitter(obj):
        """Who submitted the object's current workflow (they may not approve it)."""
        state = obj.current_workflow_state if hasattr(obj, "current_workflow_state") else None
        return state.requested_by if state is not None else None

    def user_can_approve(self, obj, user):
        if not user.is_authenticated or not user.is_active:
            return False
        if self.submitter(obj) == user:
            return False
        if user.is_superuser:
            return True
        return self.approvers(obj).filter(pk=user.pk).exists()

    def user_can_access_editor(self, obj, user):
        return self.user_can_approve(obj, user)

    def locked_for_user(self, obj, user):
        return not self.user_can_approve(obj, user)

    def user_can_lock(self, obj, user):
        return self.user_can_approve(obj, user)

    def user_can_unlock(self, obj, user):
        return False

    def get_actions(self, obj, user):
        if self.user_can_approve(obj, user):
            return [
                ("reject", _("Request changes"), True),
                ("approve", _("Approve"), False),
                ("approve", _("Approve with comment"), True),
            ]
        return []

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS).select_related("workflow_state")
        moderatable = [state.pk for state in states if self.user_can_approve(state.workflow_state.content_object, user)]
        return TaskState.objects.filter(pk__in=moderatable)

    def notification_recipients(self, obj):
        """Who is told that ``obj`` awaits approval."""
        return self.approvers(obj).exclude(email="")
