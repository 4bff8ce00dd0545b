"""Private files (issue 19, hole 1 and hole 11): every stored upload is read only through the checking view.

One record of every model holding a private file is created with its files; each file's URL is then crawled
anonymously, as an unrelated portal account and as a neighbouring region's administrator, and none of them reads
a byte, while the owner and the authorised reviewer do. A new private file field without a case here fails.
"""

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from filings.awards.access import association
from filings.awards.factories import ApplicationFactory, make_programme
from filings.awards.models import Application
from filings.awards.snapshot import freeze
from filings.qcgroups.factories import MINIMAL_PDF, FilingUnitFactory
from filings.qcgroups.models import secretariat
from filings.standards.factories import DisclosedStandardFactory, EnterpriseVerificationFactory, IndicatorFactory
from registry.factories import EnterpriseAccountFactory, EnterpriseFactory
from registry.files import private_fields, private_storage
from registry.models import ImportJob, Role
from registry.officers.factories import OfficerFactory

pytestmark = pytest.mark.django_db

PDF = MINIMAL_PDF
XLSX_NAME = "officers-2026.xlsx"
STORED_NAME = re.compile(r"[0-9a-f]{32}\.(pdf|png|jpg|xlsx)$")


def workbook():
    from registry.officers.workbooks import template_workbook

    return template_workbook()


@pytest.fixture
def world(orgs, make_admin):
    """Records holding every private file field, their owners and reviewers, and the outsiders."""
    changan_enterprise = EnterpriseFactory(region_id="130102")
    owner = EnterpriseAccountFactory(enterprise=changan_enterprise)
    changan_admin = make_admin(orgs.changan)
    hebei_admin = make_admin(orgs.hebei, role=Role.PROVINCIAL)

    officer = OfficerFactory(enterprise=changan_enterprise)
    officer.registration_form.save("登记表.pdf", ContentFile(PDF))

    job = ImportJob.objects.create(
        user=changan_admin,
        workbook=ContentFile(workbook(), name=XLSX_NAME),
        status=ImportJob.Status.FAILED,
        finished_at=timezone.now(),
    )
    job.marked_workbook.save("errors-1.xlsx", ContentFile(workbook()))

    unit = FilingUnitFactory()

    application = ApplicationFactory(
        programme=make_programme(recommending_units=[orgs.hebei]),
        recommending_unit=orgs.hebei,
        filing__enterprise=changan_enterprise,
    )
    project = application.project
    project.other_attachment.save("附件.pdf", ContentFile(PDF))
    project.intellectual_property.first().proof.save("专利.pdf", ContentFile(PDF))
    project.honours.first().proof.save("荣誉.pdf", ContentFile(PDF))

    application.summary_material.save("总结材料.pdf", ContentFile(PDF))
    freeze(application, owner)  # what a submission keeps: its own copies, read by the application's reviewers
    application.save()
    submission = application.submission
    submission.pdf.save("v1.pdf", ContentFile(PDF))
    application.printed_pdf.save("application.pdf", ContentFile(PDF))

    draft_standard = DisclosedStandardFactory(
        enterprise=changan_enterprise, content="full_text", status="draft", published_at=None
    )
    draft_standard.full_text.save("标准.pdf", ContentFile(PDF))
    indicator = IndicatorFactory(standard=DisclosedStandardFactory(enterprise=changan_enterprise))
    indicator.text_file.save("指标.pdf", ContentFile(PDF))
    verification = EnterpriseVerificationFactory(enterprise=changan_enterprise)

    records = [
        officer,
        job,
        unit,
        application,
        application.filing,
        application.filing.economic_years.first(),
        project,
        project.intellectual_property.first(),
        project.honours.first(),
        draft_standard,
        indicator,
        verification,
        submission,
        *submission.files.all(),
    ]
    secretariat_admin = make_admin(secretariat(), Role.INSTITUTION)
    # The submitted copies: the enterprise, and once submitted the recommending unit (hebei) and the organiser.
    award_readers = [owner, hebei_admin]
    filing_reviewer = make_admin(association(), Role.INSTITUTION)
    readers = {
        # The live records' files are the enterprise's own; the organisation filing's also its reviewers'.
        "awards.organisationfiling": [owner, filing_reviewer],
        "awards.economicyear": [owner, filing_reviewer],
        "awards.project": [owner],
        "awards.intellectualproperty": [owner],
        "awards.honour": [owner],
        "awards.application.summary_material": [owner],
        "registry.chiefqualityofficer": [owner, changan_admin],
        "registry.importjob": [changan_admin],
        "qcgroups.filingunit": [unit.account, secretariat_admin],
        "standards.disclosedstandard": [owner, changan_admin],
        "standards.indicator": [owner, changan_admin],
        # The licence and legal representative's document: only the bureaus that check them.
        "standards.enterpriseverification": [changan_admin, hebei_admin],
    }
    qiaoxi_enterprise = EnterpriseFactory(region_id="130104")
    outsiders = {
        "anonymous": None,
        "another enterprise's account": EnterpriseAccountFactory(enterprise=qiaoxi_enterprise),
        "the neighbouring county's administrator": make_admin(orgs.qiaoxi),
        "another province's administrator": make_admin(orgs.beijing, role=Role.PROVINCIAL),
    }
    return {
        "records": records,
        "readers": lambda label: readers.get(label, readers.get(label.rsplit(".", 1)[0], award_readers)),
        "owner": owner,
        "changan_admin": changan_admin,
        "outsiders": outsiders,
        "application": application,
        "hebei_admin": hebei_admin,
    }


def file_urls(records):
    """(label, url, stored name) of every private file the records hold."""
    for record in records:
        for model, field in private_fields():
            if isinstance(record, model) and getattr(record, field.name):
                file = getattr(record, field.name)
                yield f"{model._meta.label_lower}.{field.name}", file.url, file.name


def read(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def test_every_private_field_has_a_case_here(world):
    covered = {label for label, _url, _name in file_urls(world["records"])}
    declared = {f"{model._meta.label_lower}.{field.name}" for model, field in private_fields()}
    assert covered == declared


def test_files_are_stored_privately_under_random_names(world):
    for label, url, name in file_urls(world["records"]):
        assert STORED_NAME.search(name), (label, name)
        assert private_storage().exists(name) and not default_storage.exists(name), label
        assert url.startswith("/files/") and name not in url, label


def test_no_outsider_reads_any_file(client, world):
    for label, url, _name in file_urls(world["records"]):
        for who, user in world["outsiders"].items():
            response = read(client, user, url)
            assert response.status_code == 404, (label, who, response.status_code)


def test_owners_and_reviewers_read_the_files_as_attachments(client, world):
    application = world["application"]
    Application.unscoped.filter(pk=application.pk).update(state=Application.State.RECOMMENDATION)
    for label, url, _name in file_urls(world["records"]):
        for user in world["readers"](label):
            response = read(client, user, url)
            assert response.status_code == 200, (label, user, response.status_code)
            assert response["Content-Disposition"].startswith("attachment;"), label
            assert response["X-Content-Type-Options"] == "nosniff"
            assert response["Content-Security-Policy"] == "sandbox"
            assert b"".join(response.streaming_content)[:4] in (PDF[:4], b"PK\x03\x04")


def test_a_recommending_unit_cannot_read_a_draft_applications_evidence(client, world):
    """Hole 11: choosing a recommending unit in a draft gave that unit the enterprise's evidence."""
    application = world["application"]
    urls = [copy.file.url for copy in application.submission.files.all()]
    assert len(urls) >= 3
    # The live uploads are the enterprise's alone, whatever the state; reviewers read the submitted copies.
    live = [application.summary_material.url, application.filing.licence_copy.url]
    for url in urls:
        assert read(client, world["hebei_admin"], url).status_code == 404
    Application.unscoped.filter(pk=application.pk).update(state=Application.State.QUALIFICATION)
    for url in urls:
        assert read(client, world["hebei_admin"], url).status_code == 200
    for url in live:
        assert read(client, world["hebei_admin"], url).status_code == 404


def test_a_published_standards_full_text_is_public(client, world):
    standard = DisclosedStandardFactory(content="full_text")
    standard.full_text.save("standard.pdf", ContentFile(PDF))
    for url in (standard.full_text.url, reverse("standards:public_full_text", args=[standard.pk])):
        response = read(client, None, url)
        assert response.status_code == 200 and response["Content-Security-Policy"] == "sandbox"


def test_nginx_serves_the_bytes_when_configured(client, world, settings):
    settings.PRIVATE_FILES_ACCEL_PREFIX = "/_private/"
    officer = world["records"][0]
    response = read(client, world["owner"], officer.registration_form.url)
    assert response["X-Accel-Redirect"] == "/_private/" + officer.registration_form.name
    assert response.content == b"" and response["Content-Disposition"].startswith("attachment;")


def test_admin_and_portal_pages_link_the_checking_view(client, world):
    officer = world["records"][0]
    response = read(
        client, world["changan_admin"], reverse("wagtailsnippets_registry_chiefqualityofficer:edit", args=[officer.pk])
    )
    page = response.content.decode()
    assert officer.registration_form.url in page and "/media/" not in page
    job = world["records"][1]
    page = read(client, job.user, reverse("wagtailsnippets_registry_chiefqualityofficer:import_job", args=[job.pk]))
    assert job.marked_workbook.url in page.content.decode()


@pytest.mark.parametrize(
    "content",
    [
        b"<html><body><script>fetch('/admin/snippets/registry/chiefqualityofficer/?export=csv')</script></body></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)"/>',
    ],
)
def test_markup_disguised_as_pdf_is_refused_naming_the_field(client, world, content):
    """The probe's stored XSS: an HTML page or SVG renamed .pdf as the officer's stamped registration form."""
    from registry.models import ChiefQualityOfficer

    officer = ChiefQualityOfficer.unscoped.get(pk=world["records"][0].pk)
    officer.registration_form = SimpleUploadedFile("form.pdf", content, content_type="application/pdf")
    with pytest.raises(Exception) as refused:
        officer.full_clean()
    message = " ".join(refused.value.message_dict["registration_form"])
    assert "“盖章的登记表”须为PDF/JPG/PNG文件" in message


def test_unknown_models_fields_and_records_answer_404(client, world):
    officer = world["records"][0]
    client.force_login(world["owner"])
    for url in (
        "/files/registry.nosuchmodel/registration_form/1/",
        "/files/registry/registration_form/1/",
        "/files/registry.chiefqualityofficer/real_name/1/",
        "/files/registry.chiefqualityofficer/nosuchfield/1/",
        f"/files/registry.chiefqualityofficer/registration_form/{officer.pk + 1000}/",
    ):
        assert client.get(url).status_code == 404, url


def test_files_stored_before_are_moved_out_of_public_media(world):
    from io import StringIO

    from django.core.management import call_command

    from registry.models import ChiefQualityOfficer

    officer = world["records"][0]
    old = default_storage.save("officers/registration-forms/2026/张三登记表.pdf", ContentFile(PDF))
    ChiefQualityOfficer.unscoped.filter(pk=officer.pk).update(registration_form=old)
    output = StringIO()
    call_command("move_private_files", stdout=output)
    call_command("move_private_files", stdout=output)  # idempotent: the second run finds nothing to move
    officer.refresh_from_db()
    assert STORED_NAME.search(officer.registration_form.name) and officer.registration_form.read() == PDF
    assert not default_storage.exists(old)
    assert output.getvalue().splitlines() == [
        "1 files moved to private storage, 0 missing",
        "0 files moved to private storage, 0 missing",
    ]
