"""Officer review: the approver rule (own unit's other administrators and the parent unit, never the submitter, by any
path), the dashboard's review queues at constant query counts, and 批量审核 (bulk approve and reject)."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook
from wagtail.models import ModelLogEntry, Revision, TaskState, WorkflowState

from cqosite import pagecache
from registry.models import ChiefQualityOfficer, ReviewJob, ReviewStatus, Role, certificate_expiry
from registry.officers.columns import COLUMNS
from registry.officers.factories import import_row
from registry.officers.importing import OfficerImporter
from registry.officers.review import review_chunk, reviewable_states
from registry.officers.submission import officer_task

ADMIN = "wagtailsnippets_registry_chiefqualityofficer"
pytestmark = pytest.mark.django_db


def workbook(serials, region="130102"):
    book = Workbook()
    sheet = book.active
    sheet.append([column.header for column in COLUMNS])
    for serial in serials:
        sheet.append(import_row(serial, region=region))
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def import_officers(user, serials, region="130102"):
    report = OfficerImporter(user).run(workbook(serials, region))
    assert report.written, [error.message for error in report.errors]
    return report


@pytest.fixture
def admins(orgs, make_admin):
    class Admins:
        changan = make_admin(orgs.changan)
        changan_colleague = make_admin(orgs.changan)
        qiaoxi = make_admin(orgs.qiaoxi)  # 桥西区 has a single administrator
        shijiazhuang = make_admin(orgs.shijiazhuang)
        tangshan = make_admin(orgs.tangshan)
        hebei = make_admin(orgs.hebei, role=Role.PROVINCIAL)
        national = make_admin(orgs.national, role=Role.NATIONAL)

    return Admins


def pending(region_officers):
    return {state.workflow_state.object_id for state in region_officers}


def officer_state(officer):
    return WorkflowState.objects.for_instance(officer).get(status=WorkflowState.STATUS_IN_PROGRESS).current_task_state


def test_the_rule_one_admin_county_is_approved_by_its_city_and_nobody_approves_their_own(admins, orgs):
    import_officers(admins.qiaoxi, [1, 2], region="130104")
    officer = ChiefQualityOfficer.unscoped.get(real_name="王质量1")
    assert officer.organisation == orgs.qiaoxi
    task = officer_task()
    assert task.user_can_approve(officer, admins.shijiazhuang)  # the parent unit
    assert not task.user_can_approve(officer, admins.qiaoxi)  # the submitter, alone in the county
    for outsider in (admins.changan, admins.tangshan, admins.hebei, admins.national):
        assert not task.user_can_approve(officer, outsider)
    assert set(task.approvers(officer)) == {admins.qiaoxi, admins.shijiazhuang}  # qiaoxi is excluded as submitter

    # The query form answers exactly as the per-object form, for every user.
    ids = {str(pk) for pk in ChiefQualityOfficer.unscoped.values_list("pk", flat=True)}
    for user in vars(admins).values():
        if not hasattr(user, "pk"):
            continue
        listed = set(reviewable_states(user).values_list("workflow_state__object_id", flat=True))
        expected = {pk for pk in ids if task.user_can_approve(ChiefQualityOfficer.unscoped.get(pk=pk), user)}
        assert listed == expected, user.organisation.name


def test_same_unit_colleague_and_parent_unit_approve_but_the_province_does_not(admins):
    import_officers(admins.changan, [1])
    officer = ChiefQualityOfficer.unscoped.get()
    task = officer_task()
    assert task.user_can_approve(officer, admins.changan_colleague)
    assert task.user_can_approve(officer, admins.shijiazhuang)
    assert not task.user_can_approve(officer, admins.changan)
    assert not task.user_can_approve(officer, admins.hebei)
    admins.changan_colleague.is_active = False
    admins.changan_colleague.save()
    assert not task.user_can_approve(officer, admins.changan_colleague)  # disabled accounts never approve


def test_the_submitter_cannot_publish_by_any_path(client, admins):
    import_officers(admins.qiaoxi, [1], region="130104")
    officer = ChiefQualityOfficer.unscoped.get()
    state = officer_state(officer)
    client.force_login(admins.qiaoxi)

    # The workflow action URL.
    client.post(reverse(f"{ADMIN}:workflow_action", args=[officer.pk, "approve", state.pk]), {"comment": ""})
    # The edit view's 更多动作 → 发布 (no menu item, and the posted action is refused).
    edit = client.get(reverse(f"{ADMIN}:edit", args=[officer.pk])).content.decode()
    assert 'name="action-publish"' not in edit
    form = {
        "enterprise": officer.enterprise_id,
        "real_name": officer.real_name,
        "gender": officer.gender,
        "mobile": officer.mobile,
        "enabled": "on",
        "action-publish": "publish",
    }
    client.post(reverse(f"{ADMIN}:edit", args=[officer.pk]), form)
    # The bulk action: none of their own records is offered.
    bulk = reverse("wagtail_bulk_action", args=["registry", "chiefqualityofficer", "review"])
    response = client.post(f"{bulk}?id={officer.pk}", {"decision": "approve"})
    assert response.status_code in (302, 403) and not ReviewJob.objects.exists()
    officer.refresh_from_db()
    assert not officer.live and officer.review_status == ReviewStatus.PENDING
    assert not ModelLogEntry.objects.filter(object_id=str(officer.pk), action="wagtail.publish").exists()

    # A superuser is refused the edit view's publish too: publishing is approval.
    from registry.models import User

    root = User.objects.create_superuser("root", password="Test-pass-123")
    client.force_login(root)
    client.post(reverse(f"{ADMIN}:edit", args=[officer.pk]), form)
    officer.refresh_from_db()
    assert not officer.live

    # The city approves through the same URL, and that publishes.
    client.force_login(admins.shijiazhuang)
    client.post(reverse(f"{ADMIN}:workflow_action", args=[officer.pk, "approve", state.pk]), {"comment": "同意"})
    officer.refresh_from_db()
    assert officer.live and officer.review_status == ReviewStatus.APPROVED


def test_a_record_saved_as_a_draft_in_the_add_form_goes_into_review(client, admins, orgs):
    from registry.factories import EnterpriseFactory, make_uscc

    enterprise = EnterpriseFactory(uscc=make_uscc(990_002, "130102"), region_id="130102")
    client.force_login(admins.changan)
    data = {"enterprise": enterprise.pk, "real_name": "郑草稿", "gender": "F", "mobile": "13811113333", "enabled": "on"}
    assert client.post(reverse(f"{ADMIN}:add"), data).status_code == 302
    officer = ChiefQualityOfficer.unscoped.get(real_name="郑草稿")
    assert not officer.live
    assert officer.current_workflow_state.requested_by == admins.changan


def dashboard_queries(client, user):
    client.force_login(user)
    client.get("/admin/")  # warm per-process caches (content types, site root)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/admin/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_dashboard_query_count_is_the_same_with_5_and_500_records_awaiting_review(client, admins):
    import_officers(admins.changan, range(1, 6))
    users = {
        "county colleague": admins.changan_colleague,
        "county submitter": admins.changan,
        "city": admins.shijiazhuang,
        "province": admins.hebei,
    }
    few = {name: dashboard_queries(client, user) for name, user in users.items()}
    assert 'data-awaiting-review-total="5"' in few["city"][1]
    assert 'data-awaiting-review-total="5"' in few["county colleague"][1]
    assert "awaiting-review" not in few["county submitter"][1]
    import_officers(admins.changan, range(6, 501))
    many = {name: dashboard_queries(client, user) for name, user in users.items()}
    assert 'data-awaiting-review-total="500"' in many["city"][1]
    assert {name: count for name, (count, _html) in many.items()} == {
        name: count for name, (count, _html) in few.items()
    }


def approve_through_wagtail(client, user, officer):
    client.force_login(user)
    state = officer_state(officer)
    url = reverse(f"{ADMIN}:workflow_action", args=[officer.pk, "approve", state.pk])
    assert client.post(url, {"comment": "材料齐全"}).status_code in (200, 302)


def footprint(officer):
    """What an approval leaves behind for one record, minus ids and timestamps."""
    officer = ChiefQualityOfficer.unscoped.get(pk=officer.pk)
    workflow_state = WorkflowState.objects.for_instance(officer).get()
    task_state = workflow_state.current_task_state
    entries = ModelLogEntry.objects.filter(object_id=str(officer.pk)).order_by("pk")
    return {
        "officer": (
            officer.live,
            officer.has_unpublished_changes,
            officer.live_revision_id == officer.latest_revision_id,
            officer.first_published_at is not None,
            officer.last_published_at is not None,
            officer.review_status,
            officer.review_comment,
        ),
        "workflow": (workflow_state.status, workflow_state.current_task_state_id == task_state.pk),
        "task": (task_state.status, task_state.finished_by_id, task_state.comment, task_state.finished_at is not None),
        "revisions": list(Revision.objects.for_instance(officer).values_list("approved_go_live_at", flat=True)),
        "log": [
            (
                entry.action,
                entry.user_id,
                entry.label,
                entry.revision_id == task_state.revision_id,
                entry.content_changed,
                {key: value for key, value in entry.data.get("workflow", {}).items() if key != "task_state_id"},
                entry.data.get("comment"),
            )
            for entry in entries
        ],
    }


def strip_names(footprint_):
    footprint_["log"] = [entry[:2] + entry[3:] for entry in footprint_["log"]]
    return footprint_


def test_bulk_approval_leaves_the_same_rows_as_wagtails_approve(client, admins):
    import_officers(admins.changan, [1, 2])
    by_wagtail, by_bulk = ChiefQualityOfficer.unscoped.order_by("pk")
    approve_through_wagtail(client, admins.shijiazhuang, by_wagtail)
    talent_pool = pagecache.generation_of(ChiefQualityOfficer)
    generation = talent_pool.current()
    assert review_chunk(admins.shijiazhuang, [by_bulk.pk], "approve", "材料齐全") == 1
    assert talent_pool.current() != generation  # the talent pool's cached pages show the approval
    expected, actual = strip_names(footprint(by_wagtail)), strip_names(footprint(by_bulk))
    assert actual == expected
    assert expected["officer"][0] is True and [entry[0] for entry in expected["log"]] == [
        "wagtail.workflow.start",
        "wagtail.workflow.approve",
        "wagtail.publish",
    ]
    assert footprint(by_bulk)["log"][-1][2] == str(by_bulk)  # history labelled like Wagtail's


def test_bulk_rejection_leaves_the_same_rows_as_wagtails_reject(client, admins):
    import_officers(admins.changan, [1, 2])
    by_wagtail, by_bulk = ChiefQualityOfficer.unscoped.order_by("pk")
    client.force_login(admins.shijiazhuang)
    state = officer_state(by_wagtail)
    client.post(
        reverse(f"{ADMIN}:workflow_action", args=[by_wagtail.pk, "reject", state.pk]), {"comment": "身份证号有误"}
    )
    with pytest.raises(ValueError):
        review_chunk(admins.shijiazhuang, [by_bulk.pk], "reject", " ")
    assert review_chunk(admins.shijiazhuang, [by_bulk.pk], "reject", "身份证号有误") == 1
    expected, actual = strip_names(footprint(by_wagtail)), strip_names(footprint(by_bulk))
    assert actual == expected
    assert expected["officer"][-2:] == (ReviewStatus.REJECTED, "身份证号有误")
    assert expected["workflow"][0] == WorkflowState.STATUS_NEEDS_CHANGES


def test_bulk_review_of_all_matching_the_filter_runs_as_a_job_with_progress_and_an_audit_entry(
    client, admins, django_capture_on_commit_callbacks
):
    import_officers(admins.changan, range(1, 31))
    import_officers(admins.qiaoxi, range(31, 36), region="130104")
    mine = import_officers(admins.shijiazhuang, [36], region="130102")  # the city's own: not theirs to review
    assert mine.created == 1
    client.force_login(admins.shijiazhuang)
    listing = reverse(f"{ADMIN}:list")
    bulk = reverse("wagtail_bulk_action", args=["registry", "chiefqualityofficer", "review"])
    page = client.get(listing).content.decode()
    assert bulk in page  # the "review all matching" header button

    awaiting = client.get(f"{listing}?awaiting=me").content.decode()  # 待我审核
    assert "王质量35" in awaiting and "王质量36" not in awaiting

    url = f"{bulk}?id=all&next={listing}%3Freview_status%3Dpending"
    confirm = client.get(url)
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert 'data-count="35"' in html and "bulk-review-skipped" in html

    response = client.post(url, {"decision": "reject", "reason": ""})
    assert response.status_code == 200 and not ReviewJob.objects.exists()  # a rejection needs its reason

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "approve", "reason": ""})
    job = ReviewJob.objects.get()
    assert response["Location"] == reverse(f"{ADMIN}:review_job", args=[job.pk])
    assert (job.status, job.reviewed_count, job.skipped_count, job.progress_percent) == ("done", 35, 0, 100)
    assert client.get(response["Location"] + "?format=json").json()["finished"] is True
    assert "35" in client.get(response["Location"]).content.decode()
    assert ChiefQualityOfficer.unscoped.filter(live=True).count() == 35
    assert not ChiefQualityOfficer.unscoped.get(real_name="王质量36").live
    assert ModelLogEntry.objects.filter(action="registry.officer.bulk_review", user=admins.shijiazhuang).exists()
    assert TaskState.objects.filter(status="approved", finished_by=admins.shijiazhuang).count() == 35

    # The talent pool lists them once they hold a valid certificate (training issues them: tests/training).
    ChiefQualityOfficer.unscoped.update(certificate_valid_until=certificate_expiry(2100))
    pool = client.get("/talent-pool/").content.decode()
    assert "王质量35" in pool and "王质量36" not in pool


def test_selected_records_outside_the_users_review_are_skipped(client, admins, django_capture_on_commit_callbacks):
    import_officers(admins.changan, [1, 2, 3])
    ids = list(ChiefQualityOfficer.unscoped.order_by("pk").values_list("pk", flat=True))
    client.force_login(admins.changan_colleague)
    review_chunk(admins.changan_colleague, ids[:1], "approve")  # already decided when the job runs
    bulk = reverse("wagtail_bulk_action", args=["registry", "chiefqualityofficer", "review"])
    url = f"{bulk}?" + "&".join(f"id={pk}" for pk in ids)
    assert 'data-count="2"' in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"decision": "reject", "reason": "请补充登记表"})
    job = ReviewJob.objects.get()
    assert (job.reviewed_count, job.skipped_count) == (2, 0)
    assert ChiefQualityOfficer.unscoped.filter(review_status=ReviewStatus.REJECTED).count() == 2
    history = client.get(reverse(f"{ADMIN}:history", args=[ids[1]])).content.decode()
    assert "请补充登记表" in history


def awaiting_listing_queries(client, user):
    client.force_login(user)
    url = reverse(f"{ADMIN}:list") + "?awaiting=me"
    client.get(url)  # warm per-process caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_awaiting_my_review_listing_query_count_is_the_same_with_5_and_50_records_awaiting(client, admins):
    import_officers(admins.changan, range(1, 6))
    users = {"city": admins.shijiazhuang, "national": admins.national}
    few = {name: awaiting_listing_queries(client, user) for name, user in users.items()}
    assert "王质量5" in few["city"][1] and "王质量5" not in few["national"][1]
    import_officers(admins.changan, range(6, 51))
    many = {name: awaiting_listing_queries(client, user) for name, user in users.items()}
    assert "王质量50" in many["city"][1]
    assert {name: count for name, (count, _html) in many.items()} == {
        name: count for name, (count, _html) in few.items()
    }


def test_the_units_a_bureau_approves_reach_the_review_query_as_ids(admins, orgs):
    """The national bureau approves its 31 provinces' records (none of their own): named by id, PostgreSQL sees that
    they hold no records; as a subquery of units it took them for an average unit's each and walked the registry."""
    import_officers(admins.changan, range(1, 4))
    sql = str(reviewable_states(admins.national).query)
    assert "registry_organisation" not in sql
    assert not reviewable_states(admins.national).exists()
    assert reviewable_states(admins.shijiazhuang).count() == 3


def test_an_action_url_naming_ones_own_record_cannot_decide_another_units(client, admins):
    """Wagtail's action URL names the record and the task state apart and checks the user against the record."""
    import_officers(admins.changan, [1])
    import_officers(admins.tangshan, [2], region="130203")
    mine = ChiefQualityOfficer.unscoped.get(real_name="王质量1")
    theirs = ChiefQualityOfficer.unscoped.get(real_name="王质量2")
    client.force_login(admins.changan_colleague)
    client.post(reverse(f"{ADMIN}:workflow_action", args=[mine.pk, "approve", officer_state(theirs).pk]), {})
    theirs.refresh_from_db()
    assert not theirs.live and officer_state(theirs).status == TaskState.STATUS_IN_PROGRESS
    client.post(reverse(f"{ADMIN}:workflow_action", args=[mine.pk, "approve", officer_state(mine).pk]), {})
    mine.refresh_from_db()
    assert mine.live


def test_the_awaiting_listing_filters_its_own_rows_not_a_subquery_of_ids(client, admins):
    """`id IN (ids awaiting)` made PostgreSQL hash the whole subtree's records (a million at a city) or every state in
    progress; the listing's rows are the records in review of the user's units (gathered by key when they are of
    several units), each row looked up in the workflow states."""
    import re

    from registry.officers.review import reviewable

    gathered = re.compile(r'"registry_chiefqualityofficer"\."id" (?:IN \(|= ANY\(ARRAY\()\(?SELECT .*? FROM "(\w+)"')

    import_officers(admins.changan, range(1, 4))
    import_officers(admins.tangshan, [4], region="130203")
    for user, seen in (
        (admins.changan_colleague, {"王质量1", "王质量2", "王质量3"}),
        (admins.changan, set()),  # nobody approves their own
        (admins.shijiazhuang, {"王质量1", "王质量2", "王质量3"}),
        (admins.hebei, {"王质量4"}),  # a province approves its cities' own records (唐山市 imported 4)
    ):
        awaiting = reviewable(ChiefQualityOfficer.objects.all(), user)
        sources = gathered.findall(str(awaiting.query))
        assert set(sources) <= {"registry_chiefqualityofficer"}, sources
        assert sources or user.organisation.numchild == 0  # a unit with units below: their records gathered by key
        assert set(awaiting.values_list("real_name", flat=True)) == seen, user
        client.force_login(user)
        page = client.get(reverse(f"{ADMIN}:list") + "?awaiting=me").content.decode()
        unseen = {f"王质量{serial}" for serial in range(1, 5)} - seen
        assert all(name in page for name in seen) and not any(name in page for name in unseen)


def test_the_officer_workflow_is_found_by_type_whatever_its_name(db):
    """An administrator renaming the review task or the workflow, or switching the workflow off, breaks nothing: the
    workflow is found by the officers' content type, a new one reuses the existing task instead of adding one."""
    from wagtail.models import Task, Workflow

    from registry.officers.submission import officer_workflow

    workflow = officer_workflow()
    task = officer_task()
    Task.objects.filter(pk=task.pk).update(name="改名的审核")
    Workflow.objects.filter(pk=workflow.pk).update(name="改名的流程")
    assert officer_workflow() == workflow
    Workflow.objects.filter(pk=workflow.pk).update(active=False)
    Workflow.objects.create(name="首席质量官审核流程", active=False)  # a namesake, not assigned to officers
    replacement = officer_workflow()
    assert replacement.active and replacement.pk != workflow.pk
    assert officer_task().pk == task.pk and type(task).objects.count() == 1


def test_bulk_review_runs_the_same_queries_for_5_and_500_records(client, admins):
    """批量审核 finds what the user may decide with one query and decides a chunk (CHUNK, 500) with set-based
    statements: the confirmation page of "all matching" and a chunk's decision run as many queries for 5 records as
    for 500, none per record. The history entries are one bulk insert, which SQLite's limit on parameters splits
    into batches of dozens of rows."""
    from registry.officers.review import CHUNK

    client.force_login(admins.shijiazhuang)
    bulk = reverse("wagtail_bulk_action", args=["registry", "chiefqualityofficer", "review"])
    url = f"{bulk}?id=all&next={reverse(f'{ADMIN}:list')}%3Freview_status%3Dpending"

    def queries(serials):
        import_officers(admins.changan, serials)
        client.get(url)  # warm per-process caches
        with CaptureQueriesContext(connection) as confirming:
            page = client.get(url).content.decode()
        assert f'data-count="{len(serials)}"' in page
        ids = list(ChiefQualityOfficer.unscoped.filter(live=False).values_list("pk", flat=True))
        with CaptureQueriesContext(connection) as deciding:
            assert review_chunk(admins.shijiazhuang, ids, "approve") == len(serials)
        history = [
            q for q in deciding.captured_queries if q["sql"].startswith('INSERT INTO "wagtailcore_modellogentry"')
        ]
        assert len(history) <= 2 * len(serials) / 50 + 1  # two entries a record, dozens a statement (PostgreSQL: COPY)
        return len(confirming), len(deciding) - len(history)

    few = queries(range(1, 6))
    many = queries(range(6, 6 + CHUNK))
    assert many == few
    assert ChiefQualityOfficer.unscoped.filter(live=True).count() == 5 + CHUNK


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite plan; bench/officers.py measures PostgreSQL")
def test_the_awaiting_look_up_finds_each_records_workflow_state_by_its_id_on_sqlite(admins):
    """Started from the task states, SQLite walked every state of the officer task for each record in the queue:
    5,000 pending records took 17 s to count and 11 s to list (the default setup, seen in the browser)."""
    from registry.officers.review import reviewable

    import_officers(admins.changan, range(1, 4))
    awaiting = reviewable(ChiefQualityOfficer.objects.all(), admins.shijiazhuang)
    sql, params = awaiting.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = [row[-1] for row in cursor.fetchall()]
    assert any("(base_content_type_id=? AND object_id=?)" in step for step in plan), plan
    assert not any("task_id=?" in step for step in plan), plan
    assert awaiting.count() == 3
