"""Workflow tasks whose approvers are computed, not chosen: the one review mechanism of every reviewed record.

Two rules share one class (:class:`ComputedApprovalTask`): approvers from the organisation tree
(:class:`OrganisationApprovalTask`: the object's own unit or the units ``approver_levels`` above it) and approvers
by function (:class:`FunctionApprovalTask`: the administrators of the organisation holding a function, such as
the QC secretariat). Nobody approves their own submission. Each rule is answered per object
(:meth:`~ComputedApprovalTask.user_can_approve`) and as one query for a user
(:meth:`~ComputedApprovalTask.get_task_states_user_can_moderate`, which Wagtail's dashboard and workflow reports
call), whose cost does not grow with the number of pending objects.

Notifications are Wagtail's, from templates: the approvers are told of a submission, the submitter of the decision;
a model naming ``review_email_templates`` (a template path prefix) words its own e-mails.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, CharField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast
from django.db.models.lookups import IsNull
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.mail import (
    EmailNotificationMixin,
    Notifier,
    WorkflowStateApprovalEmailNotifier,
    WorkflowStateRejectionEmailNotifier,
)
from wagtail.log_actions import LogFormatter
from wagtail.models import AbstractPage, Task, TaskState, Workflow, WorkflowContentType, WorkflowState, WorkflowTask

from .lookups import AnyOf
from .policies import ScopePolicy
from .scoping import unit_ids, unscoped

#: Set while an approval publishes its object: the only time a moderated record may be published.
_approving: ContextVar[bool] = ContextVar("registry_approving", default=False)


@contextmanager
def approval():
    """Publishing inside this block is an approval's (see :class:`ApprovalPublishingPolicy`)."""
    token = _approving.set(True)
    try:
        yield
    finally:
        _approving.reset(token)


def approving():
    return _approving.get()


class ApprovalPublishingPolicy(ScopePolicy):
    """Publishing a reviewed record is approving it: allowed only while an approval publishes it.

    Wagtail's "Publish" (edit view), unpublish and any code path that checks the policy are refused to every
    user, superusers included; the approval task and bulk review publish inside :func:`approval`, whose task has
    already decided who may act on which record (so the record's scope is not asked again).
    """

    def user_has_permission(self, user, action):
        if action in ("publish", "unpublish"):
            return approving()
        return super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        if action in ("publish", "unpublish"):
            return approving()
        return super().user_has_permission_for_instance(user, action, instance)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


# A reviewed record's life: submitted (a workflow), then approved (published: ``live``) or sent back.

#: The review status a record shows, derived from ``live`` and its newest workflow state (never stored).
DRAFT, PENDING, APPROVED, REJECTED = "draft", "pending", "approved", "rejected"
STATUS_OF_STATE = {WorkflowState.STATUS_IN_PROGRESS: PENDING, WorkflowState.STATUS_NEEDS_CHANGES: REJECTED}


def review_status(obj):
    """Approved while published; awaiting review or rejected as its workflow says; otherwise a draft."""
    if obj.live:
        return APPROVED
    state = obj.__dict__["review_state"] if "review_state" in obj.__dict__ else newest_state_status(obj)
    return STATUS_OF_STATE.get(state, DRAFT)


def newest_state_status(obj):
    return (
        WorkflowState.objects.for_instance(obj).order_by("-pk").values_list("status", flat=True).first()
        if obj.pk
        else None
    )


def with_review_status(queryset):
    """``queryset`` annotated with ``review_state`` (newest workflow state) and ``review_status`` (see above)."""
    newest = WorkflowState.objects.filter(
        base_content_type=ContentType.objects.get_for_model(queryset.model),
        object_id=Cast(OuterRef("pk"), CharField()),
    ).order_by("-pk")
    return queryset.annotate(review_state=Subquery(newest.values("status")[:1])).annotate(
        review_status=Case(
            When(live=True, then=Value(APPROVED)),
            *[When(review_state=state, then=Value(status)) for state, status in STATUS_OF_STATE.items()],
            default=Value(DRAFT),
        )
    )


def last_decision(obj):
    """The newest decided task state of ``obj`` (its ``finished_by``, ``finished_at`` and ``comment``), or None."""
    return (
        TaskState.objects.for_instance(obj)
        .exclude(finished_at=None)
        .exclude(status=TaskState.STATUS_CANCELLED)
        .select_related("finished_by")
        .order_by("-finished_at", "-pk")
        .first()
    )


class ReviewedRecordMixin:
    """``status`` (one of the model's ``Status`` choices, derived: see review_status) and the last decision."""

    @property
    def status(self):
        return review_status(self)

    def get_status_display(self):
        return self.Status(self.status).label

    @cached_property
    def last_decision(self):
        """The newest decision of the record's review (who, when, the comment), or None."""
        return last_decision(self)


def workflow_for(model, task_model, task_name, workflow_name):
    """The active workflow of ``model``; created (with the oldest ``task_model`` task, or a new one) when none is.

    Found by content type and task type, never by name: renaming either in the admin breaks nothing.
    """
    content_type = ContentType.objects.get_for_model(model)
    active = Workflow.objects.filter(workflow_content_types__content_type=content_type, active=True)
    workflow = active.first()
    if workflow is None:
        with transaction.atomic():
            creation_lock(model)
            workflow = active.first()
            if workflow is None:
                task = task_model.objects.order_by("pk").first() or task_model.objects.create(name=task_name)
                workflow = Workflow.objects.create(name=workflow_name, active=True)
                WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
                WorkflowContentType.objects.update_or_create(content_type=content_type, defaults={"workflow": workflow})
    return workflow


def creation_lock(model):
    """Serialise the creation of ``model``'s workflows and tasks (two first submissions at once would make two): a
    row lock on its content type, held until the caller's transaction ends."""
    content_type = ContentType.objects.get_for_model(model)
    list(ContentType.objects.select_for_update().filter(pk=content_type.pk).values_list("pk"))


def submit(obj, user, workflow):
    """Save a revision of ``obj`` and send it for review by ``user``: resume a workflow that asked for changes."""
    obj.save_revision(user=user, log_action=True)
    state = obj.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return state.resume(user)
    return workflow.start(obj, user)


def keep_revision(obj, user):
    """Make a change saved straight to ``obj``'s row (details its owner edits without review) its latest revision.

    An approval publishes the latest revision and the edit view opens it: without this, either would bring back
    the details as they were before the change. A live record's live revision follows too.
    """
    revision = obj.save_revision(user=user, changed=False, clean=False)
    if obj.live:
        type(obj)._base_manager.filter(pk=obj.pk).update(live_revision=revision)


def decide(obj, user, action, comment=""):
    """Approve or reject (``action``) ``obj`` as ``user`` through its current task; PermissionDenied if not theirs."""
    state = obj.current_workflow_state
    task_state = state.current_task_state if state is not None and state.status == state.STATUS_IN_PROGRESS else None
    task = task_state.task.specific if task_state is not None else None
    if task is None or action not in ("approve", "reject") or not task.user_can_approve(obj, user):
        raise PermissionDenied
    task.on_action(task_state.specific, user, action, comment=comment)


def is_approver_account(user):
    """Enabled administrators with a role (and superusers) approve; other accounts never do."""
    return user.is_authenticated and user.is_active and (user.is_superuser or user.is_administrator)


def base_model(model):
    """The model whose content type workflow states name as ``base_content_type`` (the root of multi-table models)."""
    parents = model._meta.get_parent_list()
    return parents[-1] if parents else model


def administrators_of(units):
    """The enabled administrators with a role of ``units`` (an Organisation queryset)."""
    User = get_user_model()
    return User.objects.filter(organisation__in=units, kind=User.Kind.ADMINISTRATOR, is_active=True).exclude(role="")


def reviewable_task_states(user):
    """The task states ``user`` may decide, of every active task (Wagtail's ``TaskState.objects.reviewable_by``).

    Each task's states as ids gathered in one array, looked up by primary key: Wagtail ORs the tasks' conditions,
    which PostgreSQL checked row by row against each task's whole list of ids (5,000 records awaiting a city took
    25 ms to match against their own 5,000 ids).
    """
    tasks = Task.objects.filter(active=True).specific()
    per_task = [task.get_task_states_user_can_moderate(user=user).order_by().values("pk") for task in tasks]
    if not per_task:
        return TaskState.objects.none()
    return TaskState.objects.filter(AnyOf("pk", per_task[0].union(*per_task[1:], all=True)))


class ComputedApprovalTask(Task):
    """A task approved by the administrators of units computed per object; subclasses give the rule."""

    class Meta:
        abstract = True

    def approver_units(self, obj):
        """The units whose administrators approve ``obj`` (an Organisation queryset)."""
        raise NotImplementedError

    def unit_approves(self, obj, organisation):
        """Whether administrators of ``organisation`` approve ``obj`` (approver_units, in Python)."""
        raise NotImplementedError

    def objects_approved_by(self, organisation):
        """A queryset of the objects in review that administrators of ``organisation`` approve."""
        raise NotImplementedError

    def approvers(self, obj):
        return administrators_of(self.approver_units(obj))

    @staticmethod
    def submitter(obj):
        """Who submitted the object's current workflow (they may not approve it)."""
        state = obj.current_workflow_state if hasattr(obj, "current_workflow_state") else None
        return state.requested_by if state is not None else None

    def user_can_approve(self, obj, user):
        if not is_approver_account(user) or self.submitter(obj) == user:
            return False
        return user.is_superuser or (user.organisation is not None and self.unit_approves(obj, user.organisation))

    def get_task_states_user_can_moderate(self, user, **kwargs):
        """One query: in-progress states of this task on objects ``user`` approves, not theirs.

        Driven from the objects in review of the units ``user`` approves, through their workflow states to the
        current task states, each step by index (:class:`~registry.lookups.AnyOf`): a join made PostgreSQL read every
        workflow and task state in the country to find a county's.
        """
        if not is_approver_account(user) or (not user.is_superuser and user.organisation is None):
            return TaskState.objects.none()
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if user.is_superuser:
            return states.exclude(workflow_state__requested_by=user)
        objects = self.objects_approved_by(user.organisation)
        workflow_states = WorkflowState.objects.filter(
            AnyOf("object_id", objects.order_by().annotate(key=Cast("pk", CharField())).values("key")),
            base_content_type=ContentType.objects.get_for_model(base_model(objects.model)),
            status=WorkflowState.STATUS_IN_PROGRESS,
        ).exclude(requested_by=user)
        return states.filter(AnyOf("pk", workflow_states.values("current_task_state_id")))

    def objects_user_can_moderate(self, user, objects=None):
        """The objects whose in-progress state of this task ``user`` (an approver of a unit, not a superuser) may
        decide, of ``objects`` when the caller has read the units ``user`` approves already (else
        ``objects_approved_by``).

        Driven from the objects of the units ``user`` approves that are in review (as many as their queue), each
        looked up in the workflow states by its id: never from every state in progress in the country. The look-up
        is a scalar subquery, which PostgreSQL runs per object; an ``EXISTS`` it turns into a join that hashes every
        state in progress. It starts from the workflow state (indexed by object) and reaches the task state by its
        key: started from the task states, SQLite walks every state of the task for each object (5,000 pending
        records took 17 s to count).
        """
        if objects is None:
            objects = self.objects_approved_by(user.organisation)
        states = WorkflowState.objects.filter(
            base_content_type=ContentType.objects.get_for_model(base_model(objects.model)),
            object_id=Cast(OuterRef("pk"), CharField()),
            status=WorkflowState.STATUS_IN_PROGRESS,
            current_task_state__task=self,
            current_task_state__status=TaskState.STATUS_IN_PROGRESS,
        ).exclude(requested_by=user)
        return objects.filter(IsNull(Subquery(states.values("pk")[:1]), False))

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        """Lock the task state first: of two administrators acting at once, the second finds it decided.

        Wagtail checks the status of the task state it read before the request's action, so two simultaneous
        approvals would both pass, log twice and publish twice. Re-reading the status under a row lock makes
        the second one raise ``PermissionDenied`` (Wagtail's own answer to acting on a finished task).
        Approval publishes the record as submitted, unscoped: an approver by function (the award organiser)
        may sit outside the subtree of records it points at (the applicant's enterprise), which a scoped
        rebuild from the revision would silently drop.

        Wagtail's action URL names the object and the task state separately and checks the user against the
        object only, so the user is checked here against the task state's own object.
        """
        task_state.status = TaskState.objects.select_for_update().values_list("status", flat=True).get(pk=task_state.pk)
        with approval(), unscoped():
            obj = task_state.workflow_state.content_object
            if obj is None or not self.user_can_approve(obj, user):
                raise PermissionDenied
            return super().on_action(task_state, user, action_name, **kwargs)

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


class OrganisationApprovalTask(ComputedApprovalTask):
    """Approved by the enabled administrators of the units ``approver_levels`` above each object's unit."""

    #: 0: the object's own unit (its administrators other than the submitter); 1: the parent unit.
    approver_levels = (0, 1)

    class Meta:
        abstract = True

    def object_unit(self, obj):
        """The organisation ``obj`` belongs to (``None``: only superusers approve it)."""
        raise NotImplementedError

    def objects_of_units(self, units):
        """A queryset of the objects whose unit is in ``units`` (Organisation ids: a list or a subquery)."""
        raise NotImplementedError

    def approver_units(self, obj):
        return self.units_approving(self.object_unit(obj))

    def unit_approves(self, obj, organisation):
        return self.unit_approved_by(self.object_unit(obj), organisation)

    def objects_approved_by(self, organisation):
        return self.objects_of_units(unit_ids(self.approved_units(organisation)))

    def units_approving(self, unit):
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


class FunctionApprovalTask(ComputedApprovalTask):
    """Approved by the enabled administrators of the organisation holding ``function`` (never found by name):
    every record of ``reviewed_model`` until it is approved (live)."""

    #: An organisation function (registry.contributions.add_function), e.g. the QC secretariat's.
    function = ""
    #: The reviewed model, "app_label.ModelName".
    reviewed_model = ""
    #: The task's and its workflow's names, as the app's data migration creates them.
    default_names = ("", "")

    class Meta:
        abstract = True

    @classmethod
    def workflow(cls):
        """The reviewed model's workflow (recreated when a flushed test database lost the migration's)."""
        task_name, workflow_name = cls.default_names
        return workflow_for(apps.get_model(cls.reviewed_model), cls, task_name, workflow_name)

    def objects_in_review(self):
        return apps.get_model(self.reviewed_model)._base_manager.filter(live=False)

    def approver_units(self, obj):
        from .models import Organisation

        return Organisation.objects.filter(function=self.function)

    def unit_approves(self, obj, organisation):
        return organisation.function == self.function

    def objects_approved_by(self, organisation):
        objects = self.objects_in_review()
        return objects if organisation.function == self.function else objects.none()


class ReviewEmailTemplatesMixin:
    """E-mail about an object whose model names ``review_email_templates`` in the model's own templates, in each
    recipient's language."""

    def send_emails(self, template_set, context, recipients, **kwargs):
        # Wagtail renders for a recipient without a preference in the acting user's language: the site's instead.
        with translation.override(settings.LANGUAGE_CODE):
            return super().send_emails(template_set, context, recipients, **kwargs)

    def get_template_set(self, instance, **kwargs):
        obj = instance.content_object if hasattr(instance, "content_object") else instance.workflow_state.content_object
        prefix = getattr(obj, "review_email_templates", None)
        if prefix is None:
            return super().get_template_set(instance, **kwargs)
        return {
            "subject": f"{prefix}_{self.notification}_subject.txt",
            "text": f"{prefix}_{self.notification}.txt",
            "html": f"{prefix}_{self.notification}.html",  # rendered only with WAGTAILADMIN_NOTIFICATION_USE_HTML
        }


class ApprovalEmailNotifier(ReviewEmailTemplatesMixin, WorkflowStateApprovalEmailNotifier):
    """Wagtail's "approved" e-mail to the submitter, with the approver's remarks."""

    def get_context(self, workflow_state, **kwargs):
        context = super().get_context(workflow_state, **kwargs)
        task_state = workflow_state.current_task_state
        context["comment"] = task_state.specific.get_comment() if task_state else ""
        return context


class RejectionEmailNotifier(ReviewEmailTemplatesMixin, WorkflowStateRejectionEmailNotifier):
    """Wagtail's "changes requested" e-mail to the submitter, with the approver's comment."""


class SubmissionEmailNotifier(ReviewEmailTemplatesMixin, EmailNotificationMixin, Notifier):
    """Tells the computed approvers that an object awaits them (Wagtail only notifies group tasks)."""

    notification = "submitted"

    def __init__(self):
        super().__init__((TaskState,))

    def can_handle(self, instance, **kwargs):
        return super().can_handle(instance, **kwargs) and isinstance(instance.task.specific, ComputedApprovalTask)

    def get_context(self, task_state, **kwargs):
        context = super().get_context(task_state, **kwargs)
        context["task"] = task_state.task.specific
        context["object"] = task_state.workflow_state.content_object
        context["model_name"] = context["object"]._meta.verbose_name
        if isinstance(context["object"], AbstractPage):
            context["page"] = context["object"].specific
        return context

    def get_recipient_users(self, task_state, **kwargs):
        task = task_state.task.specific
        content = task_state.workflow_state.content_object
        recipients = set(task.notification_recipients(content))
        if getattr(settings, "WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS", True):
            recipients |= set(get_user_model().objects.filter(is_superuser=True, is_active=True))
        recipients.discard(kwargs.get("user"))
        recipients.discard(task_state.workflow_state.requested_by)
        return recipients


def connect_notifiers():
    """Replace Wagtail's approval and rejection e-mails by the ones above (same dispatch ids), add the submission's."""
    from wagtail.models import WorkflowState
    from wagtail.signals import task_submitted, workflow_approved, workflow_rejected

    for signal, notifier, uid in (
        (workflow_approved, ApprovalEmailNotifier(), "workflow_state_approved_email_notification"),
        (workflow_rejected, RejectionEmailNotifier(), "workflow_state_rejected_email_notification"),
    ):
        signal.disconnect(sender=WorkflowState, dispatch_uid=uid)
        signal.connect(notifier, sender=WorkflowState, dispatch_uid=uid, weak=False)
    task_submitted.connect(
        SubmissionEmailNotifier(), sender=TaskState, dispatch_uid="registry.computed_task_submitted_email", weak=False
    )


class CommentedFormatter(LogFormatter):
    """Shows the comment a review step was given (a revoke's or rejection's reason…) as the history entry's comment."""

    def format_comment(self, log_entry):
        return log_entry.data.get("comment", "")
