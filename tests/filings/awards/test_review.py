"""Administrator side: filing review, scoped application review, experts, export and public results."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from filings.awards.factories import ApplicationFactory, FilingFactory
from filings.awards.models import Application, OrganisationFiling, ReviewerAssignment
from filings.awards.review import act, submit
from registry.factories import AdministratorFactory

State = Application.State


def detail_url(application):
    return reverse("award_applications:detail", args=[application.pk])


@pytest.fixture
def submitted(application, applicant):
    return submit(application, applicant)


@pytest.fixture
def in_expert_review(submitted, association_admin, hebei_admin):
    act(submitted, "qualify", association_admin)
    return act(submitted, "recommend", hebei_admin, "同意推荐")


@pytest.mark.django_db
def test_association_approves_and_rejects_filings(client, association_admin, hebei_admin):
    pending = FilingFactory(status=OrganisationFiling.Status.PENDING)
    other = FilingFactory(status=OrganisationFiling.Status.PENDING)
    url = reverse("award_filings:detail", args=[pending.pk])
    client.force_login(hebei_admin)
    assert client.get(url).status_code == 404
    client.force_login(association_admin)
    assert pending.name in client.get(reverse("award_filings:index")).content.decode()
    client.post(url, {"decision": "approve"})
    pending.refresh_from_db()
    assert (
        pending.status == OrganisationFiling.Status.APPROVED and pending.last_decision.finished_by == association_admin
    )
    other_url = reverse("award_filings:detail", args=[other.pk])
    client.post(other_url, {"decision": "reject"})
    assert OrganisationFiling.objects.get(pk=other.pk).status == OrganisationFiling.Status.PENDING
    client.post(other_url, {"decision": "reject", "reason": "营业执照未加水印"})
    other.refresh_from_db()
    assert other.status == OrganisationFiling.Status.REJECTED and other.reject_reason == "营业执照未加水印"


@pytest.mark.django_db
def test_applicant_sees_rejection_reason_and_may_refile(client):
    filing = FilingFactory(status=OrganisationFiling.Status.REJECTED, status__reason="营业执照未加水印")
    client.force_login(filing.enterprise.accounts.get())
    assert "营业执照未加水印" in client.get("/apply/").content.decode()
    assert client.get(reverse("awards:filing_edit", args=[filing.pk])).status_code == 200


@pytest.mark.django_db
def test_review_actions_through_the_admin(client, submitted, association_admin):
    client.force_login(association_admin)
    page = client.get(detail_url(submitted)).content.decode()
    assert 'value="qualify"' in page and 'value="recommend"' not in page
    client.post(detail_url(submitted), {"action": "return", "comment": ""})
    assert Application.unscoped.get(pk=submitted.pk).state == State.QUALIFICATION
    client.post(detail_url(submitted), {"action": "return", "comment": "请补充材料"})
    assert Application.unscoped.get(pk=submitted.pk).state == State.RETURNED


@pytest.mark.django_db
def test_recommending_unit_sees_only_applications_that_chose_it(
    client, submitted, association_admin, hebei_admin, beijing_admin, orgs, make_admin
):
    act(submitted, "qualify", association_admin)
    beijing_application = ApplicationFactory(programme=submitted.programme, recommending_unit=orgs.beijing)
    submit(beijing_application, beijing_application.created_by)
    client.force_login(hebei_admin)
    listing = client.get(reverse("award_applications:index")).content.decode()
    assert submitted.project.name in listing and beijing_application.project.name not in listing
    assert client.get(detail_url(submitted)).status_code == 200
    assert client.get(detail_url(beijing_application)).status_code == 404
    client.post(detail_url(submitted), {"action": "recommend"})
    assert Application.unscoped.get(pk=submitted.pk).state == State.EXPERT_REVIEW
    # A city below the chosen province, and the neighbouring province, reach nothing.
    for admin in (make_admin(orgs.shijiazhuang), beijing_admin):
        client.force_login(admin)
        assert client.get(detail_url(submitted)).status_code == 404
    # The organiser sees both; drafts are nobody's business but the applicant's.
    client.force_login(association_admin)
    listing = client.get(reverse("award_applications:index")).content.decode()
    assert submitted.project.name in listing and beijing_application.project.name in listing
    draft = ApplicationFactory(programme=submitted.programme)
    assert client.get(detail_url(draft)).status_code == 404


@pytest.mark.django_db
def test_scoped_default_manager_in_admin_requests(submitted, hebei_admin, beijing_admin):
    from registry.scoping import scope, scope_for_user

    with scope(scope_for_user(hebei_admin)):
        assert list(Application.objects.all()) == [submitted]
    with scope(scope_for_user(beijing_admin)):
        assert not Application.objects.exists()


@pytest.mark.django_db
def test_expert_assignment_declaration_and_scores(client, in_expert_review, association_admin, expert):
    application = in_expert_review
    client.force_login(association_admin)
    client.post(reverse("award_applications:assign", args=[application.pk]), {"reviewer": expert.pk})
    assignment = ReviewerAssignment.objects.get(application=application, reviewer=expert)
    sheet = reverse("awards:review_sheet", args=[assignment.pk])
    client.force_login(expert)
    assert application.project.name in client.get(reverse("awards:review_list")).content.decode()
    criteria = list(application.programme.criteria.all())
    scores = {f"criterion_{c.pk}": str(c.max_score - 5) for c in criteria}
    client.post(sheet, {**scores, "score": "1"})
    assert not assignment.scores.exists()  # no declaration yet
    client.post(sheet, {"coi-conflict": "none", "declare": "1"})
    response = client.post(sheet, {**scores, f"criterion_{criteria[0].pk}": "999", "score": "1"})
    assert f"得分不能超过 {criteria[0].max_score}" in response.content.decode()
    client.post(sheet, {**scores, "comment": "经验可推广", "score": "1"})
    assignment.refresh_from_db()
    assert assignment.submitted_at is not None
    assert assignment.total == sum(c.max_score - 5 for c in criteria)
    client.force_login(association_admin)
    client.post(detail_url(application), {"action": "conclude_review"})
    client.post(detail_url(application), {"action": "award"})
    assert Application.unscoped.get(pk=application.pk).state == State.AWARDED
    # Once the review stage is over the expert no longer reaches the sheet.
    client.force_login(expert)
    assert client.get(sheet).status_code == 404


@pytest.mark.django_db
def test_expert_sees_only_assigned_applications(client, in_expert_review, programme, orgs, expert, association_admin):
    other = ApplicationFactory(programme=programme, recommending_unit=orgs.hebei)
    mine = ReviewerAssignment.objects.create(application=in_expert_review, reviewer=expert)
    someone_else = ReviewerAssignment.objects.create(
        application=in_expert_review, reviewer=AdministratorFactory(organisation=orgs.platform, role="")
    )
    client.force_login(expert)
    assert client.get(reverse("awards:review_sheet", args=[mine.pk])).status_code == 200
    assert client.get(reverse("awards:review_sheet", args=[someone_else.pk])).status_code == 404
    assert client.get(reverse("awards:application_print", args=[other.pk])).status_code == 404
    assert (
        client.get(reverse("private_file", args=["awards.application", "summary_material", other.pk])).status_code
        == 404
    )
    # The expert reads the submitted copy; the live upload is the applicant's own.
    submitted_summary = in_expert_review.submission.files.get(key="summary")
    assert (
        client.get(reverse("private_file", args=["awards.submittedfile", "file", submitted_summary.pk])).status_code
        == 200
    )
    assert (
        client.get(
            reverse("private_file", args=["awards.application", "summary_material", in_expert_review.pk])
        ).status_code
        == 404
    )
    # An expert is no administrator: the admin review area gives them nothing.
    assert client.get(detail_url(in_expert_review)).status_code in (302, 403, 404)


@pytest.mark.django_db
def test_conflict_of_interest_blocks_scoring(client, in_expert_review, expert):
    assignment = ReviewerAssignment.objects.create(application=in_expert_review, reviewer=expert)
    sheet = reverse("awards:review_sheet", args=[assignment.pk])
    client.force_login(expert)
    client.post(sheet, {"coi-conflict": "conflict", "coi-conflict_note": "曾为该企业提供咨询", "declare": "1"})
    criteria = in_expert_review.programme.criteria.all()
    client.post(sheet, {**{f"criterion_{c.pk}": "10" for c in criteria}, "score": "1"})
    assignment.refresh_from_db()
    assert assignment.conflict == "conflict" and assignment.submitted_at is None and not assignment.scores.exists()


@pytest.mark.django_db
def test_export_applications_and_scores(client, in_expert_review, association_admin, hebei_admin, expert):
    assignment = ReviewerAssignment.objects.create(
        application=in_expert_review, reviewer=expert, conflict="none", submitted_at=timezone.now()
    )
    for criterion in in_expert_review.programme.criteria.all():
        assignment.scores.create(criterion=criterion, score=criterion.max_score - 2)
    client.force_login(association_admin)
    response = client.get(reverse("award_applications:export"), {"programme": in_expert_review.programme.pk})
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook["申报"].iter_rows(values_only=True))
    assert (
        rows[1][2] == in_expert_review.filing.name
        and rows[1][4] == in_expert_review.recommending_unit.name
        and rows[1][7] == 1
    )
    scores = list(workbook["评分"].iter_rows(values_only=True))[1:]
    assert {row[4] for row in scores} == {"质量管理体系", "创新与成效"}
    assert sum(row[5] for row in scores) == 100 - 4


@pytest.mark.django_db
def test_public_results_page_lists_only_awarded_when_published(client, in_expert_review, association_admin, expert):
    programme = in_expert_review.programme
    ReviewerAssignment.objects.create(
        application=in_expert_review, reviewer=expert, conflict="none", submitted_at=timezone.now()
    )
    act(in_expert_review, "conclude_review", association_admin)
    act(in_expert_review, "award", association_admin)
    runner_up = ApplicationFactory(programme=programme)
    page = client.get(programme.url)
    assert page.status_code == 200
    assert in_expert_review.filing.name not in page.content.decode()
    programme.results_published = True
    programme.save_revision().publish()
    content = client.get(programme.url).content.decode()
    assert in_expert_review.filing.name in content and runner_up.filing.name not in content
    assert in_expert_review.contact_mobile not in content and in_expert_review.contact_email not in content
    assert programme.title in client.get(programme.get_parent().url).content.decode()


@pytest.mark.django_db
def test_filing_menu_only_for_the_association(client, association_admin, hebei_admin):
    client.force_login(association_admin)
    assert reverse("award_filings:index") in client.get("/admin/").content.decode()
    client.force_login(hebei_admin)
    assert reverse("award_filings:index") not in client.get("/admin/").content.decode()
