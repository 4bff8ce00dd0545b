"""Concurrency and faults: simultaneous approvals, overlapping imports, crashes mid-import, failing import tasks.

The truly parallel variants need PostgreSQL (SQLite serialises writers); each has a sequential twin that runs on
every database and drives the same code path (a stale approval, an import that loses the race to another one).
"""

import io
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from openpyxl import Workbook
from wagtail.models import ModelLogEntry, Revision, TaskState, WorkflowState

from registry.factories import AdministratorFactory, EnterpriseFactory, make_mobile, make_resident_id, make_uscc
from registry.models import ChiefQualityOfficer, Enterprise, ImportJob, Organisation, ReviewStatus, Role
from registry.officers import submission
from registry.officers.columns import COLUMNS
from registry.officers.factories import import_row
from registry.officers.importing import OfficerImporter
from registry.officers.submission import submit
from registry.officers.tasks import import_officers_task

ADMIN = "wagtailsnippets_registry_chiefqualityofficer"
CHANGAN = "130102"
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises concurrent writers; the sequential twin runs here"
)


def row(serial, **overrides):
    return import_row(serial, region=CHANGAN, number_base=60_000, **{"real_name": f"赵并发{serial}", **overrides})


def workbook_bytes(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([column.header for column in COLUMNS])
    for values in rows:
        sheet.append(values)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def changan():
    return Organisation.objects.get(division_id=CHANGAN)


def submitted_officer(submitter):
    enterprise = EnterpriseFactory(uscc=make_uscc(610_001, CHANGAN), region_id=CHANGAN)
    officer = ChiefQualityOfficer.objects.create(
        enterprise=enterprise,
        organisation=changan(),
        real_name="钱审核",
        gender="M",
        mobile=make_mobile(61_001),
        id_number=make_resident_id(61_001, CHANGAN),
        live=False,
    )
    submit(officer, submitter)
    return officer


def approvals(officer):
    return ModelLogEntry.objects.filter(object_id=str(officer.pk), action="wagtail.workflow.approve")


def publications(officer):
    return ModelLogEntry.objects.filter(object_id=str(officer.pk), action="wagtail.publish")


def in_parallel(*jobs):
    """Run each callable in its own thread (own DB connection), released together; return results or exceptions."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(index, job):
        try:
            results[index] = job(barrier)
        except Exception as error:  # collected, asserted by the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung (deadlock?)"
    return results


@pytest.fixture
def reference_data(transactional_db):
    """Transactional tests start from an emptied database: reference data, organisation tree and role groups."""
    call_command("load_reference_data", verbosity=0)


# --- two administrators approving the same record -------------------------------------------------------------


@pytest.mark.django_db
def test_a_second_approval_from_a_stale_page_is_refused_and_logged_once(client):
    submitter, first, second = (AdministratorFactory(organisation=changan(), role=Role.INSTITUTION) for _ in range(3))
    officer = submitted_officer(submitter)
    task = officer.current_workflow_task
    stale_task_state = TaskState.objects.get(pk=officer.current_workflow_state.current_task_state_id)
    fresh_task_state = TaskState.objects.get(pk=stale_task_state.pk)

    task.on_action(fresh_task_state, first, "approve", comment="材料齐全")
    # The second administrator opened the record before the first approved: their task state still says "in
    # progress". Wagtail alone would approve (and publish) again; the lock re-reads the status and refuses.
    with pytest.raises(PermissionDenied):
        task.on_action(stale_task_state, second, "approve", comment="我也同意")

    officer.refresh_from_db()
    assert officer.live and officer.review_status == ReviewStatus.APPROVED
    assert [entry.user for entry in approvals(officer)] == [first]
    assert publications(officer).count() == 1
    assert TaskState.objects.get(pk=stale_task_state.pk).finished_by == first

    client.force_login(second)  # through the admin: the record is no longer in moderation
    response = client.post(
        reverse(f"{ADMIN}:workflow_action", args=[officer.pk, "approve", stale_task_state.pk]), {"comment": "x"}
    )
    assert response.status_code == 302
    assert approvals(officer).count() == 1 and publications(officer).count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_administrators_approving_at_once_leave_one_approval(reference_data):
    submitter, first, second = (AdministratorFactory(organisation=changan(), role=Role.INSTITUTION) for _ in range(3))
    officer = submitted_officer(submitter)
    task_state_id = officer.current_workflow_state.current_task_state_id

    def approve_as(user):
        def job(barrier):
            record = ChiefQualityOfficer.unscoped.get(pk=officer.pk)
            task_state = TaskState.objects.get(pk=task_state_id)  # both read it "in progress"
            assert task_state.status == TaskState.STATUS_IN_PROGRESS
            barrier.wait(timeout=30)
            record.current_workflow_task.on_action(task_state, user, "approve", comment=f"{user.pk} 同意")
            return "approved"

        return job

    results = in_parallel(approve_as(first), approve_as(second))

    assert sorted(type(result).__name__ for result in results) == ["PermissionDenied", "str"], results
    winner = first if results[0] == "approved" else second
    officer.refresh_from_db()
    assert officer.live and officer.review_status == ReviewStatus.APPROVED
    assert [entry.user for entry in approvals(officer)] == [winner]
    assert publications(officer).count() == 1
    state = WorkflowState.objects.for_instance(officer).get()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert TaskState.objects.get(pk=task_state_id).finished_by == winner


# --- imports with overlapping USCCs -----------------------------------------------------------------------------


def assert_one_enterprise_and_officer_per_uscc(serials):
    usccs = [make_uscc(600_000 + serial, CHANGAN) for serial in serials]
    assert sorted(Enterprise.unscoped.values_list("uscc", flat=True)) == sorted(usccs)
    assert ChiefQualityOfficer.unscoped.count() == len(serials)
    assert WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS).count() == len(serials)


@pytest.mark.django_db
def test_a_second_import_of_overlapping_usccs_matches_instead_of_duplicating():
    admin = AdministratorFactory(organisation=changan(), role=Role.INSTITUTION)
    first = OfficerImporter(admin).run(workbook_bytes([row(1), row(2), row(3)]))
    second = OfficerImporter(admin).run(workbook_bytes([row(2), row(3), row(4)]))
    assert first.errors == [] and second.errors == []
    assert (second.created, second.unchanged) == (1, 2)
    assert_one_enterprise_and_officer_per_uscc([1, 2, 3, 4])


class LosingImporter(OfficerImporter):
    """Checked the database before another import wrote the same enterprises: its first write must collide."""

    def __init__(self, user, rival_rows):
        super().__init__(user)
        self.rival_rows = rival_rows
        self.attempts = 0

    def write(self, rows, report):
        self.attempts += 1
        if self.attempts == 1:
            rival = OfficerImporter(self.user).run(workbook_bytes(self.rival_rows))
            assert rival.written
        return super().write(rows, report)


@pytest.mark.django_db
def test_an_import_overtaken_by_another_retries_and_matches_the_enterprises_it_wrote():
    admin = AdministratorFactory(organisation=changan(), role=Role.INSTITUTION)
    importer = LosingImporter(admin, rival_rows=[row(1), row(2), row(3)])
    report = importer.run(workbook_bytes([row(2), row(3), row(4)]))
    assert importer.attempts == 2  # the unique USCC refused the first attempt, which wrote nothing
    assert report.errors == [] and report.written
    assert (report.created, report.unchanged) == (1, 2)
    assert_one_enterprise_and_officer_per_uscc([1, 2, 3, 4])


@pytest.mark.django_db
def test_an_import_overtaken_by_a_different_officer_reports_the_conflict_and_writes_nothing():
    admin = AdministratorFactory(organisation=changan(), role=Role.INSTITUTION)
    importer = LosingImporter(admin, rival_rows=[row(2, real_name="孙抢先", id_number=make_resident_id(99, CHANGAN))])
    report = importer.run(workbook_bytes([row(1), row(2)]))
    assert not report.written
    assert [(error.row, error.header) for error in report.errors] == [(3, COLUMNS.by_key["uscc"].header)]
    assert "孙抢先" in report.errors[0].message
    assert list(ChiefQualityOfficer.unscoped.values_list("real_name", flat=True)) == ["孙抢先"]
    assert Enterprise.unscoped.count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_imports_with_overlapping_usccs_at_once_create_each_enterprise_once(reference_data):
    admin = AdministratorFactory(organisation=changan(), role=Role.INSTITUTION)
    other = AdministratorFactory(organisation=changan(), role=Role.INSTITUTION)
    write_barrier = threading.Barrier(2)

    class RacingImporter(OfficerImporter):
        """Both imports have checked the database (and found nothing) before either writes."""

        attempts = 0

        def write(self, rows, report):
            self.attempts += 1
            if self.attempts == 1:
                write_barrier.wait(timeout=30)
            return super().write(rows, report)

    def import_as(user, serials):
        def job(barrier):
            barrier.wait(timeout=30)
            importer = RacingImporter(user)
            return importer, importer.run(workbook_bytes([row(serial) for serial in serials]))

        return job

    results = in_parallel(import_as(admin, [1, 2, 3, 4]), import_as(other, [3, 4, 5, 6]))

    assert all(isinstance(result, tuple) for result in results), results
    reports = [report for _importer, report in results]
    assert all(report.written and not report.errors for report in reports)
    assert sum(report.created for report in reports) == 6
    assert sum(report.unchanged for report in reports) == 2
    assert sorted(importer.attempts for importer, _report in results) == [1, 2]  # the loser retried once
    assert_one_enterprise_and_officer_per_uscc([1, 2, 3, 4, 5, 6])


# --- a crash in the middle of an import -------------------------------------------------------------------------


def crash_after_submitting(monkeypatch):
    """Let the import insert enterprises, officers, revisions and workflow states, then crash inside its transaction."""
    real_bulk_submit = submission.bulk_submit

    def bulk_submit_then_crash(officers, user, **options):
        real_bulk_submit(officers, user, **options)
        assert WorkflowState.objects.count() == len(officers)  # really written, inside the transaction
        raise RuntimeError("磁盘已满 / disk full")

    monkeypatch.setattr(submission, "bulk_submit", bulk_submit_then_crash)


def assert_nothing_written():
    assert Enterprise.unscoped.count() == 0
    assert ChiefQualityOfficer.unscoped.count() == 0
    assert Revision.objects.count() == 0
    assert WorkflowState.objects.count() == 0
    assert TaskState.objects.count() == 0
    assert ModelLogEntry.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_crash_inside_the_import_transaction_leaves_nothing_half_written(reference_data, monkeypatch):
    admin = AdministratorFactory(organisation=changan(), role=Role.INSTITUTION)
    crash_after_submitting(monkeypatch)
    with pytest.raises(RuntimeError, match="disk full"):
        OfficerImporter(admin).run(workbook_bytes([row(1), row(2), row(3)]))
    assert_nothing_written()  # checked after a real commit/rollback, not inside a test transaction


# --- background import tasks ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_crashing_import_task_marks_its_job_failed_with_a_readable_error(client, monkeypatch):
    admin = AdministratorFactory(organisation=changan(), role=Role.INSTITUTION)
    job = ImportJob.objects.create(
        user=admin, workbook=ContentFile(workbook_bytes([row(1), row(2)]), name="cqo.xlsx"), original_name="cqo.xlsx"
    )
    crash_after_submitting(monkeypatch)

    result = import_officers_task.enqueue(job.pk)

    assert result.status == "FAILED"  # the task backend records the failure as well
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INTERRUPTED
    assert job.finished_at is not None
    assert "意外中止" in job.errors[0]["message"] and "disk full" in job.errors[0]["message"]
    assert ChiefQualityOfficer.unscoped.count() == 0 and Enterprise.unscoped.count() == 0

    client.force_login(admin)
    job_url = reverse(f"{ADMIN}:import_job", args=[job.pk])
    progress = client.get(job_url, {"format": "json"}).json()
    assert progress["status"] == "interrupted" and progress["finished"] is True
    assert "导入意外中止" in client.get(job_url).content.decode()
