"""Award organisation filings are reviewed like every reviewed record: a Wagtail workflow whose approvers are the
administrators of the organisation holding the award-organiser function, with its e-mails from templates."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from wagtail.models import ModelLogEntry, WorkflowState

from filings.awards.factories import FilingFactory
from filings.awards.models import ORGANISER, OrganisationFiling, OrganisationFilingApprovalTask
from registry.factories import EnterpriseAccountFactory
from registry.models import EconomicType, Organisation, Role

from .test_applicant import filing_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(db):
    return EnterpriseAccountFactory(email="quality@steel.example.cn")


def test_a_filing_waits_in_the_organisers_queue_and_wagtails_approve_puts_it_in_use(
    client, account, programme, association_admin, orgs, make_admin
):
    association_admin.email = "organiser@example.cn"
    association_admin.save()
    client.force_login(account)
    client.post("/apply/filings/new/", filing_post(programme.data_years, file="1"))
    filing = OrganisationFiling.objects.get()
    assert not filing.live and filing.status == OrganisationFiling.Status.PENDING
    assert mail.outbox[-1].to == ["organiser@example.cn"] and filing.name in mail.outbox[-1].subject
    assert reverse("award_filings:detail", args=[filing.pk]) in mail.outbox[-1].body

    client.force_login(make_admin(orgs.hebei, Role.PROVINCIAL))
    assert filing.name not in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(association_admin)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("award_filing_records:edit", args=[filing.pk]) in home  # Wagtail's "awaiting your review"

    state = WorkflowState.objects.for_instance(filing).get(status=WorkflowState.STATUS_IN_PROGRESS)
    assert state.requested_by == account
    url = reverse("award_filing_records:workflow_action", args=[filing.pk, "approve", state.current_task_state.pk])
    assert client.post(url, {"comment": ""}).status_code in (200, 302)
    filing = OrganisationFiling.objects.get()
    assert filing.live and filing.status == OrganisationFiling.Status.APPROVED
    assert filing.enterprise_id == account.enterprise_id  # published whole, though the enterprise is not in its scope
    assert mail.outbox[-1].to == ["quality@steel.example.cn"] and "审核通过" in mail.outbox[-1].subject
    assert [entry.action for entry in ModelLogEntry.objects.for_instance(filing).order_by("pk")][-2:] == [
        "wagtail.workflow.approve",
        "wagtail.publish",
    ]
    client.force_login(association_admin)
    assert client.get(reverse("award_filing_records:history", args=[filing.pk])).status_code == 200


def test_changing_an_approved_filing_takes_it_out_of_use_until_approved_again(client, association_admin):
    filing = FilingFactory()
    account = filing.enterprise.accounts.get()
    client.force_login(account)
    data = {
        "name": filing.name,
        "economic_type": filing.economic_type_id,
        "region": filing.region_id,
        "address": "新地址",
        "industry": filing.industry_id,
        "quality_head": filing.quality_head,
        "quality_phone": filing.quality_phone,
        "size": filing.size,
        "years-TOTAL_FORMS": "0",
        "years-INITIAL_FORMS": "0",
        "years-MIN_NUM_FORMS": "0",
        "years-MAX_NUM_FORMS": "1000",
        "save": "1",
    }
    assert client.post(reverse("awards:filing_edit", args=[filing.pk]), data).status_code == 302
    filing = OrganisationFiling.objects.get()
    assert not filing.live and filing.status == OrganisationFiling.Status.DRAFT and filing.address == "新地址"


def test_the_approvers_follow_the_organiser_function(association_admin, make_admin, orgs):
    filing = FilingFactory(status=OrganisationFiling.Status.PENDING)
    task = OrganisationFilingApprovalTask.objects.get()
    assert set(task.approvers(filing)) == {association_admin}
    former = Organisation.objects.with_function(ORGANISER)
    former.function = ""
    former.save()
    orgs.beijing.function = ORGANISER
    orgs.beijing.save()
    heir = make_admin(orgs.beijing, Role.PROVINCIAL)
    assert set(task.approvers(filing)) == {heir}
    assert task.user_can_approve(filing, heir)
    assert not task.user_can_approve(filing, type(association_admin).objects.get(pk=association_admin.pk))


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_filings_the_state_their_status_said():
    call_command("load_reference_data", verbosity=0)  # an earlier transactional test's flush emptied the tree
    account = EnterpriseAccountFactory()
    reviewer = EnterpriseAccountFactory()
    executor = MigrationExecutor(connection)
    executor.migrate([("awards", "0005_submitted_files_private")])
    old = executor.loader.project_state([("awards", "0005_submitted_files_private")]).apps.get_model(
        "awards", "OrganisationFiling"
    )
    statuses = [("draft", ""), ("pending", ""), ("approved", ""), ("rejected", "未加水印")]
    for status, reason in statuses:
        old.objects.create(
            enterprise_id=account.enterprise_id,
            name=status,
            economic_type_id=EconomicType.objects.order_by("order").first().pk,
            region_id="130100",
            address="地址",
            industry_id="31",
            quality_head="王质量",
            quality_phone="0311-86001234",
            size="large",
            licence_copy="awards/licence.pdf",
            status=status,
            reject_reason=reason,
            reviewed_by_id=None if status in ("draft", "pending") else reviewer.pk,
        )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    filings = {filing.name: filing for filing in OrganisationFiling.objects.all()}
    assert {name: (filing.live, filing.status, filing.reject_reason) for name, filing in filings.items()} == {
        "draft": (False, "draft", ""),
        "pending": (False, "pending", ""),
        "approved": (True, "approved", ""),
        "rejected": (False, "rejected", "未加水印"),
    }
    assert filings["approved"].last_decision.finished_by == reviewer
    pending = filings["pending"]
    assert pending.current_workflow_state.requested_by == account
    assert pending.get_latest_revision_as_object().enterprise_id == account.enterprise_id
