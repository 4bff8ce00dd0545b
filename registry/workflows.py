"""Workflow tasks whose approvers follow from the organisation tree, as one rule in two forms.

An object belongs to a unit (:meth:`OrganisationApprovalTask.object_unit`); ``approver_levels`` says which
units' enabled administrators approve it: 0 the unit itself, 1 its parent. Nobody approves their own
submission. The rule is answered per object (:meth:`~OrganisationApprovalTask.user_can_approve`) and as one
query for a user (:meth:`~OrganisationApprovalTask.get_task_states_user_can_moderate`, which Wagtail's
dashboard and workflow reports call), whose cost does not grow with the number of pending objects.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from wagtail.models import Task, TaskState

#: Set while an approval publishes its object: the only time a moderated registry record may be published.
_approving: ContextVar[bool] = ContextVar("registry_approving", default=False)


@contextmanager
def approval():
    """Publishing inside this block is an approval's (see registry.officers.review.OfficerPermissionPolicy)."""
    token = _approving.set(True)
    try:
        yield
    finally:
        _approving.reset(token)


def approving():
    return _approving.get()


def is_approver_account(user):
    """Enabled administrators with a role (and superusers) approve; other accounts never do."""
    return user.is_authenticated and user.is_active and (user.is_superuser or user.is_administrator)


class OrganisationApprovalTask(Task):
    """Approved by the enabled administrators of the units ``approver_levels`` above each object's unit."""

    #: 0: the object's own unit (its administrators other than the submitter); 1: the parent unit.
    approver_levels = (0, 1)

    class Meta:
        abstract = True

    def object_unit(self, obj):
        """The organisation ``obj`` belongs to (``None``: only superusers approve it)."""
        raise NotImplementedError

    def objects_of_units(self, units):
        """A queryset of the objects whose unit is in ``units`` (an Organisation queryset)."""
        raise NotImplementedError

    # The rule, per object and as a query.

    def approver_units(self, unit):
        """The units whose administrators approve an object of ``unit``."""
        from .models import Organisation

        if unit is None:
            return Organisation.objects.none()
        paths = [unit.path[: len(unit.path) - level * Organisation.steplen] for level in self.approver_levels]
        return Organisation.objects.filter(path__in=[path for path in paths if path])

    def approved_units(self, organisation):
        """The units whose objects administrators of ``organisation`` approve (the inverse of approver_units)."""
        from .models import Organisation

        condition = Q(pk__in=[])
        for level in self.approver_levels:
            if level == 0:
                condition |= Q(pk=organisation.pk)
            else:
                condition |= Q(path__startswith=organisation.path, depth=organisation.depth + level)
        return Organisation.objects.filter(condition)

    def unit_approved_by(self, unit, organisation):
        """Whether administrators of ``organisation`` approve objects of ``unit`` (approved_units, in Python)."""
        if unit is None or organisation is None or not unit.path.startswith(organisation.path):
            return False
        return unit.depth - organisation.depth in self.approver_levels

    def approvers(self, obj):
        User = get_user_model()
        units = self.approver_units(self.object_unit(obj))
        return User.objects.filter(organisation__in=units, kind=User.Kind.ADMINISTRATOR, is_active=True).exclude(
            role=""
        )

    @staticmethod
    def submitter(obj):
        """Who submitted the object's current workflow (they may not approve it)."""
        state = obj.current_workflow_state if hasattr(obj, "current_workflow_state") else None
        return state.requested_by if state is not None else None

    def user_can_approve(self, obj, user):
        if not is_approver_account(user) or self.submitter(obj) == user:
            return False
        return user.is_superuser or self.unit_approved_by(self.object_unit(obj), user.organisation)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        """One query: in-progress states of this task on objects of the units ``user`` approves, not theirs."""
        if not is_approver_account(user) or (not user.is_superuser and user.organisation is None):
            return TaskState.objects.none()
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS).exclude(workflow_state__requested_by=user)
        if user.is_superuser:
            return states
        objects = self.objects_of_units(self.approved_units(user.organisation))
        base = objects.model._meta.get_parent_list()[-1] if objects.model._meta.get_parent_list() else objects.model
        return states.filter(
            workflow_state__base_content_type=ContentType.objects.get_for_model(base),
            workflow_state__object_id__in=objects.order_by().annotate(key=Cast("pk", CharField())).values("key"),
        )

    def moderator_actions(self):
        """What an approver may do with an object awaiting them (the dashboard lists only such objects)."""
        return [
            ("reject", _("Request changes"), True),
            ("approve", _("Approve"), False),
            ("approve", _("Approve with comment"), True),
        ]

    def user_can_access_editor(self, obj, user):
        return self.user_can_approve(obj, user)

    def locked_for_user(self, obj, user):
        return not self.user_can_approve(obj, user)

    def user_can_lock(self, obj, user):
        return self.user_can_approve(obj, user)

    def user_can_unlock(self, obj, user):
        return False

    def get_actions(self, obj, user):
        return self.moderator_actions() if self.user_can_approve(obj, user) else []

    def notification_recipients(self, obj):
        """Who is told that ``obj`` awaits approval."""
        return self.approvers(obj).exclude(email="")
