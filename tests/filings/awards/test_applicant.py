"""The applicant area: filing, projects, applications, uploads and what an applicant may see."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone

from filings.awards.factories import MINIMAL_PDF, ApplicationFactory, FilingFactory, ProjectFactory, make_programme
from filings.awards.models import Application, OrganisationFiling, Project
from filings.awards.review import act, submit
from registry.factories import EnterpriseAccountFactory
from registry.models import Division, EconomicType, IndustryCategory

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def upload(content, name):
    file = io.BytesIO(content)
    file.name = name
    return file


def filing_post(years, **overrides):
    data = {
        "name": "河北钢铁质量示范有限公司",
        "economic_type": EconomicType.objects.order_by("order").first().pk,
        "region": "130100",
        "address": "河北省石家庄市长安区中山东路100号",
        "industry": "31",
        "quality_head": "王质量",
        "quality_phone": "0311-86001234",
        "size": "large",
        "licence_copy": upload(PNG, "licence.png"),
        "years-TOTAL_FORMS": str(len(years)),
        "years-INITIAL_FORMS": "0",
        "years-MIN_NUM_FORMS": "0",
        "years-MAX_NUM_FORMS": "1000",
    }
    for index, year in enumerate(years):
        data.update(
            {
                f"years-{index}-year": str(year),
                f"years-{index}-total_assets": "86000",
                f"years-{index}-revenue": "52000",
                f"years-{index}-other_revenue": "1200",
                f"years-{index}-profit": "4800",
                f"years-{index}-tax": "2600",
                f"years-{index}-employees": "2600",
                f"years-{index}-proof": upload(MINIMAL_PDF, f"proof{year}.pdf"),
            }
        )
    data.update(overrides)
    return data


@pytest.fixture
def account(db):
    return EnterpriseAccountFactory()


@pytest.mark.django_db
def test_applicant_area_needs_an_enterprise_account(client, account, association_admin):
    assert client.get("/apply/").status_code == 302
    client.force_login(association_admin)
    assert client.get("/apply/").status_code == 403
    client.force_login(account)
    assert client.get("/apply/").status_code == 200


@pytest.mark.django_db
def test_filing_with_all_years_goes_to_review(client, account, programme):
    client.force_login(account)
    response = client.post("/apply/filings/new/", filing_post(programme.data_years, file="1"))
    assert response.status_code == 302, response.context["form"].errors
    filing = OrganisationFiling.objects.get(enterprise=account.enterprise)
    assert filing.status == OrganisationFiling.Status.PENDING
    assert sorted(filing.economic_years.values_list("year", flat=True)) == programme.data_years
    assert filing.province.name == "河北省"
    # Under review, the applicant cannot change it.
    assert client.get(f"/apply/filings/{filing.pk}/").status_code == 302


@pytest.mark.django_db
def test_missing_years_block_filing_but_keep_input(client, account, programme):
    client.force_login(account)
    response = client.post("/apply/filings/new/", filing_post(programme.data_years[:2], file="1"))
    assert response.status_code == 200
    missing = str(programme.last_data_year)
    assert missing in str(response.context["form"].non_field_errors())
    assert "缺少" in str(response.context["form"].non_field_errors())
    assert response.context["form"]["address"].value() == "河北省石家庄市长安区中山东路100号"
    assert not OrganisationFiling.objects.exists()
    # Saving as a draft is allowed with incomplete years.
    response = client.post("/apply/filings/new/", filing_post(programme.data_years[:2], save="1"))
    assert response.status_code == 302
    assert OrganisationFiling.objects.get().status == OrganisationFiling.Status.DRAFT


@pytest.mark.django_db
def test_uploads_are_checked_by_content_and_size(client, account, programme, monkeypatch):
    client.force_login(account)
    data = filing_post(programme.data_years, file="1", licence_copy=upload(b"MZ\x90\x00 not an image", "licence.png"))
    response = client.post("/apply/filings/new/", data)
    assert response.status_code == 200
    assert "PDF/JPG/PNG" in str(response.context["form"].errors["licence_copy"])
    monkeypatch.setattr("filings.awards.uploads.validate_evidence.max_bytes", 16)
    response = client.post("/apply/filings/new/", filing_post(programme.data_years, file="1"))
    assert "MB" in str(response.context["form"].errors["licence_copy"])
    assert not OrganisationFiling.objects.exists()


@pytest.mark.django_db
def test_project_with_tables_and_keyword_limit(client, account):
    client.force_login(account)
    data = {
        "name": "实施光纤生产线设备集中监控及产品追溯系统的经验",
        "keywords": "质量追溯、互联网+、数字化、精益",
        "introduction": "项目简介",
        "ip-TOTAL_FORMS": "1",
        "ip-INITIAL_FORMS": "0",
        "ip-MIN_NUM_FORMS": "0",
        "ip-MAX_NUM_FORMS": "1000",
        "ip-0-kind": "invention",
        "ip-0-name": "一种光纤在线检测方法",
        "ip-0-country": "中国",
        "ip-0-granted_on": "2023-05-01",
        "ip-0-holder": "通鼎互联",
        "ip-0-patent_number": "ZL202210000001.X",
        "ip-0-proof": upload(PNG, "p.png"),
        "honours-TOTAL_FORMS": "1",
        "honours-INITIAL_FORMS": "0",
        "honours-MIN_NUM_FORMS": "0",
        "honours-MAX_NUM_FORMS": "1000",
        "honours-0-award": "江苏省质量奖",
        "honours-0-level": "provincial",
        "honours-0-awarding_body": "江苏省人民政府",
        "honours-0-awarded_on": "2024-01-10",
    }
    response = client.post("/apply/projects/new/", data)
    assert response.status_code == 200
    assert "1-3" in str(response.context["form"].errors["keywords"])
    data["keywords"] = "质量追溯，互联网+"
    data["ip-0-proof"] = upload(PNG, "p.png")
    response = client.post("/apply/projects/new/", data)
    assert response.status_code == 302
    project = Project.objects.get(enterprise=account.enterprise)
    assert project.keywords == "质量追溯、互联网+"
    assert project.intellectual_property.get().patent_number == "ZL202210000001.X"
    assert project.honours.get().awarding_body == "江苏省人民政府"


@pytest.mark.django_db
def test_application_draft_then_submit(client, programme, orgs):
    filing = FilingFactory(years=programme.data_years)
    account = filing.enterprise.accounts.get()
    project = ProjectFactory(enterprise=filing.enterprise)
    client.force_login(account)
    url = reverse("awards:application_new", args=[programme.pk])
    response = client.post(url, {"filing": filing.pk, "project": project.pk, "contact_person": "李联系", "save": "1"})
    assert response.status_code == 302
    application = Application.unscoped.get()
    assert application.state == Application.State.DRAFT and application.pledge_accepted_at is None
    edit = reverse("awards:application_edit", args=[application.pk])
    complete = {
        "filing": filing.pk,
        "project": project.pk,
        "accept_pledge": "on",
        "contact_department": "质量管理部",
        "contact_person": "李联系",
        "contact_post": "部长",
        "contact_mobile": "13911112222",
        "contact_email": "q@example.cn",
        "contact_address": "石家庄市",
        "summary_material": upload(MINIMAL_PDF, "summary.pdf"),
        "recommending_unit": orgs.hebei.pk,
        "submit": "1",
    }
    response = client.post(edit, {**complete, "summary_material": upload(PNG, "summary.png")})
    assert "PDF" in str(response.context["form"].errors["summary_material"])
    response = client.post(
        edit, {**complete, "summary_material": upload(MINIMAL_PDF, "s.pdf"), "recommending_unit": orgs.tangshan.pk}
    )
    assert "recommending_unit" in response.context["form"].errors
    response = client.post(edit, {**complete, "summary_material": upload(MINIMAL_PDF, "s.pdf")})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == Application.State.QUALIFICATION
    assert application.pledge_accepted_at is not None
    # No longer editable: the edit URL shows the read-only page instead.
    assert client.get(edit).url == reverse("awards:application_detail", args=[application.pk])


@pytest.mark.django_db
def test_closed_programme_takes_no_new_application(client, orgs):
    programme = make_programme(
        "2025年全国质量标杆",
        opens_at=timezone.now() - timezone.timedelta(days=400),
        closes_at=timezone.now() - timezone.timedelta(days=300),
    )
    account = EnterpriseAccountFactory()
    client.force_login(account)
    response = client.get(reverse("awards:application_new", args=[programme.pk]))
    assert response.status_code == 302
    assert not Application.unscoped.exists()


@pytest.mark.django_db
def test_applicant_never_sees_another_enterprises_records(client, application, applicant):
    other = EnterpriseAccountFactory()
    client.force_login(other)
    for url in (
        reverse("awards:application_detail", args=[application.pk]),
        reverse("awards:application_edit", args=[application.pk]),
        reverse("awards:filing_edit", args=[application.filing.pk]),
        reverse("awards:project_edit", args=[application.project.pk]),
        reverse("awards:application_print", args=[application.pk]),
        application.summary_material.url,
        application.filing.licence_copy.url,
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("awards:application_delete", args=[application.pk])).status_code == 404
    assert application.project.name not in client.get("/apply/").content.decode()
    # Another enterprise's filing/project cannot be smuggled into one's own application.
    programme = application.programme
    response = client.post(
        reverse("awards:application_new", args=[programme.pk]),
        {"filing": application.filing.pk, "project": application.project.pk, "save": "1"},
    )
    assert {"filing", "project"} <= set(response.context["form"].errors)


@pytest.mark.django_db
def test_my_applications_shows_state_log_and_print(client, application, applicant, association_admin):
    submit(application, applicant)
    client.force_login(applicant)
    page = client.get("/apply/").content.decode()
    assert str(Application.State.QUALIFICATION.label) in page
    assert reverse("awards:application_print", args=[application.pk]) not in page
    assert client.get(reverse("awards:application_print", args=[application.pk])).status_code == 403
    act(application, "qualify", association_admin, "资格符合")
    page = client.get("/apply/").content.decode()
    assert reverse("awards:application_print", args=[application.pk]) in page
    detail = client.get(reverse("awards:application_detail", args=[application.pk])).content.decode()
    assert "资格符合" in detail and "协会审核员" in detail


@pytest.mark.django_db
def test_evidence_downloads_as_attachment(client, application, applicant):
    client.force_login(applicant)
    response = client.get(application.summary_material.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Disposition"].endswith('.pdf"')
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.django_db
def test_only_drafts_can_be_deleted(client, application, applicant):
    client.force_login(applicant)
    submit(application, applicant)
    assert client.post(reverse("awards:application_delete", args=[application.pk])).status_code == 403
    draft = ApplicationFactory(
        programme=application.programme,
        filing=application.filing,
        enterprise=application.enterprise,
        project=ProjectFactory(enterprise=application.enterprise),
    )
    assert client.post(reverse("awards:application_delete", args=[draft.pk])).status_code == 302
    assert not Application.unscoped.filter(pk=draft.pk).exists()


def test_reference_choices_exist(db):
    assert Division.objects.filter(code="130100").exists()
    assert IndustryCategory.objects.filter(code="31", level="division").exists()
