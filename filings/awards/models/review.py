"""The review stages of an award application as Wagtail workflow tasks (registry.workflows), one task per stage.

Approvers are computed per application, never chosen: the recommending unit's opinion by the administrators of
the unit the application chose (or a unit above it), the qualification review, expert review and determination
by the administrators of the organiser the programme names (or a unit above it: the rule of
``access.is_organiser_admin``). The expert review is closed by the organiser; the experts assigned to the
application find it in their review queue too while their scores are due. A programme skips the stages it does
not use (``uses_recommendation``, ``uses_expert_review``): each of the four configurations has one workflow.

The tasks are the one place an application's review moves: each stage's actions (``stage_actions``) approve it (the
next stage; the determination's approval publishes it: awarded), reject it (returned for more information; the
applicant's resubmission resumes the workflow at the stage that returned it) or cancel its workflow with a final
state (not qualified, not recommended, not awarded). They write ``Application.state`` (a stored column the listings
and statistics filter on) and log the step in Wagtail's log (``log_step``: the snippet's History, which the applicant
sees too); ``filings.awards.review`` is the portal's and review screen's way in.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import CharField, Exists, F
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from wagtail.forms import TaskStateCommentForm
from wagtail.log_actions import log
from wagtail.models import Task, TaskState, Workflow, WorkflowState, WorkflowTask

from registry import workflows
from registry.models import Organisation
from registry.scoping import unscoped

#: What a stage action does to the workflow; any other outcome is the final state its cancellation leaves.
APPROVE, RETURN = "approve", "reject"


class ReviewError(Exception):
    """Raised with a message in the user's language when a review action is not allowed."""


@dataclass(frozen=True)
class StageAction:
    """One action of a stage: its name in the review log, its label, whether it needs a comment, its outcome."""

    action: str
    label: str
    needs_comment: bool
    outcome: str

    @property
    def task_action(self):
        """The action's name for Wagtail (``on_action``, the dashboard): approve, reject, or its own name."""
        return self.outcome if self.outcome in (APPROVE, RETURN) else self.action


class CommentRequiredForm(TaskStateCommentForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = True


def _return():
    return StageAction("return", _("Return for more information"), True, RETURN)


def set_state(application_pk, state, returned_from=""):
    """Write the stored state (and a new revision number: the printed application shows the state)."""
    from .applications import Application

    Application.unscoped.filter(pk=application_pk).update(
        state=state, returned_from=returned_from, revision=F("revision") + 1
    )


def stages_approvable_by(user):
    """The stages (``ApplicationStageTask.stage``) whose applications ``user``'s unit or a unit below it may ever
    approve: one query, kept on the user object like Django's permission cache (Wagtail's dashboard asks every
    stage task in turn, and most administrators take part in no award)."""
    if "_award_stages" not in user.__dict__:
        from .applications import Application
        from .pages import AwardProgrammePage

        units = Organisation.objects.filter(path__startswith=user.organisation.path)
        found = Organisation.objects.filter(pk=user.organisation_id).values(
            organises=Exists(AwardProgrammePage.objects.filter(organiser__in=units)),
            recommends=Exists(Application.unscoped.filter(recommending_unit__in=units)),
        )
        row = found.first() or {}
        user.__dict__["_award_stages"] = {
            task.stage for task in STAGE_TASKS if row.get("recommends" if task.recommends else "organises")
        }
    return user.__dict__["_award_stages"]


class ApplicationStageTask(workflows.ComputedApprovalTask):
    """One review stage of an application; subclasses name the unit whose administrators (and those above) act."""

    #: The stage (an ``Application.State`` value) and the task's name as the data migration creates it.
    stage = ""
    default_name = ""
    #: The lookup from an application to its approving unit.
    unit_lookup = ""
    #: Whether the approving unit is the recommending unit (otherwise the programme's organiser).
    recommends = False
    #: The stage's actions (StageAction), approval first.
    stage_actions = ()

    class Meta:
        abstract = True

    @classmethod
    def task(cls):
        """The stage's task: the first of its type, whatever an administrator renamed it to (created when missing:
        under ``creation_lock``)."""
        return cls.objects.order_by("pk").first() or cls.objects.create(name=cls.default_name)

    def stage_action(self, name):
        """The stage action called ``name`` (its log name or its name for Wagtail), or None."""
        return next((row for row in self.stage_actions if name in (row.action, row.task_action)), None)

    def get_form_for_action(self, action):
        """A comment form; required for the actions that need one (the dashboard shows the error in its modal)."""
        row = self.stage_action(action)
        return CommentRequiredForm if row is not None and row.needs_comment else super().get_form_for_action(action)

    def check_action(self, application, row):
        """Raise ReviewError when ``row`` cannot be taken on ``application`` now (the expert review's scores)."""

    def get_actions(self, obj, user):
        if not self.user_can_approve(obj, user):
            return []
        return [(row.task_action, row.label, row.needs_comment) for row in self.actions_open(obj)]

    def actions_open(self, obj):
        """The stage actions that may be taken on ``obj`` now, whoever acts."""
        open_rows = []
        for row in self.stage_actions:
            try:
                self.check_action(obj, row)
            except ReviewError:
                continue
            open_rows.append(row)
        return open_rows

    def start(self, workflow_state, user=None):
        """The application enters this stage (submitted, resubmitted or passed on by the previous one)."""
        task_state = super().start(workflow_state, user=user)
        set_state(workflow_state.object_id, self.stage)
        return task_state

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        """Take the stage action ``action_name``: approve (a fresh revision first, so that the determination's
        approval publishes the application as it is, printed PDF included), return or cancel with a final state;
        then log it for the applicant."""
        from ..tasks import store_pdf
        from .applications import Application

        row = self.stage_action(action_name)
        if row is None:
            raise PermissionDenied
        comment = (kwargs.get("comment") or "").strip()
        if row.needs_comment and not comment:
            raise ReviewError(_("A comment is required for this action."))
        status = TaskState.objects.select_for_update().values_list("status", flat=True).get(pk=task_state.pk)
        if status != TaskState.STATUS_IN_PROGRESS:
            raise PermissionDenied
        application = Application.unscoped.select_for_update().get(pk=task_state.workflow_state.object_id)
        if not self.user_can_approve(application, user):  # the action URL's object may not be this task's
            raise PermissionDenied
        self.check_action(application, row)
        if row.outcome == APPROVE:
            workflows.keep_revision(application, user)
            super().on_action(task_state, user, "approve", comment=comment)
            workflow_state = WorkflowState.objects.get(pk=task_state.workflow_state_id)
            if workflow_state.status == WorkflowState.STATUS_APPROVED:
                set_state(application.pk, Application.State.AWARDED)
        elif row.outcome == RETURN:
            super().on_action(task_state, user, "reject", comment=comment)
            set_state(application.pk, Application.State.RETURNED, returned_from=self.stage)
        else:
            with unscoped():
                task_state.workflow_state.cancel(user=user)
            TaskState.objects.filter(pk=task_state.pk).update(comment=comment, finished_by=user)
            set_state(application.pk, row.outcome)
        state = Application.unscoped.values_list("state", flat=True).get(pk=application.pk)
        log_step(application, user, row.action, self.stage, state, comment=comment)
        if state in Application.PRINTABLE_STATES:
            transaction.on_commit(lambda: store_pdf.enqueue(application.pk))

    def unit_of(self, application):
        obj = application
        for name in self.unit_lookup.split("__"):
            obj = getattr(obj, name)
            if obj is None:
                return None
        return obj

    def approver_units(self, obj):
        unit = self.unit_of(obj)
        if unit is None:
            return Organisation.objects.none()
        return unit.get_ancestors() | Organisation.objects.filter(pk=unit.pk)

    def unit_approves(self, obj, organisation):
        unit = self.unit_of(obj)
        return unit is not None and unit.is_within(organisation)

    def objects_approved_by(self, organisation):
        from .applications import Application

        return Application.unscoped.filter(**{f"{self.unit_lookup}__path__startswith": organisation.path})

    def get_task_states_user_can_moderate(self, user, **kwargs):
        """None at once for an administrator whose unit takes no part in this stage (see stages_approvable_by)."""
        if workflows.is_approver_account(user) and not user.is_superuser and user.organisation_id is not None:
            if self.stage not in stages_approvable_by(user):
                return TaskState.objects.none()
        return super().get_task_states_user_can_moderate(user, **kwargs)


class QualificationTask(ApplicationStageTask):
    stage = "qualification"
    default_name = "质量奖申报资格审查"
    unit_lookup = "programme__organiser"
    stage_actions = (
        StageAction("qualify", _("Pass qualification review"), False, APPROVE),
        StageAction("disqualify", _("Not qualified"), True, "rejected"),
        _return(),
    )

    class Meta:
        verbose_name = _("award qualification review task")
        verbose_name_plural = _("award qualification review tasks")


class RecommendationTask(ApplicationStageTask):
    stage = "recommendation"
    default_name = "质量奖申报推荐单位意见"
    unit_lookup = "recommending_unit"
    recommends = True
    stage_actions = (
        StageAction("recommend", _("Recommend"), False, APPROVE),
        StageAction("decline", _("Do not recommend"), True, "rejected"),
        _return(),
    )

    class Meta:
        verbose_name = _("award recommendation task")
        verbose_name_plural = _("award recommendation tasks")


class ExpertReviewTask(ApplicationStageTask):
    """Closed by the organiser; each assigned expert without a conflict finds it in their queue until they score."""

    stage = "expert_review"
    default_name = "质量奖申报专家评审"
    unit_lookup = "programme__organiser"
    stage_actions = (StageAction("conclude_review", _("Close expert review"), False, APPROVE), _return())

    class Meta:
        verbose_name = _("award expert review task")
        verbose_name_plural = _("award expert review tasks")

    def check_action(self, application, row):
        """Closed only when every assigned expert without a conflict of interest has submitted scores."""
        if row.outcome != APPROVE:
            return
        assignments = application.assignments.exclude(conflict="conflict")
        if not assignments.exists() or assignments.filter(submitted_at__isnull=True).exists():
            raise ReviewError(_("Every assigned expert without a conflict of interest must submit scores first."))

    def get_task_states_user_can_moderate(self, user, **kwargs):
        """One query: the states the organiser's administrators close, and those awaiting ``user``'s scores."""
        from .applications import Application, ReviewerAssignment

        closing = super().get_task_states_user_can_moderate(user, **kwargs)
        if not (user.is_authenticated and user.is_active):
            return closing
        due = (
            ReviewerAssignment.objects.filter(reviewer=user, submitted_at__isnull=True)
            .exclude(conflict=ReviewerAssignment.Conflict.CONFLICT)
            .annotate(key=Cast("application_id", CharField()))
            .values("key")
        )
        scoring = self.task_states.filter(
            status=TaskState.STATUS_IN_PROGRESS,
            workflow_state__base_content_type=ContentType.objects.get_for_model(Application),
            workflow_state__object_id__in=due,
        )
        return closing | scoring


class DeterminationTask(ApplicationStageTask):
    stage = "determination"
    default_name = "质量奖申报评定"
    unit_lookup = "programme__organiser"
    stage_actions = (
        StageAction("award", _("Award"), False, APPROVE),
        StageAction("not_award", _("Do not award"), True, "not_awarded"),
        _return(),
    )

    class Meta:
        verbose_name = _("award determination task")
        verbose_name_plural = _("award determination tasks")


STAGE_TASKS = (QualificationTask, RecommendationTask, ExpertReviewTask, DeterminationTask)
#: The label of every action in the review log, the applicant's included.
ACTION_LABELS = {
    "submit": _("Submit"),
    "resubmit": _("Resubmit"),
    **{row.action: row.label for task in STAGE_TASKS for row in task.stage_actions},
}
#: A review step's action in Wagtail's log is ``LOG_PREFIX`` and its name: ``awards.submit``, ``awards.qualify``…
LOG_PREFIX = "awards."


def log_step(application, user, action, from_state, to_state, comment="", changes=()):
    """Log a review step of ``application`` in Wagtail's log, its one history (the snippet's History view, the
    applicant's page, the printed log): the states it moved between, the comment, what a resubmission changed."""
    data = {"from_state": from_state, "to_state": to_state, "comment": comment}
    if changes:
        data["changes"] = list(changes)
    log(application, LOG_PREFIX + action, user=user, data=data)


def stage_tasks(programme):
    """The task classes of the stages ``programme`` uses, in order."""
    skipped = set()
    if not programme.uses_recommendation:
        skipped.add(RecommendationTask)
    if not programme.uses_expert_review:
        skipped.add(ExpertReviewTask)
    return [task for task in STAGE_TASKS if task not in skipped]


def workflow_name(tasks):
    return "质量奖申报评审：" + "、".join(task.default_name.removeprefix("质量奖申报") for task in tasks)


def workflow_of_tasks(task_ids):
    """The workflow whose tasks are exactly ``task_ids`` in order (an active one first, then the oldest), or None:
    found by its tasks, never by its name (an administrator may rename it in Wagtail's admin)."""
    candidates = Workflow.objects.filter(workflow_tasks__task_id=task_ids[0]).values("pk")
    rows = WorkflowTask.objects.filter(workflow__in=candidates).order_by("workflow_id", "sort_order")
    tasks_of = {}
    for workflow_id, task_id in rows.values_list("workflow_id", "task_id"):
        tasks_of.setdefault(workflow_id, []).append(task_id)
    matching = [pk for pk, ids in tasks_of.items() if ids == list(task_ids)]
    return Workflow.objects.filter(pk__in=matching).order_by("-active", "pk").first()


def application_workflow(programme):
    """The workflow of ``programme``'s configuration of stages (created with its tasks, once, when missing)."""
    from .applications import Application

    tasks = stage_tasks(programme)
    types = [ContentType.objects.get_for_model(task) for task in tasks]
    rows = Task.objects.filter(content_type__in=types).order_by("-pk").values_list("content_type", "pk")
    first = dict(rows)  # each type's oldest task (the last one read), as ApplicationStageTask.task finds it
    task_ids = [first.get(content_type.pk) for content_type in types]
    workflow = workflow_of_tasks(task_ids) if None not in task_ids else None
    if workflow is not None:
        return workflow
    with transaction.atomic():
        workflows.creation_lock(Application)
        task_ids = [task.task().pk for task in tasks]
        workflow = workflow_of_tasks(task_ids)
        if workflow is None:
            workflow = Workflow.objects.create(name=workflow_name(tasks), active=True)
            for order, task_id in enumerate(task_ids):
                WorkflowTask.objects.create(workflow=workflow, task_id=task_id, sort_order=order)
    return workflow
