"""Every transition of the application state machine, with who may take it and what it logs."""

import datetime

import pytest
from django.utils import timezone

from filings.awards.factories import ApplicationFactory, make_programme
from filings.awards.models import Application, ReviewerAssignment
from filings.awards.workflow import TRANSITIONS, TransitionError, available_actions, transition
from registry.factories import EnterpriseAccountFactory

State = Application.State


def advance_to(application, state, *, applicant, organiser, recommender, expert=None):
    """Drive ``application`` through the real transitions until it reaches ``state``."""
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
        transition(application, action, user)
        assert application.state == target
    return application


@pytest.fixture
def actors(applicant, association_admin, hebei_admin, expert):
    return {"applicant": applicant, "organiser": association_admin, "recommender": hebei_admin, "expert": expert}


@pytest.mark.django_db
def test_submit_moves_draft_to_qualification_and_logs(application, applicant):
    transition(application, "submit", applicant)
    assert application.state == State.QUALIFICATION
    assert application.submitted_at is not None
    entry = application.log.get()
    assert (entry.actor, entry.action, entry.from_state, entry.to_state) == (
        applicant,
        "submit",
        "draft",
        "qualification",
    )


@pytest.mark.django_db
def test_full_pipeline_to_awarded(application, actors):
    advance_to(application, State.DETERMINATION, **{k: v for k, v in actors.items()})
    transition(application, "award", actors["organiser"], "成绩突出")
    assert application.state == State.AWARDED
    assert [e.action for e in application.log.all()] == ["submit", "qualify", "recommend", "conclude_review", "award"]
    assert application.log.last().comment == "成绩突出"


@pytest.mark.django_db
def test_not_awarded_needs_comment(application, actors):
    advance_to(application, State.DETERMINATION, **actors)
    with pytest.raises(TransitionError, match="请填写意见"):
        transition(application, "not_award", actors["organiser"])
    transition(application, "not_award", actors["organiser"], "得分未达标")
    assert application.state == State.NOT_AWARDED


@pytest.mark.django_db
def test_disqualify_and_decline_reject(application, actors, programme):
    transition(application, "submit", actors["applicant"])
    transition(application, "disqualify", actors["organiser"], "材料不全")
    assert application.state == State.REJECTED
    other = ApplicationFactory(programme=programme, recommending_unit=application.recommending_unit)
    advance_to(other, State.RECOMMENDATION, **{**actors, "applicant": other.created_by})
    transition(other, "decline", actors["recommender"], "不予推荐")
    assert other.state == State.REJECTED


@pytest.mark.django_db
@pytest.mark.parametrize("stage", [State.QUALIFICATION, State.RECOMMENDATION, State.EXPERT_REVIEW, State.DETERMINATION])
def test_return_from_any_stage_reopens_and_resubmit_goes_back(application, actors, stage):
    advance_to(application, stage, **actors)
    returner = actors["recommender"] if stage == State.RECOMMENDATION else actors["organiser"]
    transition(application, "return", returner, "请补充近三年纳税证明")
    assert application.state == State.RETURNED
    assert application.editable
    assert application.returned_from == stage
    transition(application, "resubmit", actors["applicant"])
    assert application.state == stage
    assert application.returned_from == ""


@pytest.mark.django_db
def test_programme_without_recommendation_and_expert_stages(orgs, association_admin):
    programme = make_programme("2026年质量奖（简化流程）", uses_recommendation=False, uses_expert_review=False)
    application = ApplicationFactory(programme=programme)
    assert application.recommending_unit is None
    transition(application, "submit", application.created_by)
    transition(application, "qualify", association_admin)
    assert application.state == State.DETERMINATION


@pytest.mark.django_db
def test_who_may_act(application, actors, beijing_admin, expert, orgs, make_admin):
    other_applicant = EnterpriseAccountFactory()
    with pytest.raises(TransitionError, match="您无权"):
        transition(application, "submit", other_applicant)
    transition(application, "submit", actors["applicant"])
    # A recommending unit cannot pass the qualification review; the applicant cannot either.
    for user in (actors["recommender"], actors["applicant"], expert):
        with pytest.raises(TransitionError, match="您无权"):
            transition(application, "qualify", user)
    transition(application, "qualify", actors["organiser"])
    # Only the unit the applicant chose (or a unit above it) recommends.
    for user in (beijing_admin, actors["organiser"], make_admin(orgs.qiaoxi)):
        with pytest.raises(TransitionError, match="您无权"):
            transition(application, "recommend", user)
    transition(application, "recommend", make_admin(orgs.platform, role="platform"))
    assert application.state == State.EXPERT_REVIEW
    assert application.log.count() == 3


@pytest.mark.django_db
def test_unknown_action_for_state_is_refused(application, actors):
    with pytest.raises(TransitionError, match="不允许此操作"):
        transition(application, "award", actors["organiser"])
    assert application.state == State.DRAFT
    assert not application.log.exists()


@pytest.mark.django_db
def test_submission_blocked_outside_dates_and_when_incomplete(application, applicant, programme):
    programme.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    programme.save()
    application.contact_person = ""
    application.pledge_accepted_at = None
    application.save()
    with pytest.raises(TransitionError) as error:
        transition(application, "submit", applicant)
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
    with pytest.raises(TransitionError) as error:
        transition(application, "submit", applicant)
    assert "尚未审核通过" in str(error.value)
    assert f"{application.programme.first_data_year}" in str(error.value)


@pytest.mark.django_db
def test_expert_review_cannot_close_until_scores_are_in(application, actors):
    advance_to(application, State.EXPERT_REVIEW, **actors)
    with pytest.raises(TransitionError, match="评分"):
        transition(application, "conclude_review", actors["organiser"])
    assignment = ReviewerAssignment.objects.create(application=application, reviewer=actors["expert"])
    with pytest.raises(TransitionError, match="评分"):
        transition(application, "conclude_review", actors["organiser"])
    assignment.conflict, assignment.submitted_at = "none", timezone.now()
    assignment.save()
    transition(application, "conclude_review", actors["organiser"])
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
    assert {row.state for row in TRANSITIONS} >= {State.DRAFT, State.RETURNED, State.DETERMINATION}


@pytest.mark.django_db
def test_returned_application_can_be_resubmitted_after_closing(application, actors, programme):
    advance_to(application, State.RECOMMENDATION, **actors)
    transition(application, "return", actors["recommender"], "请补充推荐材料")
    programme.closes_at = timezone.now() - datetime.timedelta(days=1)
    programme.save()
    transition(application, "resubmit", actors["applicant"])
    assert application.state == State.RECOMMENDATION


@pytest.mark.django_db
def test_renaming_the_organiser_leaves_the_application_review_working(application, actors, association):
    """The organiser is found by its function: a new name in the admin changes nothing about who reviews."""
    association.name = "改名后的主办单位"
    association.save()
    transition(application, "submit", actors["applicant"])
    assert [row.action for row in available_actions(application, actors["organiser"])] == [
        "qualify",
        "disqualify",
        "return",
    ]
    transition(application, "qualify", actors["organiser"])
    assert application.state == State.RECOMMENDATION
