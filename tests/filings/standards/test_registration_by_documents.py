"""Registration for an enterprise whose registry record lacks a detail: documents, the bureau's check, a notice."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import ModelLogEntry

from filings.standards.factories import SCAN, EnterpriseVerificationFactory
from filings.standards.models import EnterpriseVerification
from registry import sms
from registry.factories import EnterpriseFactory, make_mobile, make_resident_id
from registry.models import Division, Role, User

from .conftest import last_code
from .test_accounts import account_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def bare_enterprise(orgs):
    """Like 39 of the 40 demo enterprises: no legal representative, document or address on record."""
    return EnterpriseFactory(
        name="石家庄无档案机械有限公司",
        legal_representative="",
        legal_representative_id_number="",
        registered_address="",
        region=Division.objects.get(code="130102"),
    )


def typed_details(enterprise, **overrides):
    return {
        "code": enterprise.uscc,
        "name": enterprise.name,
        "legal_representative": "陈港生",
        "legal_representative_document_type": "hk_macau_permit",
        "legal_representative_id_number": "h 1234 5678",
        "registered_address": "河北省石家庄市长安区中山东路9号",
        **overrides,
    }


def scan(name):
    return SimpleUploadedFile(name, SCAN, content_type="application/pdf")


def register_with_documents(client, enterprise, **overrides):
    assert client.post(reverse("standards:register"), typed_details(enterprise)).status_code == 302
    mobile = make_mobile(4242)
    assert client.post(reverse("standards:send_code"), {"purpose": "register", "mobile": mobile}).json()["ok"]
    data = account_data(enterprise, mobile, last_code(), id_number=make_resident_id(43))
    data.update({"business_licence": scan("licence.pdf"), "representative_document": scan("permit.pdf"), **overrides})
    return client.post(reverse("standards:register_account"), data), mobile


def test_an_enterprise_without_registry_details_registers_by_documents_and_waits(client, bare_enterprise, make_admin):
    checker = make_admin(bare_enterprise.organisation, role=Role.INSTITUTION, email="county@example.cn")
    page = client.get(reverse("standards:register"))
    assert "legal_representative_document_type" in page.content.decode()
    response, mobile = register_with_documents(client, bare_enterprise)
    assert response.status_code == 200 and "registration-pending" in response.content.decode()
    account = User.objects.get(username="qc_user_01")
    assert account.is_active is False  # cannot sign in before the bureau's check
    verification = EnterpriseVerification.unscoped.get()
    assert verification.account == account and verification.organisation == bare_enterprise.organisation
    assert verification.legal_representative_id_number == "H12345678" and verification.business_licence
    assert mail.outbox[-1].to == [checker.email]
    assert f"/review/{verification.pk}/" in mail.outbox[-1].body


def test_documents_are_required_and_a_kept_upload_survives_a_failed_submit(client, bare_enterprise):
    response, _mobile = register_with_documents(client, bare_enterprise, representative_document="", password2="x")
    form = response.context["form"]
    assert set(form.errors) >= {"representative_document", "password2"}
    html = response.content.decode()
    assert 'name="business_licence__kept"' in html and 'name="representative_document__kept"' not in html


def test_details_the_registry_holds_must_still_match(client, bare_enterprise):
    bare_enterprise.legal_representative = "王有档"
    bare_enterprise.save()
    response = client.post(reverse("standards:register"), typed_details(bare_enterprise))
    assert response.status_code == 200 and "legal_representative" in response.context["form"].errors


def test_a_bad_document_number_is_told_by_its_type(client, bare_enterprise):
    response = client.post(
        reverse("standards:register"), typed_details(bare_enterprise, legal_representative_id_number="12345678")
    )
    assert "H12345678" in response.context["form"].errors["legal_representative_id_number"][0]


def test_the_bureau_confirms_in_the_admin_the_record_is_completed_and_the_applicant_signs_in(
    client, bare_enterprise, make_admin
):
    _response, mobile = register_with_documents(client, bare_enterprise)
    credentials = {"username": "qc_user_01", "password": "Quality-2026!", "captcha_0": "x", "captcha_1": "PASSED"}
    refused = client.post(reverse("portal_login"), credentials)  # not before the check, and says why
    assert refused.status_code == 200 and refused.context["form"].errors.as_data()["__all__"][0].code == "inactive"
    verification = EnterpriseVerification.unscoped.get()
    checker = make_admin(bare_enterprise.organisation, role=Role.INSTITUTION)
    admin = client.__class__()
    admin.force_login(checker)
    url = reverse("standards_verifications:review", args=[verification.pk])
    page = admin.get(url)
    assert "陈港生" in page.content.decode() and verification.business_licence.url in page.content.decode()
    assert admin.get(verification.business_licence.url).status_code == 200
    assert admin.get(reverse("standards_verifications:index")).status_code == 200
    sms.outbox.clear()
    assert admin.post(url, {"confirm": "1"}).status_code == 302
    bare_enterprise.refresh_from_db()
    assert (bare_enterprise.legal_representative, bare_enterprise.legal_representative_id_number) == (
        "陈港生",
        "H12345678",
    )
    assert ModelLogEntry.objects.filter(action="standards.verification_confirmed").exists()
    assert ModelLogEntry.objects.filter(action="wagtail.edit", object_id=str(bare_enterprise.pk)).exists()
    assert sms.outbox[-1][0] == mobile and "qc_user_01" in sms.outbox[-1][1]
    login = client.post(reverse("portal_login"), credentials)
    assert login.status_code == 302


def test_a_rejection_sends_the_reason_and_frees_the_user_name(client, bare_enterprise, make_admin):
    _response, mobile = register_with_documents(client, bare_enterprise)
    verification = EnterpriseVerification.unscoped.get()
    admin = client.__class__()
    admin.force_login(make_admin(bare_enterprise.organisation, role=Role.INSTITUTION))
    url = reverse("standards_verifications:review", args=[verification.pk])
    assert admin.post(url, {"reject": "1", "reason": ""}).status_code == 200  # a reason is required
    assert admin.post(url, {"reject": "1", "reason": "营业执照不清晰"}).status_code == 302
    verification.refresh_from_db()
    assert verification.status == "rejected" and verification.account is None
    assert not User.objects.filter(username="qc_user_01").exists()
    assert sms.outbox[-1][0] == mobile and "营业执照不清晰" in sms.outbox[-1][1]
    bare_enterprise.refresh_from_db()
    assert bare_enterprise.legal_representative == ""


def test_another_bureau_cannot_see_or_decide(client, orgs, make_admin):
    verification = EnterpriseVerificationFactory(enterprise=EnterpriseFactory(region_id="130102"))
    client.force_login(make_admin(orgs.qiaoxi, role=Role.INSTITUTION))  # the neighbouring county
    url = reverse("standards_verifications:review", args=[verification.pk])
    assert client.post(url, {"confirm": "1"}).status_code in (403, 404)
    verification.refresh_from_db()
    assert verification.status == "pending"


def test_the_dashboard_lists_registrations_to_check_in_the_subtree_only(client, orgs, make_admin):
    waiting = EnterpriseVerificationFactory(enterprise=EnterpriseFactory(region_id="130102"))
    client.force_login(make_admin(orgs.changan, role=Role.INSTITUTION))
    assert waiting.enterprise.name in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(make_admin(orgs.qiaoxi, role=Role.INSTITUTION))
    assert waiting.enterprise.name not in client.get(reverse("wagtailadmin_home")).content.decode()
