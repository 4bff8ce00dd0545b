"""Identity documents (issue 24 item 7): each type's format and message, the 15-digit card, forms and imports."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import ModelLogEntry

from registry.factories import EnterpriseFactory, make_resident_id
from registry.identity import DocumentType, birth_date, comparable, upgrade_legacy_resident_id, validate_document
from registry.models import Role
from registry.officers.columns import COLUMNS
from registry.officers.factories import OfficerFactory
from registry.officers.importing import OfficerImporter
from registry.validators import resident_id_check_char

from .test_import_officers import HEADERS, hebei_admin, row, workbook_bytes  # noqa: F401 - the fixture

T = DocumentType


def permit(prefix, serial=1, birth="19850615"):
    first17 = f"{prefix}0000{birth}{serial:03d}"
    return first17 + resident_id_check_char(first17)


def error_code(kind, value):
    with pytest.raises(ValidationError) as caught:
        validate_document(kind, value)
    return caught.value.code


def test_each_document_type_accepts_its_own_numbers():
    resident = make_resident_id(7, "130102", "19800101")
    assert validate_document(T.RESIDENT_ID, resident.lower()) == resident
    assert validate_document("", f" {resident} ") == resident  # no type: a resident ID
    assert validate_document(T.RESIDENCE_PERMIT, permit("81")) == permit("81")
    assert validate_document(T.RESIDENCE_PERMIT, permit("83")) == permit("83")
    assert validate_document(T.HK_MACAU_PERMIT, "h12345678") == "H12345678"
    assert validate_document(T.HK_MACAU_PERMIT, "M1234567890") == "M1234567890"
    assert validate_document(T.TAIWAN_PERMIT, "１２３４５６７８") == "12345678"
    assert validate_document(T.TAIWAN_PERMIT, "1234567890(B)") == "1234567890"
    assert validate_document(T.PASSPORT, "e 1234 5678") == "E12345678"
    assert validate_document(T.PASSPORT, "K1234") == "K1234"


def test_each_document_type_refuses_with_its_own_reason():
    assert error_code(T.RESIDENT_ID, permit("81")) == "resident_id_is_permit"
    assert error_code(T.RESIDENT_ID, "1301021980") == "resident_id_length"
    bad_check = make_resident_id(7)[:17] + ("0" if make_resident_id(7)[17] != "0" else "1")
    assert error_code(T.RESIDENT_ID, bad_check) == "resident_id_checksum"
    assert error_code(T.RESIDENCE_PERMIT, make_resident_id(7)) == "residence_permit_prefix"
    assert error_code(T.RESIDENCE_PERMIT, "81000019850615") == "residence_permit_length"
    assert error_code(T.RESIDENCE_PERMIT, permit("82")[:17] + "Y") == "resident_id_character"
    assert error_code(T.HK_MACAU_PERMIT, "12345678") == "hk_macau_permit_format"
    assert error_code(T.HK_MACAU_PERMIT, "H123456789") == "hk_macau_permit_format"
    assert error_code(T.TAIWAN_PERMIT, "T1234567") == "taiwan_permit_format"
    assert error_code(T.PASSPORT, "E12") == "passport_format"
    assert error_code(T.PASSPORT, "E-1234567") == "passport_format"


def test_a_15_digit_card_becomes_its_18_digit_number_and_compares_equal():
    eighteen = make_resident_id(12, "130102", "19750304")
    fifteen = eighteen[:6] + eighteen[8:17]
    assert upgrade_legacy_resident_id(fifteen) == eighteen
    assert validate_document(T.RESIDENT_ID, fifteen) == eighteen
    assert comparable(fifteen) == comparable(eighteen.lower())
    assert error_code(T.RESIDENT_ID, "130102751304123") == "resident_id_birth_date"


def test_birth_date_only_from_documents_that_carry_one():
    assert birth_date(T.RESIDENCE_PERMIT, permit("82")) == datetime.date(1985, 6, 15)
    assert birth_date(T.PASSPORT, "E12345678") is None


@pytest.mark.django_db
def test_a_hong_kong_resident_officer_is_accepted_with_a_permit(orgs):
    officer = OfficerFactory()
    officer.id_document_type, officer.id_number, officer.birth_date = T.RESIDENCE_PERMIT, permit("81"), None
    officer.full_clean()
    assert officer.birth_date == datetime.date(1985, 6, 15)
    officer.id_document_type = T.RESIDENT_ID
    with pytest.raises(ValidationError) as caught:
        officer.full_clean()
    assert "id_number" in caught.value.message_dict


@pytest.mark.django_db
def test_the_workbook_takes_a_document_type_and_old_workbooks_still_import(hebei_admin):  # noqa: F811
    rows = [
        row(1, id_document_type="港澳居民来往内地通行证", id_number="H12345678"),
        row(2, id_document_type="台胞证", id_number="12345678"),
        row(3, id_document_type="护照", id_number="X"),
        row(4, id_document_type="驾照"),
    ]
    report = OfficerImporter(hebei_admin).run(workbook_bytes(rows))
    failed = {(error.row, error.header): error.message for error in report.errors}
    assert set(failed) == {(4, "证件号码*"), (5, "证件类型（单选）")}
    assert "17" in failed[(4, "证件号码*")]

    report = OfficerImporter(hebei_admin).run(workbook_bytes(rows[:2]))
    assert report.created == 2
    # A workbook of the earlier template: no document type column, the number under "身份证号*".
    index = [column.key for column in COLUMNS].index("id_document_type")
    old_headers = [("身份证号*" if h == "证件号码*" else h) for i, h in enumerate(HEADERS) if i != index]
    old_row = [value for i, value in enumerate(row(5)) if i != index]
    report = OfficerImporter(hebei_admin).run(workbook_bytes([old_row], headers=old_headers))
    assert report.errors == [] and report.created == 1


@pytest.mark.django_db
def test_a_bureau_keeps_the_legal_representatives_document_on_the_enterprise_form_audited(client, orgs, make_admin):
    enterprise = EnterpriseFactory(region_id="130102", legal_representative="", legal_representative_id_number="")
    client.force_login(make_admin(orgs.changan, role=Role.INSTITUTION))
    url = reverse("wagtailsnippets_registry_enterprise:edit", args=[enterprise.pk])
    data = {
        "uscc": enterprise.uscc,
        "name": enterprise.name,
        "legal_representative": "林台胞",
        "legal_representative_document_type": T.TAIWAN_PERMIT,
        "legal_representative_id_number": "H12345678",
        "registered_address": "",
        "region": "130102",
        "size": "",
    }
    response = client.post(url, data)
    assert "legal_representative_id_number" in response.context["form"].errors  # not a Taiwan permit number
    response = client.post(url, {**data, "legal_representative_id_number": "1234 5678"})
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert (enterprise.legal_representative_document_type, enterprise.legal_representative_id_number) == (
        T.TAIWAN_PERMIT,
        "12345678",
    )
    assert ModelLogEntry.objects.filter(action="wagtail.edit", object_id=str(enterprise.pk)).exists()
