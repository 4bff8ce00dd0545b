"""The officer registry: constraint, review lifecycle (approve, revoke, reject), scoping, filters, export, PDF."""

import io

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader
from wagtail.models import ModelLogEntry, WorkflowState

from registry.factories import EnterpriseFactory, make_mobile, make_resident_id, make_uscc
from registry.models import ChiefQualityOfficer, ReviewStatus, Role, User
from registry.officers.submission import submit

ADMIN = "wagtailsnippets_registry_chiefqualityofficer"


def make_officer(organisation, region="130102", serial=1, live=False, **kwargs):
    enterprise = EnterpriseFactory(uscc=make_uscc(900_000 + serial, region), region_id=region)
    defaults = {
        "real_name": f"李质量{serial}",
        "gender": "M",
        "mobile": make_mobile(80_000 + serial),
        "id_number": make_resident_id(serial, "130102"),
        "email": f"li{serial}@example.cn",
        "live": live,
    }
    defaults.update(kwargs)
    return ChiefQualityOfficer.objects.create(enterprise=enterprise, organisation=organisation, **defaults)


@pytest.fixture
def admins(orgs, make_admin):
    class Admins:
        changan = make_admin(orgs.changan)
        changan_colleague = make_admin(orgs.changan)
        qiaoxi = make_admin(orgs.qiaoxi)
        shijiazhuang = make_admin(orgs.shijiazhuang)
        hebei = make_admin(orgs.hebei, role=Role.PROVINCIAL)
        beijing = make_admin(orgs.beijing, role=Role.PROVINCIAL)

    return Admins


@pytest.mark.django_db
def test_one_officer_per_enterprise_is_a_database_constraint_with_a_clear_message(orgs):
    officer = make_officer(orgs.changan)
    duplicate = ChiefQualityOfficer(
        enterprise=officer.enterprise, organisation=orgs.changan, real_name="第二人", gender="F", mobile=make_mobile(5)
    )
    with pytest.raises(Exception) as error:
        duplicate.full_clean()
    assert "每家企业只能有一名" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


@pytest.mark.django_db
def test_submitter_cannot_approve_but_a_colleague_of_the_same_organisation_can(client, admins, orgs):
    officer = make_officer(orgs.changan)
    submit(officer, admins.changan)
    task = officer.current_workflow_task
    assert not task.user_can_approve(officer, admins.changan)
    assert not task.user_can_approve(officer, admins.qiaoxi)
    assert not task.user_can_approve(officer, admins.hebei)  # approval is the record's own organisation
    assert task.user_can_approve(officer, admins.changan_colleague)

    client.force_login(admins.changan_colleague)
    state = officer.current_workflow_state
    url = reverse(f"{ADMIN}:workflow_action", args=[officer.pk, "approve", state.current_task_state.pk])
    response = client.post(url, {"comment": "材料齐全"})
    assert response.status_code in (200, 302)
    officer.refresh_from_db()
    assert officer.live is True
    assert officer.review_status == ReviewStatus.APPROVED


@pytest.mark.django_db
def test_ancestor_administrator_revokes_an_approval_back_to_pending_with_the_reason_logged(client, admins, orgs):
    officer = make_officer(orgs.changan, live=True)
    revoke_url = reverse(f"{ADMIN}:revoke", args=[officer.pk])

    client.force_login(admins.changan)  # the record's own organisation cannot revoke (Wagtail: redirect home)
    assert client.post(revoke_url, {"reason": "x"})["Location"] == "/admin/"
    officer.refresh_from_db()
    assert officer.live is True
    client.force_login(admins.qiaoxi)  # neighbour: outside the subtree
    assert client.get(revoke_url).status_code == 404

    client.force_login(admins.shijiazhuang)
    response = client.post(revoke_url, {"reason": "身份证复印件不清晰"})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.live is False
    assert officer.review_status == ReviewStatus.REVOKED
    assert officer.review_comment == "身份证复印件不清晰"
    assert WorkflowState.objects.for_instance(officer).filter(status=WorkflowState.STATUS_IN_PROGRESS).exists()
    entry = ModelLogEntry.objects.get(object_id=str(officer.pk), action="registry.officer.revoke")
    assert entry.user == admins.shijiazhuang and entry.data["comment"] == "身份证复印件不清晰"

    history = client.get(reverse(f"{ADMIN}:history", args=[officer.pk]))
    assert "身份证复印件不清晰" in history.content.decode()


@pytest.mark.django_db
def test_ancestor_administrator_can_reject(client, admins, orgs):
    officer = make_officer(orgs.changan, live=True)
    client.force_login(admins.hebei)
    listing = client.get(reverse(f"{ADMIN}:list")).content.decode()
    assert reverse(f"{ADMIN}:revoke", args=[officer.pk]) in listing
    assert reverse(f"{ADMIN}:import") in listing
    client.post(reverse(f"{ADMIN}:revoke", args=[officer.pk]), {"reason": "非本企业人员", "reject": "on"})
    officer.refresh_from_db()
    assert (officer.live, officer.review_status) == (False, ReviewStatus.REJECTED)
    assert not WorkflowState.objects.for_instance(officer).filter(status=WorkflowState.STATUS_IN_PROGRESS).exists()


@pytest.mark.django_db
def test_records_outside_the_subtree_answer_404(client, admins, orgs):
    officer = make_officer(orgs.changan)
    for name in ("edit", "history", "registration_form", "inspect"):
        client.force_login(admins.qiaoxi)
        assert client.get(reverse(f"{ADMIN}:{name}", args=[officer.pk])).status_code == 404, name
        client.force_login(admins.beijing)
        assert client.get(reverse(f"{ADMIN}:{name}", args=[officer.pk])).status_code == 404, name
    client.force_login(admins.hebei)
    assert client.get(reverse(f"{ADMIN}:edit", args=[officer.pk])).status_code == 200


@pytest.mark.django_db
def test_listing_filters_and_scopes(client, admins, orgs):
    make_officer(orgs.changan, serial=1, real_name="赵一", appointment_date="2023-05-01")
    make_officer(orgs.qiaoxi, region="130104", serial=2, real_name="钱二", appointment_date="2024-05-01")
    make_officer(orgs.chaoyang, region="110105", serial=3, real_name="孙三")
    client.force_login(admins.hebei)
    listing = reverse(f"{ADMIN}:list")

    def names(**params):
        content = client.get(listing, params).content.decode()
        return {name for name in ("赵一", "钱二", "孙三") if name in content}

    assert names() == {"赵一", "钱二"}
    assert names(region="130104") == {"钱二"}
    assert names(region="130100") == {"赵一", "钱二"}
    assert names(region="110000") == set()
    assert names(q="赵") == {"赵一"}
    assert names(appointment_year="2024") == {"钱二"}
    assert names(q=make_mobile(80_002)[-4:]) == {"钱二"}
    client.force_login(admins.changan)
    assert names() == {"赵一"}


@pytest.mark.django_db
def test_export_csv_has_a_byte_order_mark_and_xlsx_local_times(client, admins, orgs):
    officer = make_officer(orgs.changan)
    client.force_login(admins.changan)
    csv = b"".join(client.get(reverse(f"{ADMIN}:list"), {"export": "csv"}).streaming_content)
    assert csv.startswith("\ufeff".encode())
    assert officer.real_name in csv.decode("utf-8-sig")
    xlsx = client.get(reverse(f"{ADMIN}:list"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    created = [cell.value for cell in sheet[2]][-1]
    from django.utils import timezone

    assert created.replace(second=0, microsecond=0) == timezone.localtime(officer.created_at).replace(
        tzinfo=None, second=0, microsecond=0
    )


@pytest.mark.django_db
def test_registration_form_pdf_has_searchable_chinese_text(client, admins, orgs):
    officer = make_officer(orgs.changan, work_history="2010年起任质量部经理，获省质量奖。")
    client.force_login(admins.changan)
    response = client.get(reverse(f"{ADMIN}:registration_form", args=[officer.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in ("企业首席质量官基本信息登记表", officer.real_name, officer.enterprise.name, "获省质量奖"):
        assert expected in text.replace(" ", "").replace("\n", "")


@pytest.mark.django_db
def test_password_reset_gives_a_one_time_password_and_disabled_officers_cannot_log_in(client, admins, orgs):
    officer = make_officer(orgs.changan)
    client.force_login(admins.changan)
    response = client.post(reverse(f"{ADMIN}:reset_password", args=[officer.pk]))
    password = response.context["password"]
    officer.refresh_from_db()
    account = officer.account
    assert account.kind == User.Kind.OFFICER and account.must_change_password
    assert account.check_password(password)
    officer.enabled = False
    officer.save()
    account.refresh_from_db()
    assert account.is_active is False


@pytest.mark.django_db
def test_admin_entered_record_is_reviewed_by_the_entering_unit_and_duplicates_are_explained(client, admins, orgs):
    enterprise = EnterpriseFactory(uscc=make_uscc(990_001, "130102"), region_id="130102")
    client.force_login(admins.shijiazhuang)
    data = {
        "enterprise": enterprise.pk,
        "real_name": "郑录入",
        "gender": "F",
        "mobile": "13811112222",
        "enabled": "on",
        "action-submit": "submit",
    }
    response = client.post(reverse(f"{ADMIN}:add"), data)
    assert response.status_code == 302, response.context["form"].errors
    officer = ChiefQualityOfficer.unscoped.get(real_name="郑录入")
    assert officer.organisation == orgs.shijiazhuang and not officer.live
    assert officer.current_workflow_state.requested_by == admins.shijiazhuang

    response = client.post(reverse(f"{ADMIN}:add"), {**data, "real_name": "第二位"})
    assert response.status_code == 200
    assert "每家企业只能有一名" in response.content.decode()
    assert "第二位" in response.content.decode()  # what the user typed is kept


@pytest.mark.django_db
def test_listing_count_is_capped_for_huge_registries(orgs, monkeypatch):
    from registry import pagination

    for serial in range(1, 5):
        make_officer(orgs.changan, serial=serial)
    monkeypatch.setattr(pagination, "COUNT_CAP", 2)
    paginator = pagination.CappedCountPaginator(ChiefQualityOfficer.unscoped.order_by("-id"), 1)
    assert paginator.count == 3
    assert paginator.items_count_label.startswith("2+")
    page = paginator.page(4)  # pages past the counted ones still answer, and know there is no fifth
    assert len(page.object_list) == 1 and not page.has_next()


@pytest.mark.django_db
def test_a_first_page_brings_its_capped_count_in_the_same_statement(orgs, monkeypatch, django_assert_num_queries):
    """Two statements cost two round trips, most of a first page's time on a busy database server: the page's rows
    carry the capped count. A page past the last row counts on its own."""
    from registry import pagination

    for serial in range(1, 5):
        make_officer(orgs.changan, serial=serial)
    monkeypatch.setattr(pagination, "COUNT_CAP", 2)
    queryset = ChiefQualityOfficer.unscoped.select_related("enterprise").order_by("-id")
    paginator = pagination.CappedCountPaginator(queryset, 2)
    with django_assert_num_queries(1):
        page = paginator.page(1)
        assert paginator.count == 3 and paginator.count_capped and page.has_next()
    paginator = pagination.CappedCountPaginator(ChiefQualityOfficer.unscoped.filter(real_name="李质量4"), 2)
    with django_assert_num_queries(1):
        assert len(paginator.page(1).object_list) == 1 and paginator.count == 1
    paginator = pagination.CappedCountPaginator(queryset, 2)
    with django_assert_num_queries(2):
        assert not paginator.page(9).object_list and paginator.count == 3


@pytest.mark.django_db
def test_rows_read_whole_are_counted_as_they_are_read(orgs, monkeypatch, django_assert_num_queries):
    """A page whose statement reads every matching row anyway (the workflow reports' gathered ids) counts them with a
    window over those rows, not a second pass: the same count, capped as the subquery's, with a filter applied."""
    from registry import pagination

    for serial in range(1, 6):
        make_officer(orgs.changan, serial=serial)
    monkeypatch.setattr(pagination, "COUNT_CAP", 4)
    queryset = ChiefQualityOfficer.unscoped.exclude(real_name="李质量5").order_by("-id")
    paginator = pagination.CappedCountPaginator(queryset, 2, count_every_row_read=True)
    with django_assert_num_queries(1) as captured:
        page = paginator.page(2)
        assert paginator.count == 4 and not paginator.count_capped and not page.has_next()
    assert "OVER ()" in captured.captured_queries[0]["sql"]
    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    paginator = pagination.CappedCountPaginator(
        ChiefQualityOfficer.unscoped.order_by("-id"), 2, count_every_row_read=True
    )
    assert len(paginator.page(1).object_list) == 2 and paginator.count == 4 and paginator.count_capped
    joined = ChiefQualityOfficer.unscoped.filter(enterprise__name__contains="").distinct().order_by("-id")
    paginator = pagination.CappedCountPaginator(joined, 2, count_every_row_read=True)
    with django_assert_num_queries(1) as captured:
        paginator.page(1)
    assert "OVER ()" not in captured.captured_queries[0]["sql"]  # a window would count the rows before DISTINCT


@pytest.mark.django_db
def test_cursor_pages_walk_the_listing_like_offsets_do(orgs, django_assert_max_num_queries):
    from registry.pagination import CappedCountPaginator

    for serial in range(1, 8):
        make_officer(orgs.changan, serial=serial)
    queryset = ChiefQualityOfficer.unscoped.order_by("-id")
    expected = list(queryset.values_list("pk", flat=True))
    walked, page, number = [], None, 1
    while True:
        after = page.next_cursor if page else None
        with django_assert_max_num_queries(1):  # a cursor page: no count, no offset
            page = CappedCountPaginator(queryset, 3, after=after).page(number)
        walked += [officer.pk for officer in page.object_list]
        if not page.has_next():
            break
        number += 1
    assert walked == expected and number == 3
    back = CappedCountPaginator(queryset, 3, before=expected[6]).page(3)
    assert [officer.pk for officer in back.object_list] == expected[3:6] and back.has_previous()
    assert not CappedCountPaginator(queryset, 3, before=expected[3]).page(2).has_previous()
    # Ordered by anything but id, a cursor cannot follow the listing: it falls back to offsets.
    by_name = CappedCountPaginator(ChiefQualityOfficer.unscoped.order_by("real_name"), 3, after=expected[0])
    assert [officer.real_name for officer in by_name.page(1).object_list] == ["李质量1", "李质量2", "李质量3"]


@pytest.mark.django_db
def test_admin_listing_next_link_carries_the_cursor(client, admins, orgs, monkeypatch):
    from registry.officers.viewsets import OfficerIndexView

    monkeypatch.setattr(OfficerIndexView, "get_paginate_by", lambda view, queryset: 2)
    officers = [make_officer(orgs.changan, serial=serial) for serial in range(1, 6)]
    make_officer(orgs.qiaoxi, region="130104", serial=9)  # a neighbour's record never enters the walk
    client.force_login(admins.changan)
    url = reverse(f"{ADMIN}:list")
    first = client.get(url)
    assert [officer.pk for officer in first.context["page_obj"].object_list] == [officers[4].pk, officers[3].pk]
    assert f"after={officers[3].pk}" in first.content.decode()
    second = client.get(url, {"p": 2, "after": officers[3].pk})
    assert [officer.pk for officer in second.context["page_obj"].object_list] == [officers[2].pk, officers[1].pk]
    last = client.get(url, {"p": 3, "after": officers[1].pk})
    assert [officer.pk for officer in last.context["page_obj"].object_list] == [officers[0].pk]
    assert not last.context["page_obj"].has_next()
    assert f"before={officers[0].pk}" in last.content.decode()


@pytest.mark.django_db
def test_listing_masks_phone_numbers_for_every_role(client, admins, orgs, make_admin):
    """Minimum necessary display (issue 20): masked in the listing for oversight and for the province that
    contacts its officers alike; the whole number is the record's audited reveal (tests/registry/test_encryption.py)."""
    officer = make_officer(orgs.changan, mobile="13912345678")
    for user in (make_admin(orgs.national, role=Role.NATIONAL), admins.hebei):
        client.force_login(user)
        view = client.get(reverse(f"{ADMIN}:list")).content.decode()
        assert "139****5678" in view and officer.mobile not in view


@pytest.mark.django_db
def test_listing_loads_every_row_state_with_its_page(client, admins, orgs):
    """The listing loads only some columns (LISTED_FIELDS): locked, expired and live-with-draft rows must not
    fetch a missing column one row at a time."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    def add_rows(start):
        make_officer(orgs.changan, serial=start, locked=True, locked_by=admins.changan, locked_at=timezone.now())
        make_officer(orgs.changan, serial=start + 1, expired=True)
        make_officer(orgs.changan, serial=start + 2, live=True, has_unpublished_changes=True)

    def queries():
        with CaptureQueriesContext(connection) as context:
            response = client.get(reverse(f"{ADMIN}:list"))
        assert response.status_code == 200
        return len(context.captured_queries)

    client.force_login(admins.changan)
    add_rows(1)
    queries()  # the first request of a session loads what later ones find cached
    few = queries()
    add_rows(4)
    add_rows(7)
    assert queries() == few
