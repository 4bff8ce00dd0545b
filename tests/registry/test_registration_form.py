"""Enterprise self-filing: the talent-pool record plus the stamped form, queued for the regional administrator."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registry.factories import EnterpriseAccountFactory, EnterpriseFactory, make_resident_id, make_uscc
from registry.models import ChiefQualityOfficer, EducationLevel, ReviewStatus

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def filing(**overrides):
    data = {
        "real_name": "吴备案",
        "gender": "M",
        "id_number": make_resident_id(77, "130102"),
        "education": EducationLevel.objects.get(code="MASTER").pk,
        "mobile": "139 1234 5678",
        "email": "wu@example.cn",
        "appointment_date": "2025-01-15",
        "quality_years": "10",
        "registration_form": SimpleUploadedFile("form.pdf", PDF, content_type="application/pdf"),
    }
    data.update(overrides)
    return data


@pytest.fixture
def account(orgs):
    enterprise = EnterpriseFactory(uscc=make_uscc(960_001, "130102"), region_id="130102")
    return EnterpriseAccountFactory(enterprise=enterprise)


@pytest.mark.django_db
def test_enterprise_files_its_officer_for_the_regional_administrator(client, account, orgs, make_admin):
    client.force_login(account)
    response = client.post(reverse("officer_filing"), filing())
    assert response.status_code == 302
    officer = ChiefQualityOfficer.unscoped.get()
    assert officer.enterprise == account.enterprise
    assert officer.organisation == orgs.changan
    assert (officer.live, officer.review_status, officer.self_filed) == (False, ReviewStatus.PENDING, True)
    assert officer.mobile == "13912345678"
    task = officer.current_workflow_task
    assert task.user_can_approve(officer, make_admin(orgs.changan))
    assert not task.user_can_approve(officer, make_admin(orgs.qiaoxi))
    again = client.get(reverse("officer_filing")).content.decode()
    assert "吴备案" in again and "待审核" in again


@pytest.mark.django_db
def test_upload_is_checked_by_content_and_bad_input_keeps_what_was_typed(client, account):
    client.force_login(account)
    fake = SimpleUploadedFile("form.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(reverse("officer_filing"), filing(registration_form=fake, id_number="130102198001019999"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "PDF" in html and "校验位" in html
    assert "吴备案" in html
    assert not ChiefQualityOfficer.unscoped.exists()


@pytest.mark.django_db
def test_only_enterprise_accounts_file(client, orgs, make_admin):
    assert client.get(reverse("officer_filing")).status_code == 302  # login first
    client.force_login(make_admin(orgs.changan))
    assert client.get(reverse("officer_filing")).status_code == 403


def pdf_text(content):
    import io

    from pypdf import PdfReader

    return "".join("".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.django_db
def test_the_enterprise_downloads_the_form_as_typed_to_stamp_with_every_field_of_the_seed(client, account):
    """Before anything is filed: the form as typed (no scan yet, none needed), with the seed's unit rows."""
    client.force_login(account)
    data = filing(registration_form="", phone="0311-87654321", fax="0311-87654322", download="1")
    data.update(
        {
            "unit-main_products": "精密轴承及传动部件",
            "unit-phone": "0311-80000001",
            "unit-fax": "0311-80000002",
            "unit-website": "https://www.example.cn",
            "unit-email": "office@example.cn",
            "unit-head_post": "董事长",
            "unit-head_mobile": "13900001111",
            "unit-quality_head_name": "郑质量",
            "unit-quality_head_post": "质量部部长",
            "unit-quality_head_mobile": "13900002222",
        }
    )
    response = client.post(reverse("officer_filing"), data)
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for printed in ("主导产品及经营项目", "精密轴承及传动部件", "联系电话", "0311-87654321", "传真", "0311-87654322",
                    "单位质量负责人", "郑质量", "13900002222", "单位网址", "https://www.example.cn", "邮箱",
                    "office@example.cn", "董事长", "13900001111", "吴备案"):  # fmt: skip
        assert printed in text, printed
    assert not ChiefQualityOfficer.unscoped.exists()  # nothing was filed by downloading
    account.enterprise.refresh_from_db()
    assert account.enterprise.main_products == ""


@pytest.mark.django_db
def test_filing_keeps_the_unit_details_and_the_filed_form_downloads_prefilled(client, account):
    client.force_login(account)
    data = filing()
    data.update(
        {"unit-main_products": "精密轴承", "unit-quality_head_name": "郑质量", "unit-head_mobile": "139 0000 1111"}
    )
    assert client.post(reverse("officer_filing"), data).status_code == 302
    account.enterprise.refresh_from_db()
    assert account.enterprise.quality_head_name == "郑质量" and account.enterprise.head_mobile == "13900001111"
    response = client.get(reverse("officer_registration_form"))
    text = pdf_text(response.content)
    assert "精密轴承" in text and "郑质量" in text and "吴备案" in text
    client.force_login(EnterpriseAccountFactory())
    assert client.get(reverse("officer_registration_form")).status_code == 302  # no officer filed: the filing page
