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
