"""The application state machine: one transition table and one function that applies it.

Each row says: in this state, this action, taken by this kind of actor, leads to that state. The review
stages a programme uses are configurable (``uses_recommendation``, ``uses_expert_review``), so "the next
stage" is computed from the programme; any review stage may return the application to the applicant,
who resubmits it to the stage that returned it.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import access
from .models import Application, ReviewLogEntry
from .snapshot import freeze
from .tasks import store_pdf

State = Application.State

APPLICANT, ORGANISER, RECOMMENDER = "applicant", "organiser", "recommender"
NEXT_STAGE = "next stage"
BACK_TO_RETURNING_STAGE = "returning stage"

#: Review stages in order; a programme may skip recommendation and expert review.
STAGES = (State.QUALIFICATION, State.RECOMMENDATION, State.EXPERT_REVIEW, State.DETERMINATION)


class TransitionError(Exception):
    """Raised with a message in the user's language when an action is not allowed."""


@dataclass(frozen=True)
class Transition:
    state: str
    action: str
    target: str
    actor: str
    label: str
    needs_comment: bool = False


TRANSITIONS = [
    Transition(State.DRAFT, "submit", State.QUALIFICATION, APPLICANT, _("Submit")),
    Transition(State.RETURNED, "resubmit", BACK_TO_RETURNING_STAGE, APPLICANT, _("Resubmit")),
    Transition(State.QUALIFICATION, "qualify", NEXT_STAGE, ORGANISER, _("Pass qualification review")),
    Transition(State.QUALIFICATION, "disqualify", State.REJECTED, ORGANISER, _("Not qualified"), True),
    Transition(State.QUALIFICATION, "return", State.RETURNED, ORGANISER, _("Return for more information"), True),
    Transition(State.RECOMMENDATION, "recommend", NEXT_STAGE, RECOMMENDER, _("Recommend")),
    Transition(State.RECOMMENDATION, "decline", State.REJECTED, RECOMMENDER, _("Do not recommend"), True),
    Transition(State.RECOMMENDATION, "return", State.RETURNED, RECOMMENDER, _("Return for more information"), True),
    Transition(State.EXPERT_REVIEW, "conclude_review", NEXT_STAGE, ORGANISER, _("Close expert review")),
    Transition(State.EXPERT_REVIEW, "return", State.RETURNED, ORGANISER, _("Return for more information"), True),
    Transition(State.DETERMINATION, "award", State.AWARDED, ORGANISER, _("Award")),
    Transition(State.DETERMINATION, "not_award", State.NOT_AWARDED, ORGANISER, _("Do not award"), True),
    Transition(State.DETERMINATION, "return", State.RETURNED, ORGANISER, _("Return for more information"), True),
]
TABLE = {(row.state, row.action): row for row in TRANSITIONS}


def stages_of(programme):
    return [
        stage
        for stage in STAGES
        if (stage != State.RECOMMENDATION or programme.uses_recommendation)
        and (stage != State.EXPERT_REVIEW or programme.uses_expert_review)
    ]


def stage_after(programme, stage):
    stages = stages_of(programme)
    return stages[stages.index(stage) + 1]


def may_act(user, application, actor):
    if actor == APPLICANT:
        return access.is_applicant(user, application)
    if actor == ORGANISER:
        return access.is_organiser_admin(user, application.programme)
    if actor == RECOMMENDER:
        return access.is_recommender(user, application)
    return False


def available_actions(application, user):
    """The transitions ``user`` may take on ``application`` now."""
    return [
        row
        for row in TRANSITIONS
        if row.state == application.state and row.actor != APPLICANT and may_act(user, application, row.actor)
    ]


def _check_preconditions(application, row):
    if row.actor == APPLICANT:
        problems = application.submission_problems(resubmission=row.action == "resubmit")
        if problems:
            raise TransitionError(_("; ").join(str(problem) for problem in problems))
    if row.action == "conclude_review":
        assignments = application.assignments.exclude(conflict="conflict")
        if not assignments.exists() or assignments.filter(submitted_at__isnull=True).exists():
            raise TransitionError(_("Every assigned expert without a conflict of interest must submit scores first."))


def transition(application, action, user, comment=""):
    """Apply ``action`` by ``user``: check the table and permission, change state, log it; atomically."""
    comment = (comment or "").strip()
    with transaction.atomic():
        locked = Application.unscoped.select_for_update().get(pk=application.pk)
        row = TABLE.get((locked.state, action))
        if row is None:
            raise TransitionError(
                _("This action is not allowed while the application is “%(state)s”.")
                % {"state": locked.get_state_display()}
            )
        if not may_act(user, locked, row.actor):
            raise TransitionError(_("You may not take this action."))
        if row.needs_comment and not comment:
            raise TransitionError(_("A comment is required for this action."))
        _check_preconditions(locked, row)
        from_state = locked.state
        if row.target == NEXT_STAGE:
            target = stage_after(locked.programme, from_state)
        elif row.target == BACK_TO_RETURNING_STAGE:
            target = locked.returned_from or State.QUALIFICATION
        else:
            target = row.target
        locked.returned_from = from_state if target == State.RETURNED else ""
        changes = []
        if row.actor == APPLICANT:
            locked.submitted_at = timezone.now()
            changes = freeze(locked, user)
        locked.state = target
        locked.save()
        ReviewLogEntry.objects.create(
            application=locked,
            actor=user,
            action=action,
            from_state=from_state,
            to_state=target,
            comment=comment,
            changes=changes,
        )
        if locked.printable:
            transaction.on_commit(lambda: store_pdf.enqueue(locked.pk))
    application.refresh_from_db()
    return application


ACTION_LABELS = {row.action: row.label for row in TRANSITIONS}
