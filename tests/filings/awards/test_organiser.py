"""The organiser runs its programmes without a superuser: page permissions, its figures, the experts' mean."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from filings.awards.factories import ApplicationFactory
from filings.awards.figures import applications_by_programme
from filings.awards.models import ReviewerAssignment
from filings.awards.review import submit
from registry.factories import AdministratorFactory


@pytest.mark.django_db
def test_organiser_administrators_edit_create_and_publish_programmes(client, programme, association_admin, hebei_admin):
    index = programme.get_parent()
    for user, allowed in ((association_admin, True), (hebei_admin, False)):
        user.refresh_from_db()
        permissions = programme.permissions_for_user(user)
        assert permissions.can_edit() is allowed and permissions.can_publish() is allowed
        assert index.permissions_for_user(user).can_add_subpage() is allowed
    client.force_login(association_admin)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[programme.pk])).status_code == 200
    add = reverse("wagtailadmin_pages:add", args=["awards", "awardprogrammepage", index.pk])
    assert client.get(add).status_code == 200
    client.force_login(hebei_admin)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[programme.pk])).status_code in (302, 403)


@pytest.mark.django_db
def test_leaving_the_organiser_removes_the_permissions(programme, association_admin, orgs):
    association_admin.organisation = orgs.hebei
    association_admin.save()
    association_admin.refresh_from_db()
    assert not programme.permissions_for_user(association_admin).can_edit()


@pytest.mark.django_db
def test_organiser_figures_cover_its_programmes(programme, association, orgs, applicant, application):
    submit(application, applicant)
    rows = applications_by_programme(association.path).rows
    assert rows and rows[0][0] == programme.title and rows[0][1] == 1
    assert applications_by_programme(orgs.beijing.path).rows == []


@pytest.mark.django_db
def test_average_score_is_the_mean_of_expert_totals(client, programme, association_admin, application, applicant):
    submit(application, applicant)
    criteria = list(programme.criteria.all())  # 40 + 60
    for total_per_criterion, name in (((36, 50), "甲"), ((34, 56), "乙")):
        expert = AdministratorFactory(organisation=association_admin.organisation, role="", real_name=name)
        assignment = ReviewerAssignment.objects.create(application=application, reviewer=expert, conflict="none")
        for criterion, score in zip(criteria, total_per_criterion, strict=True):
            assignment.scores.create(criterion=criterion, score=score)
        assignment.submitted_at = assignment.assigned_at
        assignment.save()
    # A third expert who has not submitted does not count.
    ReviewerAssignment.objects.create(
        application=application, reviewer=AdministratorFactory(organisation=association_admin.organisation, role="")
    )
    client.force_login(association_admin)
    listing = client.get(reverse("award_applications:index")).content.decode()
    assert "88.0" in listing  # (86 + 90) / 2, not the mean of criterion scores (44.0)
    workbook = load_workbook(io.BytesIO(client.get(reverse("award_applications:export")).content))
    header, row = list(workbook["申报"].iter_rows(values_only=True))[:2]
    assert row[header.index("平均分")] == 88
    assert row[header.index("申报单位")] == application.filing.name


@pytest.mark.django_db
def test_listing_queries_do_not_grow_with_applications(
    client, programme, association_admin, django_assert_max_num_queries
):
    for _n in range(3):
        application = ApplicationFactory(programme=programme)
        submit(application, application.created_by)
    client.force_login(association_admin)
    client.get(reverse("award_applications:index"))
    with django_assert_max_num_queries(25):
        client.get(reverse("award_applications:index"))
