"""An application's review: the applicant submits (or resubmits) it, and each stage's reviewers act through the
stage's Wagtail workflow task (``models.review``), the one mechanism that moves an application and writes its state.

``submit`` checks the application, freezes what it submits, logs it and starts its workflow (or resumes the one
that asked for changes, at the stage that returned it); ``act`` takes a stage action (``qualify``, ``return``,
``award``…) for the review screen; ``available_actions`` lists those a reviewer may take now.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry import workflows
from registry.policies import owns

from .models import Application
from .models.review import ACTION_LABELS, ReviewError, log_step
from .snapshot import freeze
from .tasks import store_pdf

__all__ = ["ACTION_LABELS", "ReviewError", "act", "available_actions", "submit"]

State = Application.State


def _not_allowed(application):
    return ReviewError(
        _("This action is not allowed while the application is “%(state)s”.")
        % {"state": application.get_state_display()}
    )


def submit(application, user):
    """Submit a draft or resubmit a returned application as ``user`` (its enterprise's account); atomically."""
    with transaction.atomic():
        locked = Application.unscoped.select_for_update().get(pk=application.pk)
        if locked.state not in Application.EDITABLE_STATES:
            raise _not_allowed(locked)
        if not owns(user, locked):
            raise ReviewError(_("You may not take this action."))
        resubmission = locked.state == State.RETURNED
        problems = locked.submission_problems(resubmission=resubmission)
        if problems:
            raise ReviewError(_("; ").join(str(problem) for problem in problems))
        from_state = locked.state
        locked.submitted_at = timezone.now()
        changes = freeze(locked, user)
        locked.save()
        workflows.submit(locked, user, locked.get_workflow())  # the stage's task writes the state
        locked.refresh_from_db()
        log_step(locked, user, "resubmit" if resubmission else "submit", from_state, locked.state, changes=changes)
        if locked.printable:
            transaction.on_commit(lambda: store_pdf.enqueue(locked.pk))
    application.refresh_from_db()
    return application


def _current(application):
    """The task state and task the application awaits, or (None, None)."""
    state = application.current_workflow_state
    if state is None or state.status != state.STATUS_IN_PROGRESS or state.current_task_state is None:
        return None, None
    task_state = state.current_task_state
    return task_state, task_state.task.specific


def available_actions(application, user):
    """The stage actions ``user`` may take on ``application`` now (``action``, ``label``, ``needs_comment``)."""
    task_state, task = _current(application)
    if task is None or not task.user_can_approve(application, user):
        return []
    return list(task.stage_actions)


def act(application, action, user, comment=""):
    """Take the stage action ``action`` as ``user`` through the application's current task; ReviewError if not."""
    task_state, task = _current(application)
    row = task.stage_action(action) if task is not None else None
    if row is None or row.action != action:
        raise _not_allowed(application)
    if not task.user_can_approve(application, user):
        raise ReviewError(_("You may not take this action."))
    task.on_action(task_state.specific, user, row.task_action, comment=comment)
    application.refresh_from_db()
    return application
