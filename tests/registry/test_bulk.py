"""``registry.bulk``: the rows COPY writes are the rows Django's own ``save`` writes, whatever the values' types."""

import datetime

import pytest
from django.db import connection
from django.utils.translation import gettext_lazy

from registry.bulk import bulk_insert, copy_row
from registry.crypto import keyed_hash
from registry.factories import EnterpriseFactory, make_resident_id
from registry.models import ChiefQualityOfficer
from registry.models.officers import Gender
from registry.officers.factories import OfficerFactory

pytestmark = pytest.mark.django_db

#: Differ between the two records: keys, times, enterprises, the encrypted number and its hash (checked apart).
OWN = {"id", "enterprise_id", "enterprise_name", "created_at", "updated_at", "id_number", "id_number_hash"}


def officer_of_every_type(orgs, serial):
    return OfficerFactory.build(
        enterprise=EnterpriseFactory(organisation=orgs.changan),
        organisation=orgs.changan,
        real_name=gettext_lazy("Chief Quality Officer"),  # a lazy string where a str is expected
        gender=Gender.FEMALE,  # a choices member (a str subclass)
        postcode=100010,  # an integer in a text column
        quality_years="12",  # text in an integer column
        has_unpublished_changes=1,  # an integer in a boolean column
        remarks="备注",  # a plain str
        mobile="13912345678",
        email="qa@example.cn",
        id_number=make_resident_id(serial),
        birth_date=datetime.date(1980, 1, 1),
        appointment_date="2024-01-01",  # text in a date column
    )


def test_a_copy_row_holds_what_djangos_own_preparation_gives(orgs):
    """On any database: the values COPY would send are those ``bulk_create`` sends (times of the call aside)."""
    officer = officer_of_every_type(orgs, 3)
    officer.pk = 1_000_000
    fields = ChiefQualityOfficer._meta.concrete_fields
    expected = [field.get_db_prep_save(field.pre_save(officer, True), connection) for field in fields]
    row = copy_row(ChiefQualityOfficer, connection)(officer)
    timed = [i for i, field in enumerate(fields) if getattr(field, "auto_now", 0) or getattr(field, "auto_now_add", 0)]
    assert [value for i, value in enumerate(row) if i not in timed] == [
        value for i, value in enumerate(expected) if i not in timed
    ]
    assert row[[field.attname for field in fields].index("postcode")] == "100010"


def test_bulk_insert_writes_what_save_writes_for_values_of_every_type(orgs):
    saved, inserted = officer_of_every_type(orgs, 1), officer_of_every_type(orgs, 2)
    saved.save()
    bulk_insert(ChiefQualityOfficer, [inserted])
    columns = [field.attname for field in ChiefQualityOfficer._meta.concrete_fields if field.attname not in OWN]
    rows = ChiefQualityOfficer.unscoped.filter(pk__in=[saved.pk, inserted.pk]).order_by("pk").values(*columns)
    assert rows[0] == rows[1]
    assert rows[1]["postcode"] == "100010" and rows[1]["quality_years"] == 12 and rows[1]["real_name"] == "首席质量官"
    written = ChiefQualityOfficer.unscoped.get(pk=inserted.pk)
    assert written.id_number == make_resident_id(2) and written.id_number_hash == keyed_hash(make_resident_id(2))
    assert written.birth_date == datetime.date(1980, 1, 1)
