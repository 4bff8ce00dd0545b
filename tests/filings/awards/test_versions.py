"""Submission freezes what it submits: later edits of the filing and project never change a submitted or decided
application; a returned one picks them up on resubmission, with the changes in the review log."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from filings.awards.factories import ApplicationFactory, pdf_file
from filings.awards.models import Application, Project, ReviewerAssignment
from filings.awards.pdf import render_html
from filings.awards.review import act, submit
from registry.factories import AdministratorFactory

State = Application.State


@pytest.fixture
def awarded(application, applicant, association_admin, hebei_admin, expert):
    submit(application, applicant)
    act(application, "qualify", association_admin)
    act(application, "recommend", hebei_admin)
    assignment = ReviewerAssignment.objects.create(application=application, reviewer=expert, conflict="none")
    for criterion in application.programme.criteria.all():
        assignment.scores.create(criterion=criterion, score=criterion.max_score - 2)
    assignment.submitted_at = assignment.assigned_at
    assignment.save()
    act(application, "conclude_review", association_admin)
    act(application, "award", association_admin)
    application.programme.results_published = True
    application.programme.save_revision().publish()
    return Application.unscoped.get(pk=application.pk)


def edit_after_award(application):
    filing, project = application.filing, application.project
    filing.name = "石家庄测试标杆有限公司(改名)"
    filing.save()
    year = filing.economic_years.first()
    year.revenue = 999999
    year.save()
    project.name = "（已获奖后修改的项目名）"
    project.other_attachment = ContentFile(b"%PDF-1.4 replaced later", name="later.pdf")
    project.save()
    item = project.intellectual_property.first()
    item.patent_number = "ZL999999999"
    item.save()


@pytest.mark.django_db
def test_edits_after_the_award_change_neither_results_nor_review_nor_pdf(client, awarded, association_admin):
    original_organisation, original_project = awarded.filing.name, awarded.project.name
    submitted_attachment = awarded.submission.files.filter(key="attachment").first()
    edit_after_award(awarded)
    awarded.refresh_from_db()

    results = client.get(awarded.programme.url).content.decode()
    assert original_organisation in results and original_project in results
    assert "改名" not in results and "已获奖后修改" not in results

    html = render_html(awarded)
    assert original_organisation in html and original_project in html
    assert "999999" not in html and "ZL999999999" not in html and "改名" not in html

    client.force_login(association_admin)
    detail = client.get(reverse("award_applications:detail", args=[awarded.pk])).content.decode()
    assert original_project in detail and "已获奖后修改" not in detail and "999999" not in detail
    assert submitted_attachment is None and awarded.dossier.project["attachment"] == ""
    assert awarded.state == State.AWARDED and awarded.submission.number == 1


@pytest.mark.django_db
def test_replacing_a_live_file_leaves_the_submitted_copy(client, application, applicant, association_admin):
    submit(application, applicant)
    application.refresh_from_db()
    submitted = application.submission.files.get(key="licence")
    before = submitted.file.read()
    filing = application.filing
    filing.licence_copy = ContentFile(b"%PDF-1.4 another licence", name="new.pdf")
    filing.save()
    submitted.refresh_from_db()
    assert submitted.file.name != filing.licence_copy.name
    client.force_login(association_admin)
    response = client.get(reverse("private_file", args=["awards.submittedfile", "file", submitted.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == before


@pytest.mark.django_db
def test_resubmission_picks_up_edits_and_logs_the_changes(client, application, applicant, association_admin):
    submit(application, applicant)
    act(application, "return", association_admin, "请补充近三年营业收入证明")
    first = Application.unscoped.get(pk=application.pk).submission
    project = application.project
    project.name = "补充后的项目名称"
    project.save()
    year = application.filing.economic_years.order_by("year").first()
    year.revenue = 61234
    year.save()
    submit(application, applicant)
    application.refresh_from_db()

    assert application.submission.number == 2 and application.submitted_project == "补充后的项目名称"
    first.refresh_from_db()
    assert first.data["project"]["name"] != "补充后的项目名称"  # the first version is unchanged
    [entry] = [entry for entry in application.review_log() if entry.action == "awards.resubmit"]
    changed = {label: (before, after) for label, before, after in entry.changes}
    assert changed[str(Project._meta.get_field("name").verbose_name)][1] == "补充后的项目名称"
    assert any(label.startswith(str(year.year)) and after == "61234.00" for label, (_b, after) in changed.items())
    # Files that did not change are not copied again, nor reported.
    assert not any("licence" in label for label in changed)
    assert application.submission.files.get(key="licence").file.name == first.files.get(key="licence").file.name

    client.force_login(applicant)
    page = client.get(reverse("awards:application_detail", args=[application.pk])).content.decode()
    assert "补充后的项目名称" in page and "61234.00" in page


@pytest.mark.django_db
def test_unassigned_expert_gets_404_on_every_file_of_an_application(client, application, applicant, expert, orgs):
    project = application.project
    project.other_attachment = pdf_file("attachment.pdf")
    project.save()
    for item in [*project.intellectual_property.all(), *project.honours.all()]:
        item.proof = pdf_file("proof.pdf")
        item.save()
    submit(application, applicant)
    application.refresh_from_db()
    submitted = [
        reverse("private_file", args=["awards.submittedfile", "file", pk])
        for pk in application.submission.files.values_list("pk", flat=True)
    ]
    filing, project = application.filing, application.project
    live = [
        reverse("private_file", args=["awards.organisationfiling", "licence_copy", filing.pk]),
        *[
            reverse("private_file", args=["awards.economicyear", "proof", pk])
            for pk in filing.economic_years.values_list("pk", flat=True)
        ],
        reverse("private_file", args=["awards.project", "other_attachment", project.pk]),
        *[
            reverse("private_file", args=["awards.intellectualproperty", "proof", pk])
            for pk in project.intellectual_property.values_list("pk", flat=True)
        ],
        *[
            reverse("private_file", args=["awards.honour", "proof", pk])
            for pk in project.honours.values_list("pk", flat=True)
        ],
        reverse("private_file", args=["awards.application", "summary_material", application.pk]),
        reverse("awards:application_print", args=[application.pk]),
    ]
    assert len(submitted) == 1 + 3 + 1 + 2 + 1  # licence, three years, attachment, patent, honour, summary
    # Another application of the same enterprise is assigned to the expert: still nothing of this one.
    other = ApplicationFactory(
        programme=application.programme, filing=application.filing, enterprise=application.enterprise
    )
    submit(other, applicant)
    ReviewerAssignment.objects.create(application=other, reviewer=expert)
    client.force_login(expert)
    for url in submitted + live:
        assert client.get(url).status_code == 404, url

    ReviewerAssignment.objects.create(application=application, reviewer=expert)
    for url in submitted:
        assert client.get(url).status_code == 200, url
    outsider = AdministratorFactory(organisation=orgs.beijing, role="")
    client.force_login(outsider)
    assert all(client.get(url).status_code == 404 for url in submitted)


@pytest.mark.django_db
def test_summary_may_be_a_word_document_checked_by_content(client, programme, applicant, application):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    docx = buffer.getvalue()
    fake = io.BytesIO()
    with zipfile.ZipFile(fake, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    field = Application._meta.get_field("summary_material")
    field.run_validators(ContentFile(docx, name="summary.docx"))
    with pytest.raises(Exception, match="PDF/Word"):
        field.run_validators(ContentFile(fake.getvalue(), name="summary.docx"))
    application.summary_material = ContentFile(docx, name="总结.docx")
    application.save()
    submit(application, applicant)
    application.refresh_from_db()
    assert application.dossier.application["summary_kind"] == "docx"
    client.force_login(applicant)
    summary = application.submission.files.get(key="summary")
    response = client.get(reverse("private_file", args=["awards.submittedfile", "file", summary.pk]))
    assert response["Content-Disposition"].endswith('.docx"')


@pytest.mark.django_db
def test_the_award_publishes_the_application_as_it_is_printed_pdf_included(
    application, applicant, association_admin, hebei_admin, expert
):
    """The determination's approval publishes the latest revision: one is saved first, so the award keeps what
    was stored on the application since its submission (the printed PDF) instead of the submission's copy."""
    from filings.awards import pdf

    submit(application, applicant)
    act(application, "qualify", association_admin)
    act(application, "recommend", hebei_admin)
    ReviewerAssignment.objects.create(
        application=application, reviewer=expert, conflict="none", submitted_at=application.submitted_at
    )
    act(application, "conclude_review", association_admin)
    printed = pdf.stored_pdf(Application.unscoped.get(pk=application.pk)).name
    act(application, "award", association_admin)
    assert application.live and application.state == State.AWARDED
    assert application.printed_pdf.name == printed and application.printed_key
    assert application.submission.number == 1


@pytest.mark.django_db
def test_an_awarded_application_cannot_be_rewritten(client, awarded, applicant, make_admin, orgs):
    from filings.awards.review import ReviewError
    from filings.awards.viewsets import ApplicationPermissionPolicy

    with pytest.raises(ReviewError, match="不允许此操作"):
        submit(awarded, applicant)
    client.force_login(applicant)
    edit = reverse("awards:application_edit", args=[awarded.pk])
    assert client.get(edit)["Location"] == reverse("awards:application_detail", args=[awarded.pk])
    client.post(edit, {"contact_person": "改写", "submit": "1"})
    awarded.refresh_from_db()
    assert awarded.state == State.AWARDED and awarded.contact_person != "改写"
    # Only an approval publishes: Wagtail's publish and unpublish are refused to everyone else, superusers too.
    policy = ApplicationPermissionPolicy(Application)
    superuser = make_admin(orgs.platform, role="platform", is_superuser=True)
    assert not policy.user_has_permission(superuser, "publish")
    assert not policy.user_has_permission(superuser, "unpublish")


@pytest.mark.django_db(transaction=True)
def test_a_database_before_versions_freezes_its_submitted_applications_once_migrated(reference_data):
    """Applications submitted before versions existed are frozen by ``migrate`` with the code's models, once every
    migration is applied (the models read columns that later migrations add)."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    application = ApplicationFactory()
    Application.unscoped.filter(pk=application.pk).update(state=Application.State.DETERMINATION)
    MigrationExecutor(connection).migrate([("awards", "0002_submitted_versions")])
    call_command("migrate", verbosity=0)

    application = Application.unscoped.get(pk=application.pk)
    assert application.submission is not None and application.submission.number == 1
    assert application.submitted_project == application.project.name
    assert application.current_workflow_state.current_task_state.task.specific.stage == "determination"


@pytest.mark.django_db(transaction=True)
def test_an_application_that_cannot_be_frozen_leaves_migrate_working(reference_data, monkeypatch):
    """One unfreezable application (a file missing from a copy of the site) is logged and left for the next migrate,
    with no half-made version: migrate neither fails nor blocks the next one."""
    from filings.awards import snapshot
    from filings.awards.models import Submission

    broken, fine = ApplicationFactory(), ApplicationFactory()
    Application.unscoped.filter(pk__in=[broken.pk, fine.pk]).update(state=Application.State.QUALIFICATION)
    freeze = snapshot.freeze

    def failing(application, user):
        changes = freeze(application, user)
        if application.pk == broken.pk:
            raise FileNotFoundError("attachments/missing.pdf")
        return changes

    monkeypatch.setattr(snapshot, "freeze", failing)
    snapshot.freeze_left_unfrozen(None, plan=[("a migration", False)])
    assert not Submission.objects.filter(application=broken).exists()
    assert Application.unscoped.get(pk=broken.pk).submission is None
    assert Application.unscoped.get(pk=fine.pk).submission.number == 1
    monkeypatch.setattr(snapshot, "freeze", freeze)
    snapshot.freeze_left_unfrozen(None, plan=[("a migration", False)])  # the next migrate freezes it
    assert Application.unscoped.get(pk=broken.pk).submission.number == 1
