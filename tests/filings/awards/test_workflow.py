"""Every review action of an application, through its stages' workflow tasks (filings.awards.review), with who may
take it, what it logs and the workflow and task states it leaves."""

import datetime
from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from wagtail.models import TaskState, WorkflowState

from filings.awards.factories import ApplicationFactory, make_programme
from filings.awards.models import Application, ReviewerAssignment
from filings.awards.models.review import DeterminationTask, QualificationTask, RecommendationTask
from filings.awards.review import ReviewError, act, available_actions, submit
from registry.factories import EnterpriseAccountFactory

State = Application.State
MIGRATION_0010 = "0010_application_review_states"


def advance_to(application, state, *, applicant, organiser, recommender, expert=None):
    """Drive ``application`` through the real review actions until it reaches ``state``."""
    steps = {
        State.QUALIFICATION: ("submit", applicant),
        State.RECOMMENDATION: ("qualify", organiser),
        State.EXPERT_REVIEW: ("recommend", recommender),
        State.DETERMINATION: ("conclude_review", organiser),
    }
    for target, (action, user) in steps.items():
        if application.state == state:
            break
        if action == "conclude_review":
            ReviewerAssignment.objects.create(
                application=application, reviewer=expert, conflict="none", submitted_at=timezone.now()
            )
        submit(application, user) if action == "submit" else act(application, action, user)
        assert application.state == target
        assert stage_task(application).stage == target
    return application


def stage_task(application):
    """The task the application's workflow awaits."""
    return application.current_workflow_state.current_task_state.task.specific


def newest_workflow_state(application):
    return WorkflowState.objects.for_instance(application).order_by("-pk").first()


def before_the_review_log_moved():
    """Migrate the awards back to 0010, when the review log had its own table (0011 copies it into Wagtail's log,
    0012 drops it): the apps as of 0010 and the migration module."""
    executor = MigrationExecutor(connection)
    executor.migrate([("awards", MIGRATION_0010)])
    apps = executor.loader.project_state([("awards", MIGRATION_0010)]).apps
    return apps, import_module(f"filings.awards.migrations.{MIGRATION_0010}")


def migrate_to_latest():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def actors(applicant, association_admin, hebei_admin, expert):
    return {"applicant": applicant, "organiser": association_admin, "recommender": hebei_admin, "expert": expert}


@pytest.mark.django_db
def test_submit_moves_draft_to_qualification_and_logs(application, applicant):
    submit(application, applicant)
    assert application.state == State.QUALIFICATION
    assert application.submitted_at is not None
    [entry] = application.review_log()
    assert (entry.user, entry.action, entry.data["from_state"], entry.data["to_state"]) == (
        applicant,
        "awards.submit",
        "draft",
        "qualification",
    )
    assert isinstance(stage_task(application), QualificationTask)
    assert application.current_workflow_state.requested_by == applicant


@pytest.mark.django_db
def test_full_pipeline_to_awarded(application, actors):
    advance_to(application, State.DETERMINATION, **{k: v for k, v in actors.items()})
    act(application, "award", actors["organiser"], "成绩突出")
    assert application.state == State.AWARDED
    assert [e.action.removeprefix("awards.") for e in application.review_log()] == [
        "submit",
        "qualify",
        "recommend",
        "conclude_review",
        "award",
    ]
    assert application.review_log()[-1].comment == "成绩突出"
    # The determination's approval finished the workflow and published the application: awarded is live.
    assert application.live
    assert newest_workflow_state(application).status == WorkflowState.STATUS_APPROVED
    assert TaskState.objects.for_instance(application).order_by("-pk").first().comment == "成绩突出"


@pytest.mark.django_db
def test_not_awarded_needs_comment(application, actors):
    advance_to(application, State.DETERMINATION, **actors)
    with pytest.raises(ReviewError, match="请填写意见"):
        act(application, "not_award", actors["organiser"])
    act(application, "not_award", actors["organiser"], "得分未达标")
    assert application.state == State.NOT_AWARDED
    assert not application.live
    # A final decision other than the award cancels the workflow: nothing awaits anyone, nothing resumes it.
    assert application.current_workflow_state is None
    assert newest_workflow_state(application).status == WorkflowState.STATUS_CANCELLED
    decided = TaskState.objects.for_instance(application).order_by("-pk").first()
    assert (decided.task.specific.__class__, decided.comment) == (DeterminationTask, "得分未达标")
    with pytest.raises(ReviewError):
        submit(application, actors["applicant"])


@pytest.mark.django_db
def test_disqualify_and_decline_reject(application, actors, programme):
    submit(application, actors["applicant"])
    act(application, "disqualify", actors["organiser"], "材料不全")
    assert application.state == State.REJECTED
    assert newest_workflow_state(application).status == WorkflowState.STATUS_CANCELLED
    other = ApplicationFactory(programme=programme, recommending_unit=application.recommending_unit)
    advance_to(other, State.RECOMMENDATION, **{**actors, "applicant": other.created_by})
    act(other, "decline", actors["recommender"], "不予推荐")
    assert other.state == State.REJECTED


@pytest.mark.django_db
@pytest.mark.parametrize("stage", [State.QUALIFICATION, State.RECOMMENDATION, State.EXPERT_REVIEW, State.DETERMINATION])
def test_return_from_any_stage_reopens_and_resubmit_goes_back(application, actors, stage):
    advance_to(application, stage, **actors)
    returner = actors["recommender"] if stage == State.RECOMMENDATION else actors["organiser"]
    act(application, "return", returner, "请补充近三年纳税证明")
    assert application.state == State.RETURNED
    assert application.editable
    assert application.returned_from == stage
    assert application.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    submit(application, actors["applicant"])
    assert application.state == stage
    assert application.returned_from == ""
    # Wagtail's resume: the same workflow, restarted at the task that asked for changes.
    assert WorkflowState.objects.for_instance(application).count() == 1
    assert stage_task(application).stage == stage
    assert [entry.action for entry in application.review_log()][-2:] == ["awards.return", "awards.resubmit"]


@pytest.mark.django_db
def test_programme_without_recommendation_and_expert_stages(orgs, association_admin):
    programme = make_programme("2026年质量奖（简化流程）", uses_recommendation=False, uses_expert_review=False)
    application = ApplicationFactory(programme=programme)
    assert application.recommending_unit is None
    submit(application, application.created_by)
    act(application, "qualify", association_admin)
    assert application.state == State.DETERMINATION
    assert isinstance(stage_task(application), DeterminationTask)


@pytest.mark.django_db
def test_who_may_act(application, actors, beijing_admin, expert, orgs, make_admin):
    other_applicant = EnterpriseAccountFactory()
    with pytest.raises(ReviewError, match="您无权"):
        submit(application, other_applicant)
    submit(application, actors["applicant"])
    # A recommending unit cannot pass the qualification review; the applicant cannot either.
    for user in (actors["recommender"], actors["applicant"], expert):
        with pytest.raises(ReviewError, match="您无权"):
            act(application, "qualify", user)
    act(application, "qualify", actors["organiser"])
    # Only the unit the applicant chose (or a unit above it) recommends.
    for user in (beijing_admin, actors["organiser"], make_admin(orgs.qiaoxi)):
        with pytest.raises(ReviewError, match="您无权"):
            act(application, "recommend", user)
    assert isinstance(stage_task(application), RecommendationTask)
    act(application, "recommend", make_admin(orgs.platform, role="platform"))
    assert application.state == State.EXPERT_REVIEW
    assert len(application.review_log()) == 3


@pytest.mark.django_db
def test_unknown_action_for_state_is_refused(application, actors):
    with pytest.raises(ReviewError, match="不允许此操作"):
        act(application, "award", actors["organiser"])
    assert application.state == State.DRAFT
    assert not application.review_log()


@pytest.mark.django_db
def test_submission_blocked_outside_dates_and_when_incomplete(application, applicant, programme):
    programme.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    programme.save()
    application.contact_person = ""
    application.pledge_accepted_at = None
    application.save()
    with pytest.raises(ReviewError) as error:
        submit(application, applicant)
    message = str(error.value)
    assert "不在开放时间内" in message
    assert "承诺书" in message
    assert str(Application._meta.get_field("contact_person").verbose_name) in message
    assert Application.unscoped.get(pk=application.pk).state == State.DRAFT


@pytest.mark.django_db
def test_submission_needs_approved_filing_with_programme_years(application, applicant):
    application.filing.live = False  # changed since its approval
    application.filing.save()
    application.filing.economic_years.order_by("year").first().delete()
    with pytest.raises(ReviewError) as error:
        submit(application, applicant)
    assert "尚未审核通过" in str(error.value)
    assert f"{application.programme.first_data_year}" in str(error.value)


@pytest.mark.django_db
def test_expert_review_cannot_close_until_scores_are_in(application, actors):
    advance_to(application, State.EXPERT_REVIEW, **actors)
    with pytest.raises(ReviewError, match="评分"):
        act(application, "conclude_review", actors["organiser"])
    assignment = ReviewerAssignment.objects.create(application=application, reviewer=actors["expert"])
    with pytest.raises(ReviewError, match="评分"):
        act(application, "conclude_review", actors["organiser"])
    assignment.conflict, assignment.submitted_at = "none", timezone.now()
    assignment.save()
    act(application, "conclude_review", actors["organiser"])
    assert application.state == State.DETERMINATION


@pytest.mark.django_db
def test_available_actions_follow_the_table(application, actors):
    advance_to(application, State.QUALIFICATION, **actors)
    assert {row.action for row in available_actions(application, actors["organiser"])} == {
        "qualify",
        "disqualify",
        "return",
    }
    assert available_actions(application, actors["recommender"]) == []
    assert available_actions(application, actors["applicant"]) == []
    assert {row.task_action for row in available_actions(application, actors["organiser"])} == {
        "approve",
        "reject",
        "disqualify",
    }


@pytest.mark.django_db
def test_returned_application_can_be_resubmitted_after_closing(application, actors, programme):
    advance_to(application, State.RECOMMENDATION, **actors)
    act(application, "return", actors["recommender"], "请补充推荐材料")
    programme.closes_at = timezone.now() - datetime.timedelta(days=1)
    programme.save()
    submit(application, actors["applicant"])
    assert application.state == State.RECOMMENDATION


@pytest.mark.django_db
def test_renaming_the_organiser_leaves_the_application_review_working(application, actors, association):
    """The organiser is found by its function: a new name in the admin changes nothing about who reviews."""
    association.name = "改名后的主办单位"
    association.save()
    submit(application, actors["applicant"])
    assert [row.action for row in available_actions(application, actors["organiser"])] == [
        "qualify",
        "disqualify",
        "return",
    ]
    act(application, "qualify", actors["organiser"])
    assert application.state == State.RECOMMENDATION


@pytest.mark.django_db
def test_wagtail_offers_each_stage_its_own_actions(application, actors):
    """The dashboard's workflow actions are the stage's: closing expert review appears once the scores are in."""
    advance_to(application, State.EXPERT_REVIEW, **actors)
    task = stage_task(application)
    assert [name for name, _label, _modal in task.get_actions(application, actors["organiser"])] == ["reject"]
    assert task.get_actions(application, actors["expert"]) == []
    ReviewerAssignment.objects.create(
        application=application, reviewer=actors["expert"], conflict="none", submitted_at=timezone.now()
    )
    assert [name for name, _label, _modal in task.get_actions(application, actors["organiser"])] == [
        "approve",
        "reject",
    ]
    task_state = application.current_workflow_state.current_task_state.specific
    task.on_action(task_state, actors["organiser"], "approve")
    application.refresh_from_db()
    assert application.state == State.DETERMINATION
    assert application.review_log()[-1].action == "awards.conclude_review"


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_applications_the_workflow_state_of_their_stage(
    reference_data, programme, orgs, actors
):
    """Applications in review wait at their stage's task (the stages before it approved), returned ones resume at
    the stage that returned them, awarded ones are published."""
    from filings.awards.models.review import ExpertReviewTask

    apps, migration = before_the_review_log_moved()
    ReviewLogEntry = apps.get_model("awards", "ReviewLogEntry")
    in_review, returned, awarded = (
        ApplicationFactory(programme=programme, recommending_unit=orgs.hebei) for _n in range(3)
    )
    Application.unscoped.filter(pk=in_review.pk).update(state=State.EXPERT_REVIEW, submitted_at=timezone.now())
    Application.unscoped.filter(pk=returned.pk).update(state=State.RETURNED, returned_from=State.RECOMMENDATION)
    ReviewLogEntry.objects.create(
        application_id=returned.pk, action="return", from_state="recommendation", to_state="returned", comment="请补充"
    )
    Application.unscoped.filter(pk=awarded.pk).update(state=State.AWARDED)
    migration.forwards(apps, None)
    migrate_to_latest()

    for application in (in_review, returned, awarded):
        application.refresh_from_db()
    assert isinstance(stage_task(in_review), ExpertReviewTask)
    ReviewerAssignment.objects.create(
        application=in_review, reviewer=actors["expert"], conflict="none", submitted_at=timezone.now()
    )
    act(in_review, "conclude_review", actors["organiser"])
    assert in_review.state == State.DETERMINATION
    assert returned.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert returned.current_workflow_state.current_task_state.comment == "请补充"
    submit(returned, returned.created_by)
    assert returned.state == State.RECOMMENDATION and isinstance(stage_task(returned), RecommendationTask)
    assert awarded.live and awarded.current_workflow_state is None


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_the_award_time_and_moves_applications_past_a_stage_no_longer_used(
    reference_data, orgs, actors
):
    """An awarded application is published as of its award, not of the migration; one waiting at (or returned by)
    the recommending unit's stage of a programme that dropped it waits at the programme's next stage."""
    from filings.awards.models.review import ExpertReviewTask

    apps, migration = before_the_review_log_moved()
    ReviewLogEntry = apps.get_model("awards", "ReviewLogEntry")
    programme = make_programme("2026年质量创新奖", uses_recommendation=False)
    waiting, returned, awarded = (ApplicationFactory(programme=programme, recommending_unit=None) for _n in range(3))
    Application.unscoped.filter(pk=waiting.pk).update(state=State.RECOMMENDATION)
    Application.unscoped.filter(pk=returned.pk).update(state=State.RETURNED, returned_from=State.RECOMMENDATION)
    Application.unscoped.filter(pk=awarded.pk).update(state=State.AWARDED)
    award = ReviewLogEntry.objects.create(
        application_id=awarded.pk, action="award", from_state="determination", to_state="awarded"
    )
    awarded_at = timezone.now() - datetime.timedelta(days=40)
    ReviewLogEntry.objects.filter(pk=award.pk).update(created_at=awarded_at)
    migration.forwards(apps, None)
    migrate_to_latest()

    for application in (waiting, returned, awarded):
        application.refresh_from_db()
    assert awarded.live and awarded.first_published_at == awarded.last_published_at == awarded_at
    assert waiting.state == State.EXPERT_REVIEW and isinstance(stage_task(waiting), ExpertReviewTask)
    assert returned.returned_from == State.EXPERT_REVIEW
    submit(returned, returned.created_by)
    assert returned.state == State.EXPERT_REVIEW and isinstance(stage_task(returned), ExpertReviewTask)
