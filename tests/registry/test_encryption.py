"""Issue 20 items 1 and 2: ID numbers encrypted at rest (rows, revisions, dumps), found by keyed hash, keys rotated;
ID numbers and mobiles masked in listings, inspect pages and exports, revealed whole with a reason (audited)."""

import datetime
import io
import os
import sqlite3
import subprocess
import tempfile

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry, Revision

from filings.standards.models import EnterpriseVerification
from registry import crypto as registry_crypto
from registry.crypto import decrypt, is_token, keyed_hash, mask_id_number, mask_mobile, reencrypt
from registry.factories import make_resident_id
from registry.models import ChiefQualityOfficer, Enterprise, Role, User
from registry.officers.importing import OfficerImporter
from registry.officers.personal_data import REVEAL_ACTION
from registry.reports import EXPORT_ACTION
from tests.registry.test_import_officers import row, workbook_bytes
from tests.registry.test_officers import ADMIN, make_officer

ID_NUMBER = make_resident_id(4242, "130102")


def raw(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def identifiers():
    """Every plain ID number the registry holds, read through the models (decrypted)."""
    values = set()
    for model, name in (
        (ChiefQualityOfficer, "id_number"),
        (Enterprise, "legal_representative_id_number"),
        (User, "id_number"),
        (EnterpriseVerification, "legal_representative_id_number"),
    ):
        values.update(v for v in model._base_manager.values_list(name, flat=True) if v)
    return values


def database_bytes():
    """The database as its file (SQLite: a page-for-page backup) or its dump (PostgreSQL: pg_dump)."""
    if connection.vendor == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "copy.sqlite3")
            target = sqlite3.connect(path)
            connection.ensure_connection()
            connection.connection.backup(target)
            target.close()
            with open(path, "rb") as file:
                return file.read()
    settings = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    command = ["pg_dump", "-h", settings["HOST"] or "127.0.0.1", "-p", str(settings["PORT"] or 5432)]
    command += ["-U", settings["USER"] or "postgres", settings["NAME"]]
    return subprocess.run(command, env=env, capture_output=True, check=True, timeout=300).stdout


@pytest.mark.django_db(transaction=True)
def test_database_file_and_dump_hold_no_plain_id_number(reference_data, orgs, make_admin):
    call_command("load_demo_data", verbosity=0, stdout=open(os.devnull, "w"))
    report = OfficerImporter(make_admin(orgs.changan)).run(workbook_bytes([row(1), row(2)]))
    assert report.errors == [] and report.created == 2
    officer = ChiefQualityOfficer.objects.order_by("-id").first()
    officer.save_revision()  # Wagtail's copy of the record
    values = identifiers()
    assert len(values) > 20 and officer.id_number in values
    dump = database_bytes()
    assert officer.real_name.encode() in dump  # the dump is readable: only the identifiers are not
    leaked = sorted(value for value in values if value.encode() in dump)
    assert leaked == []


@pytest.mark.django_db
def test_values_round_trip_and_rows_and_revisions_hold_tokens(orgs):
    officer = make_officer(orgs.changan, id_number=ID_NUMBER, birth_date=datetime.date(1980, 1, 1))
    stored = raw("registry_chiefqualityofficer", "id_number", officer.pk)
    assert is_token(stored) and ID_NUMBER not in stored and decrypt(stored) == ID_NUMBER
    assert ChiefQualityOfficer.objects.get(pk=officer.pk).id_number == ID_NUMBER
    assert raw("registry_chiefqualityofficer", "id_number_hash", officer.pk) == keyed_hash(ID_NUMBER)
    revision = officer.save_revision()
    content = Revision.objects.get(pk=revision.pk).content
    assert is_token(content["id_number"]) and ID_NUMBER not in str(content)
    assert revision.as_object().id_number == ID_NUMBER
    # the date of birth the number gives away: encrypted too, a date again when read
    officer.refresh_from_db()
    assert officer.birth_date == datetime.date(1980, 1, 1)
    assert is_token(raw("registry_chiefqualityofficer", "birth_date", officer.pk))
    assert is_token(content["birth_date"]) and revision.as_object().birth_date == datetime.date(1980, 1, 1)
    enterprise = officer.enterprise
    enterprise.legal_representative_id_number = ID_NUMBER
    enterprise.save()
    assert is_token(raw("registry_enterprise", "legal_representative_id_number", enterprise.pk))
    assert Enterprise.objects.get(legal_representative_id_number_hash=keyed_hash(ID_NUMBER)) == enterprise


@pytest.mark.django_db
def test_a_save_encrypts_each_value_once_for_the_row_and_its_revision(orgs, settings, monkeypatch):
    officer = make_officer(orgs.changan, id_number=ID_NUMBER, birth_date=datetime.date(1980, 1, 1))
    revision = officer.save_revision()
    content = Revision.objects.get(pk=revision.pk).content
    for column in ("id_number", "birth_date"):  # one token each, the row's and the revision's alike
        assert is_token(content[column]) and content[column] == raw("registry_chiefqualityofficer", column, officer.pk)
    encrypted = []
    cipher = type(registry_crypto.fernet())
    monkeypatch.setattr(
        cipher, "encrypt", lambda self, data, real=cipher.encrypt: encrypted.append(data) or real(self, data)
    )
    officer.id_number = make_resident_id(8)  # the only value changed: the only one encrypted again
    officer.save()
    officer.save_revision()
    assert encrypted == [make_resident_id(8).encode()]
    assert decrypt(raw("registry_chiefqualityofficer", "id_number", officer.pk)) == make_resident_id(8)
    # new keys: each value gets a token under the newest, whatever this instance encrypted before
    with override_settings(FIELD_ENCRYPTION_KEYS=[Fernet.generate_key().decode(), *settings.FIELD_ENCRYPTION_KEYS]):
        officer.save()
    assert encrypted[1:] == [make_resident_id(8).encode(), b"1980-01-01"]


@pytest.mark.django_db
def test_dumpdata_holds_tokens_and_loaddata_reads_them_back(orgs, tmp_path):
    officer = make_officer(orgs.changan, id_number=ID_NUMBER, birth_date=datetime.date(1980, 1, 1))
    dump = tmp_path / "officers.json"
    call_command("dumpdata", "registry.chiefqualityofficer", output=str(dump), verbosity=0)
    text = dump.read_text()
    assert officer.real_name in text  # readable: only the identifiers are not
    assert ID_NUMBER not in text and "1980-01-01" not in text
    ChiefQualityOfficer.unscoped.filter(pk=officer.pk).update(id_number="", birth_date=None)
    call_command("loaddata", str(dump), verbosity=0)
    restored = ChiefQualityOfficer.unscoped.get(pk=officer.pk)
    assert restored.id_number == ID_NUMBER and restored.birth_date == datetime.date(1980, 1, 1)


@pytest.mark.django_db
def test_lookups_go_through_the_keyed_hash(orgs):
    officer = make_officer(orgs.changan, id_number=ID_NUMBER.lower().replace("x", "X"))
    with pytest.raises(FieldError):
        list(ChiefQualityOfficer.objects.filter(id_number=ID_NUMBER))
    assert list(ChiefQualityOfficer.objects.filter(id_number_hash=keyed_hash(f" {ID_NUMBER} "))) == [officer]
    assert ChiefQualityOfficer.objects.filter(id_number="").count() == 0  # "is blank" still works


@pytest.mark.django_db
def test_one_account_per_id_number_is_still_enforced(orgs):
    User.objects.create(username="first", kind=User.Kind.ENTERPRISE, id_number=ID_NUMBER)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="second", kind=User.Kind.ENTERPRISE, id_number=ID_NUMBER)
    User.objects.create(username="third", kind=User.Kind.ENTERPRISE)  # no number: no clash
    User.objects.create(username="fourth", kind=User.Kind.ENTERPRISE)


@pytest.mark.django_db
def test_rotation_re_encrypts_every_value_and_revision_under_the_newest_key(orgs, settings):
    old_keys = list(settings.FIELD_ENCRYPTION_KEYS)
    officer = make_officer(orgs.changan, id_number=ID_NUMBER)
    revision = officer.save_revision()
    user = User.objects.create(username="holder", kind=User.Kind.ENTERPRISE, id_number=make_resident_id(7))
    new_key = Fernet.generate_key().decode()
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key, *old_keys]):
        # during the rotation both keys decrypt
        assert ChiefQualityOfficer.objects.get(pk=officer.pk).id_number == ID_NUMBER
        call_command("rotate_field_keys", batch_size=1, stdout=io.StringIO())
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key]):  # the old key dropped: everything still reads
        assert ChiefQualityOfficer.objects.get(pk=officer.pk).id_number == ID_NUMBER
        assert User.objects.get(pk=user.pk).id_number == make_resident_id(7)
        assert Revision.objects.get(pk=revision.pk).as_object().id_number == ID_NUMBER
    token = raw("registry_chiefqualityofficer", "id_number", officer.pk)
    assert Fernet(new_key.encode()).decrypt(token.encode()).decode() == ID_NUMBER


@pytest.mark.django_db
def test_the_migration_encrypts_rows_left_plain(orgs):
    officer = make_officer(orgs.changan, id_number=ID_NUMBER)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE registry_chiefqualityofficer SET id_number = %s, id_number_hash = NULL WHERE id = %s",
            [ID_NUMBER, officer.pk],
        )
    assert ChiefQualityOfficer.objects.get(pk=officer.pk).id_number == ID_NUMBER  # plain still reads
    reencrypt(ChiefQualityOfficer)
    assert is_token(raw("registry_chiefqualityofficer", "id_number", officer.pk))
    assert raw("registry_chiefqualityofficer", "id_number_hash", officer.pk) == keyed_hash(ID_NUMBER)


@pytest.mark.django_db(transaction=True)
def test_upgrading_a_registry_that_holds_records_encrypts_them(reference_data):
    """The upgrade a running site makes: rows written before encryption, then ``migrate``. On PostgreSQL the new
    columns' indexes must not be created in the transaction that rewrote the rows (pending deferred-key checks)."""
    from django.db.migrations.executor import MigrationExecutor

    before = [("registry", "0020_merge_training")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    Organisation = old_apps.get_model("registry", "Organisation")
    changan = Organisation.objects.get(division_id="130102")
    enterprise = old_apps.get_model("registry", "Enterprise").objects.create(
        uscc="91130102MA0000001X",
        name="升级前企业",
        legal_representative_id_number=make_resident_id(7, "130102"),
        region_id="130102",
        organisation=changan,
    )
    officer = old_apps.get_model("registry", "ChiefQualityOfficer").objects.create(
        enterprise=enterprise,
        organisation=changan,
        real_name="升级前",
        mobile="13900000001",
        id_number=ID_NUMBER,
        birth_date=datetime.date(1980, 1, 1),
        live=True,
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert is_token(raw("registry_chiefqualityofficer", "id_number", officer.pk))
    assert is_token(raw("registry_enterprise", "legal_representative_id_number", enterprise.pk))
    upgraded = ChiefQualityOfficer.unscoped.get(pk=officer.pk)
    assert (upgraded.id_number, upgraded.birth_date) == (ID_NUMBER, datetime.date(1980, 1, 1))
    assert ChiefQualityOfficer.unscoped.get(id_number_hash=keyed_hash(ID_NUMBER)).pk == officer.pk


def test_masks():
    assert mask_mobile("13812345678") == "138****5678"
    assert mask_id_number("130102198001015014") == "1301**********5014"
    assert mask_id_number("H1234567") == "********"
    assert mask_id_number("") == mask_mobile(None) == ""


# --- masked display and the audited reveal ---------------------------------------------------------------------


@pytest.fixture
def county(orgs, make_admin):
    return make_admin(orgs.changan, role=Role.INSTITUTION)


@pytest.mark.django_db
def test_inspect_page_masks_and_reveal_shows_whole_values_with_an_audit_entry(client, orgs, county):
    officer = make_officer(orgs.changan, id_number="130102198001015014", mobile="13812345678")
    client.force_login(county)
    listing = client.get(reverse(f"{ADMIN}:list")).content.decode()
    assert "138****5678" in listing and "13812345678" not in listing
    inspect = client.get(reverse(f"{ADMIN}:inspect", args=[officer.pk])).content.decode()
    assert "1301**********5014" in inspect and "138****5678" in inspect
    assert "130102198001015014" not in inspect and "13812345678" not in inspect
    reveal_url = reverse(f"{ADMIN}:reveal", args=[officer.pk])
    assert reveal_url in inspect
    form = client.get(reveal_url)
    assert form.status_code == 200 and "130102198001015014" not in form.content.decode()
    no_reason = client.post(reveal_url, {})
    assert "130102198001015014" not in no_reason.content.decode()
    assert not ModelLogEntry.objects.filter(action=REVEAL_ACTION).exists()
    revealed = client.post(reveal_url, {"reason": "contact"})
    page = revealed.content.decode()
    assert "130102198001015014" in page and "13812345678" in page
    assert "no-cache" in revealed["Cache-Control"] or "no-store" in revealed["Cache-Control"]
    entry = ModelLogEntry.objects.get(action=REVEAL_ACTION)
    assert entry.user == county and entry.object_id == str(officer.pk) and entry.data["reason"] == "contact"
    history = client.get(reverse(f"{ADMIN}:history", args=[officer.pk])).content.decode()
    assert "联系" in history or "Contacting the officer" in history


@pytest.mark.django_db
def test_oversight_roles_and_other_subtrees_cannot_reveal(client, orgs, make_admin):
    officer = make_officer(orgs.changan, id_number="130102198001015014", mobile="13812345678")
    reveal_url = reverse(f"{ADMIN}:reveal", args=[officer.pk])
    client.force_login(make_admin(orgs.national, role=Role.NATIONAL))
    assert reveal_url not in client.get(reverse(f"{ADMIN}:inspect", args=[officer.pk])).content.decode()
    refused = client.post(reveal_url, {"reason": "review"})  # PermissionDenied: Wagtail's redirect to the dashboard
    assert refused.status_code in (302, 403) and "13812345678" not in refused.content.decode()
    client.force_login(make_admin(orgs.qiaoxi))  # the neighbouring county
    assert client.post(reveal_url, {"reason": "review"}).status_code == 404
    assert not ModelLogEntry.objects.filter(action=REVEAL_ACTION).exists()


@pytest.mark.django_db
def test_exports_are_masked_unless_the_role_may_reveal_and_whole_exports_are_audited(client, orgs, make_admin):
    make_officer(orgs.changan, mobile="13812345678")
    url = reverse(f"{ADMIN}:list")

    def exported(user):
        client.force_login(user)
        response = client.get(url, {"export": "xlsx"})
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        return [cell.value for row in sheet.iter_rows() for cell in row]

    national = make_admin(orgs.national, role=Role.NATIONAL)
    assert "138****5678" in exported(national) and "13812345678" not in exported(national)
    county = make_admin(orgs.changan)
    assert "13812345678" in exported(county)
    entries = ModelLogEntry.objects.filter(action=EXPORT_ACTION)
    assert [entry.data.get("whole_values", False) for entry in entries.filter(user=county)] == [True]
    assert all("whole_values" not in entry.data for entry in entries.filter(user=national))


@pytest.mark.django_db
def test_listing_search_finds_a_whole_id_number_through_its_hash(client, orgs, county):
    officer = make_officer(orgs.changan, id_number="130102198001015014", mobile="13812345678")
    make_officer(orgs.changan, serial=2)
    client.force_login(county)
    url = reverse(f"{ADMIN}:list")

    def found(text):
        return [row.pk for row in client.get(url, {"q": text}).context["page_obj"].object_list]

    assert found("130102198001015014") == [officer.pk]
    assert found("１３０１０２１９８００１０１５０１４") == [officer.pk]  # full-width, as some input methods type it
    assert found("1301021980010150") == []  # part of a number: nothing (it is not stored in the clear)
    assert found("5678") == [officer.pk]  # any part of a mobile, as before
