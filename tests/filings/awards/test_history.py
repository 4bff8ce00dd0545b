"""An application's one history: its review steps are entries of Wagtail's log, shown by its snippet's History view,
on the applicant's page and on the organiser's detail page; 0011 copied the old review log's entries there."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from filings.awards.models import Application
from filings.awards.review import act, submit

from .test_versions import awarded  # noqa: F401 - a fixture
from .test_workflow import before_the_review_log_moved, migrate_to_latest


@pytest.mark.django_db
def test_a_review_step_is_in_the_snippets_history_and_on_the_applicants_page(
    client, application, applicant, association_admin, beijing_admin
):
    submit(application, applicant)
    act(application, "return", association_admin, "请补充近三年的财务数据")
    step = ModelLogEntry.objects.for_instance(application).get(action="awards.return")
    assert (step.user, step.comment, step.data["from_state"], step.data["to_state"]) == (
        association_admin,
        "请补充近三年的财务数据",
        "qualification",
        "returned",
    )

    client.force_login(association_admin)
    history = client.get(reverse("award_application_records:history", args=[application.pk])).content.decode()
    assert step.message in history and "请补充近三年的财务数据" in history
    assert str(Application.State.RETURNED.label) in step.message
    client.force_login(beijing_admin)  # the review screen's rule: a unit the application did not choose
    assert client.get(reverse("award_application_records:history", args=[application.pk])).status_code == 404
    client.force_login(association_admin)
    admin_detail = client.get(reverse("award_applications:detail", args=[application.pk]))
    assert admin_detail.status_code == 200 and "请补充近三年的财务数据" in admin_detail.content.decode()

    client.force_login(applicant)
    page = client.get(reverse("awards:application_detail", args=[application.pk])).content.decode()
    assert str(step.formatter.label) in page and "请补充近三年的财务数据" in page and "协会审核员" in page
    assert [entry.action for entry in application.review_log()] == ["awards.submit", "awards.return"]


@pytest.mark.django_db
def test_each_stage_decision_is_in_the_history_once_with_its_reason(client, application, applicant, association_admin):
    """Wagtail logs its own entry for every workflow step (started, rejected, resumed, cancelled); the History view
    shows the awards' step alone, which carries the stage, the states and the reason."""
    submit(application, applicant)
    act(application, "return", association_admin, "请补充近三年的财务数据")
    submit(application, applicant)
    act(application, "disqualify", association_admin, "不符合申报条件")
    logged = ModelLogEntry.objects.for_instance(application)
    assert logged.filter(action__startswith="wagtail.workflow.").count() >= 4  # Wagtail's twins are still stored

    client.force_login(association_admin)
    history = client.get(reverse("award_application_records:history", args=[application.pk])).content.decode()
    for reason in ("请补充近三年的财务数据", "不符合申报条件"):
        assert history.count(reason) == 1
    for step in logged.filter(action__startswith="awards."):
        assert history.count(step.message) == 1
    assert "Workflow" not in history and "工作流" not in history


@pytest.mark.django_db(transaction=True)
def test_the_migration_copies_the_old_review_log_into_wagtails(reference_data, application, association_admin):
    apps, _migration = before_the_review_log_moved()
    old = apps.get_model("awards", "ReviewLogEntry")
    changes = [["项目名称", "旧名称", "新名称"]]
    entry = old.objects.create(
        application_id=application.pk,
        actor_id=association_admin.pk,
        action="return",
        from_state="qualification",
        to_state="returned",
        comment="请补充",
        changes=changes,
    )
    logged_at = timezone.now() - datetime.timedelta(days=3)
    old.objects.filter(pk=entry.pk).update(created_at=logged_at)
    migrate_to_latest()

    [copied] = application.review_log()
    assert (copied.action, copied.user, copied.timestamp, copied.comment, copied.changes) == (
        "awards.return",
        association_admin,
        logged_at,
        "请补充",
        changes,
    )
    assert (copied.content_type, copied.object_id, copied.label) == (
        ContentType.objects.get_for_model(Application),
        str(application.pk),
        str(application),
    )
    assert copied.to_state_display == Application.State.RETURNED.label
    assert "awards_reviewlogentry" not in connection.introspection.table_names()


@pytest.mark.django_db
def test_a_draft_has_no_history_for_administrators(client, application, association_admin):
    """A draft is its enterprise's alone: the organiser opens neither its history nor finds it through the policy."""
    from wagtail.permissions import policy_registry

    assert application.state == Application.State.DRAFT
    client.force_login(association_admin)
    assert client.get(reverse("award_application_records:history", args=[application.pk])).status_code == 404
    policy = policy_registry.get_by_type(Application)
    assert not policy.user_has_permission_for_instance(association_admin, "view", application)
    assert not policy.instances_user_has_permission_for(association_admin, "view").filter(pk=application.pk).exists()


@pytest.mark.django_db
def test_the_award_is_in_the_history_once(client, awarded, association_admin):  # noqa: F811 - the fixture
    """The last stage's approval publishes the application: Wagtail's "published" would repeat the award."""
    assert ModelLogEntry.objects.for_instance(awarded).filter(action="wagtail.publish").exists()
    client.force_login(association_admin)
    response = client.get(reverse("award_application_records:history", args=[awarded.pk]))
    shown = [entry.action for entry in response.context["object_list"]]
    assert shown.count("awards.award") == 1 and "wagtail.publish" not in shown
