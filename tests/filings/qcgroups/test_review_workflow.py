"""Filing-unit registration is reviewed like every reviewed record: a Wagtail workflow whose task's approvers are the
administrators of the organisation holding the secretariat function, with its e-mails from templates."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import ModelLogEntry, TaskState, WorkflowState

from filings.qcgroups.factories import FilingUnitFactory
from filings.qcgroups.models import SECRETARIAT, FilingUnit, FilingUnitApprovalTask, secretariat
from registry.models import Organisation, Role

from .test_registration import register


@pytest.mark.django_db
def test_registration_waits_in_the_secretariats_wagtail_queue_and_wagtails_approve_publishes_it(
    client, secretariat_admin, make_admin, orgs
):
    secretariat_admin.email = "reviewer@example.cn"
    secretariat_admin.save()
    register(client)
    unit = FilingUnit.unscoped.get()
    assert not unit.live and unit.status == FilingUnit.Status.PENDING
    assert mail.outbox[0].to == ["reviewer@example.cn"] and unit.name in mail.outbox[0].subject
    assert reverse("qc_units:review", args=[unit.pk]) in mail.outbox[0].body

    state = WorkflowState.objects.for_instance(unit).get(status=WorkflowState.STATUS_IN_PROGRESS)
    assert state.requested_by == unit.account
    assert isinstance(state.current_task_state.task.specific, FilingUnitApprovalTask)
    client.force_login(make_admin(orgs.platform, Role.PLATFORM))  # above the secretariat, but not it
    assert unit.name not in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(secretariat_admin)
    assert unit.name in client.get(reverse("wagtailadmin_home")).content.decode()  # Wagtail's "awaiting review"

    url = reverse("qc_units:workflow_action", args=[unit.pk, "approve", state.current_task_state.pk])
    assert client.post(url, {"comment": "材料齐全"}).status_code in (200, 302)
    unit = FilingUnit.unscoped.get()
    assert unit.live and unit.status == FilingUnit.Status.APPROVED and unit.review_reason == "材料齐全"
    approved = mail.outbox[-1]
    assert approved.to == [unit.email] and "审核通过" in approved.subject
    assert unit.account.username in approved.body and "材料齐全" in approved.body
    assert [entry.action for entry in ModelLogEntry.objects.for_instance(unit).order_by("pk")] == [
        "wagtail.edit",
        "wagtail.workflow.start",
        "wagtail.workflow.approve",
        "wagtail.publish",
    ]


@pytest.mark.django_db
def test_the_approvers_follow_the_secretariat_function_not_the_tree(client, secretariat_admin, make_admin, orgs):
    unit = FilingUnitFactory(status=FilingUnit.Status.PENDING)
    above = make_admin(orgs.platform, Role.PLATFORM)
    client.force_login(above)  # reaches the unit (its subtree holds the secretariat) but does not approve it
    client.post(reverse("qc_units:review", args=[unit.pk]), {"approve": "1", "approve-remarks": ""})
    assert FilingUnit.unscoped.get().status == FilingUnit.Status.PENDING
    task = FilingUnitApprovalTask.objects.get()
    assert set(task.approvers(unit)) == {secretariat_admin}

    old = secretariat()
    old.function = ""
    old.save()
    successor = orgs.hebei
    successor.function = SECRETARIAT
    successor.save()
    heir = make_admin(successor, Role.PROVINCIAL)
    assert set(task.approvers(unit)) == {heir}
    former = type(secretariat_admin).objects.get(pk=secretariat_admin.pk)  # as the next request loads it
    assert not task.get_task_states_user_can_moderate(former).exists()
    assert list(task.get_task_states_user_can_moderate(heir)) == list(TaskState.objects.for_instance(unit))


@pytest.mark.django_db
def test_a_rejected_unit_resubmits_into_the_same_workflow(client, secretariat_admin):
    unit = FilingUnitFactory(status=FilingUnit.Status.PENDING)
    client.force_login(secretariat_admin)
    client.post(reverse("qc_units:review", args=[unit.pk]), {"reject": "1", "reject-reason": "执照不清晰"})
    assert FilingUnit.unscoped.get().status == FilingUnit.Status.REJECTED
    client.force_login(unit.account)
    client.post(
        reverse("qcgroups_resubmit"),
        {"name": unit.name, "uscc": unit.uscc, "category": unit.category, "province": "130000", "city": "130100"},
    )
    states = WorkflowState.objects.for_instance(unit)
    assert [state.status for state in states] == [WorkflowState.STATUS_IN_PROGRESS]
    assert [task_state.status for task_state in TaskState.objects.for_instance(unit).order_by("pk")] == [
        TaskState.STATUS_REJECTED,
        TaskState.STATUS_IN_PROGRESS,
    ]


@pytest.mark.django_db
def test_a_pending_units_contact_change_survives_its_approval(client, secretariat_admin):
    unit = FilingUnitFactory(status=FilingUnit.Status.PENDING)
    client.force_login(unit.account)
    client.post(
        reverse("qcgroups_profile"),
        {"contact_name": "新联系人", "contact_mobile": "13912345678", "email": "new@unit.example.cn"},
    )
    client.force_login(secretariat_admin)
    client.post(reverse("qc_units:review", args=[unit.pk]), {"approve": "1", "approve-remarks": ""})
    unit = FilingUnit.unscoped.get()
    assert unit.live and (unit.contact_name, unit.email) == ("新联系人", "new@unit.example.cn")


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_units_the_state_their_status_said(make_admin):
    call_command("load_reference_data", verbosity=0)  # an earlier transactional test's flush emptied the tree
    executor = MigrationExecutor(connection)
    executor.migrate([("qcgroups", "0002_private_files")])
    old_apps = executor.loader.project_state([("qcgroups", "0002_private_files")]).apps
    User = old_apps.get_model("registry", "User")
    Unit = old_apps.get_model("qcgroups", "FilingUnit")
    reviewer = User.objects.create(username="reviewer", kind="administrator", role="institution")
    organisation = Organisation.objects.with_function(SECRETARIAT)
    for number, (status, reason) in enumerate([("pending", ""), ("approved", "齐全"), ("rejected", "不清晰")]):
        Unit.objects.create(
            account=User.objects.create(username=f"unit{number}", kind="enterprise", email=f"u{number}@example.cn"),
            organisation_id=organisation.pk,
            name=f"单位{number}",
            uscc=f"91130102MA0000000{number}",
            licence="qcgroups/licences/x.pdf",
            province_id="130000",
            contact_name="联系人",
            contact_mobile="13900000000",
            email=f"u{number}@example.cn",
            status=status,
            review_reason=reason,
            reviewed_by=None if status == "pending" else reviewer,
        )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    units = {unit.name: unit for unit in FilingUnit.unscoped.all()}
    assert {name: (unit.live, unit.status, unit.review_reason) for name, unit in units.items()} == {
        "单位0": (False, "pending", ""),
        "单位1": (True, "approved", "齐全"),
        "单位2": (False, "rejected", "不清晰"),
    }
    assert units["单位1"].last_decision.finished_by.username == "reviewer"
    pending = units["单位0"]
    secretariat_admin = make_admin(organisation, Role.INSTITUTION)
    assert pending.current_workflow_state.current_task_state.task.specific.user_can_approve(pending, secretariat_admin)
    assert pending.get_latest_revision_as_object().name == "单位0"


@pytest.mark.django_db
def test_whether_an_administrator_reaches_the_secretariat_is_asked_once_per_admin_page(client, make_admin, orgs):
    """The menu item, the viewset and the panels each ask; the answer is kept on the request's user."""
    for user in (make_admin(orgs.national, Role.NATIONAL), make_admin(orgs.changan)):
        client.force_login(user)
        client.get("/admin/")  # warm per-process caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/admin/").status_code == 200
        asked = [query["sql"] for query in queries.captured_queries if f"'{SECRETARIAT}'" in query["sql"]]
        assert len(asked) == 1, user.organisation
