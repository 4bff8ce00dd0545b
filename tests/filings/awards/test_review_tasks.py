"""An application's review stages as Wagtail workflow tasks: each stage waits in its own reviewers' queue (Wagtail's
"awaiting your review", ``TaskState.objects.reviewable_by``) and in nobody else's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Task, TaskState, Workflow

from filings.awards.factories import ApplicationFactory, make_programme
from filings.awards.models import (
    Application,
    DeterminationTask,
    ExpertReviewTask,
    QualificationTask,
    RecommendationTask,
    ReviewerAssignment,
)
from registry import workflows
from registry.factories import AdministratorFactory

pytestmark = pytest.mark.django_db


def queue(user):
    return {state.workflow_state.object_id for state in TaskState.objects.reviewable_by(user)}


def stage(application):
    return application.current_workflow_state.current_task_state.task.specific


def test_each_programme_configuration_has_its_workflow_of_stages(programme):
    assert [task.specific_class for task in programme_tasks(programme)] == [
        QualificationTask,
        RecommendationTask,
        ExpertReviewTask,
        DeterminationTask,
    ]
    short = make_programme("2026年质量创新奖", uses_recommendation=False, uses_expert_review=False)
    assert [task.specific_class for task in programme_tasks(short)] == [QualificationTask, DeterminationTask]
    assert ApplicationFactory(programme=short).get_workflow() == ApplicationFactory(programme=short).get_workflow()


def programme_tasks(programme):
    return ApplicationFactory(programme=programme, recommending_unit=None).get_workflow().tasks


def test_each_stage_waits_in_its_reviewers_queue_and_nobody_elses(
    client, application, applicant, association_admin, hebei_admin, beijing_admin, expert, association
):
    other_expert = AdministratorFactory(organisation=association, role="", real_name="评审专家乙")
    everyone = [applicant, association_admin, hebei_admin, beijing_admin, expert, other_expert]
    key = str(application.pk)

    def waiting_for(*users):
        assert {user.pk for user in everyone if key in queue(user)} == {user.pk for user in users}

    workflows.submit(application, applicant, application.get_workflow())
    assert isinstance(stage(application), QualificationTask)
    waiting_for(association_admin)
    for user, shown in ((association_admin, True), (hebei_admin, False)):  # the dashboard's "awaiting your review"
        client.force_login(user)
        assert (str(application) in client.get(reverse("wagtailadmin_home")).content.decode()) is shown
    assert not stage(application).user_can_approve(application, hebei_admin)

    # Wagtail's own action from the queue (the dashboard's "Approve") moves it on.
    task_state = application.current_workflow_state.current_task_state
    action = reverse(
        Application.snippet_viewset.get_url_name("workflow_action"), args=[application.pk, "approve", task_state.pk]
    )
    client.force_login(hebei_admin)  # read unscoped, but the task decides who acts: Wagtail refuses the others
    assert client.post(action)["Location"] == reverse("wagtailadmin_home")
    application.refresh_from_db()
    assert isinstance(stage(application), QualificationTask)
    client.force_login(association_admin)
    assert client.post(action).status_code == 302
    application.refresh_from_db()
    assert isinstance(stage(application), RecommendationTask)
    assert application.state == Application.State.RECOMMENDATION  # the task writes the stored state
    assert application.review_log()[-1].action == "awards.qualify"
    waiting_for(hebei_admin)
    assert set(stage(application).approvers(application)) == {hebei_admin}

    workflows.decide(application, hebei_admin, "approve")
    assert isinstance(stage(application), ExpertReviewTask)
    waiting_for(association_admin)
    assignment = ReviewerAssignment.objects.create(application=application, reviewer=expert, conflict="none")
    ReviewerAssignment.objects.create(application=application, reviewer=other_expert, conflict="conflict")
    waiting_for(association_admin, expert)  # the expert with a conflict scores nothing
    assert not stage(application).user_can_approve(application, expert)  # the organiser closes the stage
    assignment.submitted_at = timezone.now()
    assignment.save()
    waiting_for(association_admin)

    workflows.decide(application, association_admin, "approve")  # closed: every expert without a conflict scored
    assert isinstance(stage(application), DeterminationTask)
    waiting_for(association_admin)
    workflows.decide(application, association_admin, "approve")
    application.refresh_from_db()
    assert application.live  # awarded is published
    assert application.state == Application.State.AWARDED
    waiting_for()


def test_a_queue_is_one_query_however_many_applications_wait(programme, orgs, hebei_admin, expert):
    def measured():
        with CaptureQueriesContext(connection) as queries:
            list(TaskState.objects.reviewable_by(hebei_admin))
            list(ExpertReviewTask.task().get_task_states_user_can_moderate(expert))
        return len(queries)

    def submit_one():
        application = ApplicationFactory(programme=programme, recommending_unit=orgs.hebei)
        workflows.submit(application, application.created_by, application.get_workflow())
        for _stage in ("qualification", "recommendation"):
            task_state = application.current_workflow_state.current_task_state
            with workflows.approval():
                task_state.approve(user=None)
            application.refresh_from_db()
        ReviewerAssignment.objects.create(application=application, reviewer=expert, conflict="none")

    submit_one()
    measured()  # content types cached
    once = measured()
    for _ in range(3):
        submit_one()
    assert measured() == once
    assert len(ExpertReviewTask.task().get_task_states_user_can_moderate(expert)) == 4


def at_expert_review(application):
    """``application`` submitted and passed through qualification and recommendation."""
    workflows.submit(application, application.created_by, application.get_workflow())
    for _stage in ("qualification", "recommendation"):
        with workflows.approval():
            application.current_workflow_state.current_task_state.approve(user=None)
        application.refresh_from_db()
    return application


def test_the_workflow_is_found_by_its_tasks_whatever_its_name(application):
    """Renamed in Wagtail's admin (workflow and tasks) or with a namesake beside it, it is still the one used."""
    workflow = application.get_workflow()
    Workflow.objects.filter(pk=workflow.pk).update(name="质量奖评审（改名）")
    Task.objects.update(name="改名的任务")
    Workflow.objects.create(name=workflow.name, active=True)  # a namesake without the stages
    count = Workflow.objects.count()
    assert application.get_workflow() == workflow
    assert Workflow.objects.count() == count
    assert [task.specific_class for task in workflow.tasks][0] is QualificationTask


def test_a_stage_action_its_task_refuses_in_wagtails_admin_is_a_message(
    client, programme, orgs, association_admin, expert
):
    """Wagtail's action URL names the record and the task state apart: approving through a record whose scores are
    in the expert review of one whose scores are due is refused with the task's message, not a server error."""
    ready, due = (at_expert_review(ApplicationFactory(programme=programme, recommending_unit=orgs.hebei)) for _ in "12")
    ReviewerAssignment.objects.create(application=ready, reviewer=expert, conflict="none", submitted_at=timezone.now())
    ReviewerAssignment.objects.create(application=due, reviewer=expert, conflict="none")
    task_state = due.current_workflow_state.current_task_state
    action = reverse(
        Application.snippet_viewset.get_url_name("workflow_action"), args=[ready.pk, "approve", task_state.pk]
    )
    client.force_login(association_admin)
    response = client.post(action, follow=True)
    assert "尚有专家未提交评分" in [str(message) for message in response.context["messages"]]
    due.refresh_from_db()
    assert due.state == Application.State.EXPERT_REVIEW and isinstance(stage(due), ExpertReviewTask)
    assert "awards.conclude_review" not in [entry.action for entry in due.review_log()]


def test_the_dashboard_asks_the_award_stages_nothing_for_an_administrator_outside_them(
    client, application, applicant, orgs, make_admin, association_admin
):
    """Wagtail's dashboard asks every task type for its queue: an administrator whose unit neither organises a
    programme nor recommends an application costs the four stages one cheap check, not subqueries of every
    application in the queue's query."""
    workflows.submit(application, applicant, application.get_workflow())
    county = make_admin(orgs.changan)
    client.force_login(county)
    client.get(reverse("wagtailadmin_home"))  # content types and site root paths cached
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("wagtailadmin_home")).status_code == 200
    awards = [query["sql"] for query in queries.captured_queries if "awards_application" in query["sql"]]
    assert len(awards) == 1 and "wagtailcore_taskstate" not in awards[0]  # stages_approvable_by's one check
    queue_queries = [
        sql for sql in (query["sql"] for query in queries.captured_queries) if "wagtailcore_taskstate" in sql
    ]
    assert queue_queries and not any("awards_" in sql.replace("awards_reviewerassignment", "") for sql in queue_queries)
    assert queue(county) == set()
    assert queue(association_admin) == {str(application.pk)}  # the organiser's check lets its queue through
