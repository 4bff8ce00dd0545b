"""A data subject's copy of their data and erasure (issue 20 item 5): audited, scoped, statistics kept."""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry, Revision

from registry.models import ChiefQualityOfficer, User, certificate_expiry
from registry.officers.factories import OfficerFactory
from registry.officers.personal_data import ERASE_ACTION, SUBJECT_EXPORT_ACTION
from registry.statistics import queries

ADMIN = "wagtailsnippets_registry_chiefqualityofficer"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def officer(orgs, admins):
    """An approved 长安区 officer with a portal account, a stamped form and two revisions holding the person's data."""
    record = OfficerFactory(
        enterprise__region_id="130102",
        live=True,
        address="河北省石家庄市秘密街8号",
        certificate_valid_until=certificate_expiry(timezone.localdate().year),
    )
    record.account = User.objects.create(
        username="cqo-subject", mobile=record.mobile, kind=User.Kind.OFFICER, real_name=record.real_name
    )
    record.registration_form.save("登记表.pdf", ContentFile(PDF))
    record.save_revision(user=admins.changan)
    record.save_revision(user=admins.changan)
    return ChiefQualityOfficer.unscoped.get(pk=record.pk)


def personal_values(officer):
    return [officer.real_name, officer.mobile, officer.id_number, officer.email, officer.address]


@pytest.mark.django_db
def test_an_administrator_hands_the_person_a_copy_of_their_data_audited(client, admins, officer):
    client.force_login(admins.changan)
    response = client.get(reverse(f"{ADMIN}:subject_export", args=[officer.pk]))
    assert response.status_code == 200
    workbook = load_workbook(
        io.BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
    )
    data, history = workbook.worksheets
    cells = {row[0]: row[1] for row in data.iter_rows(values_only=True)}
    for value in personal_values(officer):
        assert value in cells.values()
    assert cells["性别"] == "男"  # labels, not codes
    assert history.max_row >= 2  # the record of processing: at least its creation
    entry = ModelLogEntry.objects.for_instance(officer).get(action=SUBJECT_EXPORT_ACTION)
    assert entry.user == admins.changan


@pytest.mark.django_db
def test_a_neighbouring_county_gets_no_copy(client, admins, officer):
    client.force_login(admins.qiaoxi)
    assert client.get(reverse(f"{ADMIN}:subject_export", args=[officer.pk])).status_code == 404


@pytest.mark.django_db
def test_a_provincial_administrator_erases_the_person_and_the_statistics_stay(client, admins, officer):
    before = queries.dashboard(None)
    old = personal_values(officer)
    form_name = officer.registration_form.name
    storage = officer.registration_form.storage
    assert client.get(reverse("talent_pool")).content.decode().count(officer.real_name) == 1

    client.force_login(admins.hebei)
    page = client.get(reverse(f"{ADMIN}:erase", args=[officer.pk]))
    assert page.status_code == 200
    response = client.post(reverse(f"{ADMIN}:erase", args=[officer.pk]), {"reason": "request", "comment": "本人申请"})
    assert response.status_code == 302

    erased = ChiefQualityOfficer.unscoped.get(pk=officer.pk)
    assert erased.erased_at is not None and erased.live
    kept = "\n".join(
        [str(revision.content) + revision.object_str for revision in Revision.objects.for_instance(erased)]
        + [entry.label + str(entry.data) for entry in ModelLogEntry.objects.for_instance(erased)]
        + [str(value) for value in personal_values(erased)]
    )
    assert Revision.objects.for_instance(erased).count() >= 2
    for value in old:
        assert value not in kept
    assert not storage.exists(form_name)
    account = User.objects.get(username__startswith="erased-")
    assert not account.is_active and account.mobile is None and account.real_name == ""
    assert old[0] not in client.get(reverse("talent_pool")).content.decode()
    assert queries.dashboard(None) == before
    entry = ModelLogEntry.objects.for_instance(erased).get(action=ERASE_ACTION)
    assert entry.user == admins.hebei and entry.data == {"reason": "request", "comment": "本人申请"}
    # Kept for the statistics only: nobody edits it, and nothing is left to copy or erase.
    assert client.get(reverse(f"{ADMIN}:edit", args=[officer.pk])).status_code in (302, 403)
    for view in ("erase", "subject_export"):  # refused: Wagtail sends the refused user to the dashboard
        assert client.get(reverse(f"{ADMIN}:{view}", args=[officer.pk])).status_code in (302, 403)
    assert client.get(reverse(f"{ADMIN}:registration_form", args=[officer.pk])).status_code == 404
    assert client.post(reverse(f"{ADMIN}:reset_password", args=[officer.pk])).status_code == 404
    client.force_login(admins.national)  # above the record, so it could revoke a live record's approval
    assert client.post(reverse(f"{ADMIN}:revoke", args=[officer.pk]), {"reason": "x"}).status_code in (302, 403)
    assert ChiefQualityOfficer.unscoped.get(pk=officer.pk).live


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["changan", "shijiazhuang", "beijing"])
def test_only_a_provincial_administrator_above_the_record_erases(client, admins, officer, who):
    client.force_login(getattr(admins, who))
    response = client.post(reverse(f"{ADMIN}:erase", args=[officer.pk]), {"reason": "request"})
    assert response.status_code in (302, 403, 404)
    assert ChiefQualityOfficer.unscoped.get(pk=officer.pk).erased_at is None
