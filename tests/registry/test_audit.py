"""Imports, exports and password resets are logged with actor, time and organisation, and the scoped site-history
report shows them to the acting unit's administrators and those above it, never to a sibling unit's."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from wagtail.models import ModelLogEntry

from filings.qcgroups.models import secretariat
from registry.factories import EnterpriseFactory
from registry.models import ChiefQualityOfficer, Enterprise, ImportJob
from registry.officers import submission
from registry.officers.columns import COLUMNS
from registry.officers.factories import OfficerFactory, import_row
from registry.officers.tasks import import_officers_task
from registry.reports import EXPORT_ACTION, IMPORT_ACTION, PASSWORD_RESET_ACTION

pytestmark = pytest.mark.django_db
OFFICERS = "wagtailsnippets_registry_chiefqualityofficer"


def site_history(client, user):
    """(action, object label) of every entry the scoped site-history report shows ``user``."""
    client.force_login(user)
    response = client.get("/admin/reports/site-history/results/")
    assert response.status_code == 200
    return {(entry.action, entry.label) for entry in response.context["object_list"]}


def officer_workbook(rows):
    workbook = Workbook()
    workbook.active.append([column.header for column in COLUMNS])
    for number in range(1, rows + 1):
        workbook.active.append(import_row(number))
    data = io.BytesIO()
    workbook.save(data)
    return data.getvalue()


def assert_seen_above_not_beside(client, admins, entries):
    for viewer in (admins.changan, admins.shijiazhuang):
        assert entries <= site_history(client, viewer)
    assert not entries & site_history(client, admins.qiaoxi)


EXPORTS = [
    ("officer listing (csv)", lambda: reverse(f"{OFFICERS}:list") + "?export=csv", "csv"),
    ("regional progress (xlsx)", lambda: reverse("statistics:progress") + "?export=xlsx", "xlsx"),
    ("enterprises without a CQO (csv)", lambda: reverse("statistics:uncovered") + "?export=csv", "csv"),
    ("statistics figures", lambda: reverse("statistics:export", args=["all"]), "xlsx"),
    ("site history (csv)", lambda: "/admin/reports/site-history/?export=csv", "csv"),
    ("workflow report (xlsx)", lambda: "/admin/reports/workflow/?export=xlsx", "xlsx"),
    ("award applications", lambda: reverse("award_applications:export"), "xlsx"),
]


@pytest.mark.parametrize(("name", "url", "export_format"), EXPORTS, ids=[name for name, _u, _f in EXPORTS])
def test_an_export_says_who_exported_what_from_which_organisation(client, admins, orgs, name, url, export_format):
    client.force_login(admins.changan)
    response = client.get(url())
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]

    entry = ModelLogEntry.objects.get(action=EXPORT_ACTION)
    assert entry.user == admins.changan and entry.timestamp is not None
    assert (entry.content_type.model, entry.object_id) == ("organisation", str(orgs.changan.pk))
    assert entry.data["format"] == export_format and entry.data["what"]
    assert_seen_above_not_beside(client, admins, {(EXPORT_ACTION, str(orgs.changan))})


def test_export_entries_keep_the_filters_used(client, admins, orgs):
    client.force_login(admins.changan)
    client.get(reverse("statistics:uncovered"), {"export": "xlsx", "size": "large"})
    assert ModelLogEntry.objects.get(action=EXPORT_ACTION).data["filters"] == "size=large"


def test_the_qc_secretariat_summary_export_is_logged(client, make_admin):
    admin = make_admin(secretariat())
    client.force_login(admin)
    assert client.get(reverse("qcgroups_admin_summary_xlsx"), {"year": "2025"}).status_code == 200
    entry = ModelLogEntry.objects.get(action=EXPORT_ACTION)
    assert entry.user == admin and entry.object_id == str(secretariat().pk) and entry.data["filters"] == "year=2025"


def test_password_resets_are_logged_on_the_account_and_scoped(client, admins, orgs):
    officer = OfficerFactory(enterprise=EnterpriseFactory(region_id="130102"))
    client.force_login(admins.changan)
    assert client.post(reverse(f"{OFFICERS}:reset_password", args=[officer.pk])).status_code == 200
    client.force_login(admins.shijiazhuang)
    client.post(reverse("administrators:reset_password", args=[admins.changan_colleague.pk]))

    officer_entry = ModelLogEntry.objects.get(action=PASSWORD_RESET_ACTION, content_type__model="chiefqualityofficer")
    assert (officer_entry.object_id, officer_entry.user) == (str(officer.pk), admins.changan)
    admin_entry = ModelLogEntry.objects.get(action=PASSWORD_RESET_ACTION, content_type__model="administrator")
    assert (admin_entry.object_id, admin_entry.user) == (str(admins.changan_colleague.pk), admins.shijiazhuang)
    assert_seen_above_not_beside(
        client, admins, {(PASSWORD_RESET_ACTION, officer_entry.label), (PASSWORD_RESET_ACTION, admin_entry.label)}
    )


def test_an_import_is_logged_for_the_workbook_and_each_record(client, admins, orgs, django_capture_on_commit_callbacks):
    client.force_login(admins.changan)
    with django_capture_on_commit_callbacks(execute=True):
        upload = SimpleUploadedFile("长安区首席质量官.xlsx", officer_workbook(2))
        client.post(reverse(f"{OFFICERS}:import"), {"workbook": upload})
    assert ImportJob.objects.get().status == ImportJob.Status.DONE

    entry = ModelLogEntry.objects.get(action=IMPORT_ACTION)
    assert (entry.user, entry.object_id) == (admins.changan, str(orgs.changan.pk))
    assert entry.data == {"file": "长安区首席质量官.xlsx", "created": 2, "unchanged": 0}
    submitted = {
        (action, label)
        for action, label in ModelLogEntry.objects.filter(user=admins.changan).values_list("action", "label")
        if action == "wagtail.workflow.start"
    }
    assert len(submitted) == 2  # every imported record's own history starts with its submission by the importer
    assert_seen_above_not_beside(client, admins, {(IMPORT_ACTION, str(orgs.changan)), *submitted})


def test_a_crashing_import_task_is_logged_shown_as_failed_and_writes_nothing(client, admins, monkeypatch, caplog):
    def submit_then_crash(officers, user, **options):
        real_bulk_submit(officers, user, **options)
        raise RuntimeError("数据库连接中断 / connection lost")

    real_bulk_submit = submission.bulk_submit
    monkeypatch.setattr(submission, "bulk_submit", submit_then_crash)
    upload = SimpleUploadedFile("cqo.xlsx", officer_workbook(1))
    job = ImportJob.objects.create(user=admins.changan, workbook=upload, original_name="cqo.xlsx")

    assert import_officers_task.enqueue(job.pk).status == "FAILED"

    crash = next(record for record in caplog.records if record.name == "registry.officers.tasks")
    assert crash.levelname == "ERROR" and f"job {job.pk}" in crash.getMessage() and crash.exc_info
    client.force_login(admins.changan)
    page = client.get(reverse(f"{OFFICERS}:import_job", args=[job.pk])).content.decode()
    assert "导入意外中止" in page and "connection lost" in page
    assert not ModelLogEntry.objects.filter(action__in=[IMPORT_ACTION, "wagtail.workflow.start"]).exists()
    assert not ChiefQualityOfficer.unscoped.exists() and not Enterprise.unscoped.exists()


def test_printing_an_officers_registration_form_is_logged_as_an_export(client, admins, orgs):
    officer = OfficerFactory(organisation=orgs.changan, enterprise=EnterpriseFactory(region_id="130102"))
    client.force_login(admins.changan)
    response = client.get(reverse(f"{OFFICERS}:registration_form", args=[officer.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    entry = ModelLogEntry.objects.get(action=EXPORT_ACTION)
    assert entry.data["format"] == "pdf" and officer.real_name in entry.data["what"]
    assert_seen_above_not_beside(client, admins, {(EXPORT_ACTION, str(orgs.changan))})
