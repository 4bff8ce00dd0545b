"""Wagtail's site-history and workflow reports show nothing from outside the user's subtree."""

import pytest
from wagtail.log_actions import log

from registry.factories import EnterpriseFactory
from registry.models import Division, Role
from registry.officers.factories import OfficerFactory
from registry.officers.submission import submit

pytestmark = pytest.mark.django_db


def test_site_history_is_confined_to_the_subtree(client, orgs, make_admin):
    own = EnterpriseFactory(region=Division.objects.get(code="130102"), name="长安本地企业")
    other = EnterpriseFactory(region=Division.objects.get(code="130104"), name="桥西邻区企业")
    far = EnterpriseFactory(region=Division.objects.get(code="110105"), name="北京朝阳企业")
    for enterprise in (own, other, far):
        log(enterprise, "wagtail.edit", user=make_admin(enterprise.organisation))
    log(orgs.qiaoxi, "wagtail.edit", user=make_admin(orgs.qiaoxi))

    client.force_login(make_admin(orgs.changan))
    text = client.get("/admin/reports/site-history/").content.decode()
    assert "长安本地企业" in text
    assert "桥西邻区企业" not in text and "北京朝阳企业" not in text and "桥西区市场监督管理局" not in text

    client.force_login(make_admin(orgs.hebei, Role.PROVINCIAL))
    text = client.get("/admin/reports/site-history/results/").content.decode()
    assert "长安本地企业" in text and "桥西邻区企业" in text and "北京朝阳企业" not in text


def test_workflow_reports_show_only_the_subtrees_officers(client, admins):
    """A county sees its own officers awaiting review, not its neighbour's; the city above sees both."""
    own = OfficerFactory(enterprise=EnterpriseFactory(region_id="130102"), real_name="长安待审质量官")
    other = OfficerFactory(enterprise=EnterpriseFactory(region_id="130104"), real_name="桥西待审质量官")
    submit(own, admins.changan)
    submit(other, admins.qiaoxi)
    for report in ("/admin/reports/workflow/", "/admin/reports/workflow_tasks/"):
        for viewer, seen, unseen in (
            (admins.changan, {"长安待审质量官"}, {"桥西待审质量官", admins.qiaoxi.real_name}),
            (admins.qiaoxi, {"桥西待审质量官"}, {"长安待审质量官", admins.changan.real_name}),
            (admins.shijiazhuang, {"长安待审质量官", "桥西待审质量官"}, set()),
        ):
            client.force_login(viewer)
            response = client.get(report)
            assert response.status_code == 200
            page = response.content.decode()
            assert all(name in page for name in seen), (report, viewer)
            assert not any(name in page for name in unseen), (report, viewer)


def test_the_workflow_report_shows_each_rows_task_statuses_in_the_same_queries_for_a_page_of_any_size(
    client, admins, django_assert_max_num_queries
):
    """Wagtail asks each row for its tasks' statuses (a query a row); the report reads a whole page's at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import WorkflowState

    from registry.reports import with_task_statuses

    def submitted(number):
        officer = OfficerFactory(enterprise=EnterpriseFactory(region_id="130102"), real_name=f"待审{number}")
        submit(officer, admins.changan)
        return officer

    approved = submitted(0)
    task_state = approved.current_workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, admins.changan_colleague, "approve")
    submitted(1)
    client.force_login(admins.shijiazhuang)
    with CaptureQueriesContext(connection) as two_rows:
        page = client.get("/admin/reports/workflow/").content.decode()
    assert "待审0" in page and "待审1" in page
    for number in range(2, 8):
        submitted(number)
    with django_assert_max_num_queries(len(two_rows)):
        page = client.get("/admin/reports/workflow/").content.decode()
    assert "待审7" in page

    def statuses(states):
        return [[(t.pk, t.status, str(t.status_display)) for t in s.all_tasks_with_status()] for s in states]

    states = list(WorkflowState.objects.order_by("pk"))
    wagtails = statuses(states)
    with_task_statuses(states)
    ours = statuses(states)
    assert ours == wagtails and ours[0][0][1] == "approved" and ours[-1][0][1] == "in_progress"


def test_the_workflow_report_counts_no_further_than_its_cap(client, admins, monkeypatch):
    """Wagtail counts every workflow state in scope (the country's for the national bureau): the count stops at the
    cap the officer listing uses."""
    from registry import pagination

    for number in range(3):
        submit(
            OfficerFactory(enterprise=EnterpriseFactory(region_id="130102"), real_name=f"待审{number}"), admins.changan
        )
    monkeypatch.setattr(pagination, "COUNT_CAP", 2)
    client.force_login(admins.shijiazhuang)
    response = client.get("/admin/reports/workflow/")
    assert response.context["paginator"].count == 3 and response.context["paginator"].count_capped
    assert all(f"待审{number}" in response.content.decode() for number in range(3))


def test_the_workflow_report_looks_for_records_in_review_or_decided_never_the_whole_subtrees(client, admins):
    """A county's subtree holds a quarter of a million approved officers at full scale: the report's scope condition
    looks among the records in review (for states in progress) and the records with decided states, and keeps a
    decided state of the county's own while dropping the neighbour's."""
    import re

    from django.test import RequestFactory

    from registry.reports import ScopedWorkflowView

    def decided(region, name, submitter, approver):
        officer = OfficerFactory(enterprise=EnterpriseFactory(region_id=region), real_name=name)
        submit(officer, submitter)
        state = officer.current_workflow_state.current_task_state
        state.task.specific.on_action(state, approver, "approve")

    decided("130102", "长安已审质量官", admins.changan, admins.changan_colleague)
    decided("130104", "桥西已审质量官", admins.qiaoxi, admins.shijiazhuang)
    submit(OfficerFactory(enterprise=EnterpriseFactory(region_id="130102"), real_name="长安待审质量官"), admins.changan)

    request = RequestFactory().get("/admin/reports/workflow/")
    request.user = admins.changan
    view = ScopedWorkflowView()
    view.setup(request)
    sql = str(view.get_queryset().query)
    officer_subqueries = re.split(r'FROM "registry_chiefqualityofficer"', sql)[1:]
    assert officer_subqueries
    for subquery in officer_subqueries:
        where = subquery[:400]
        assert '"live"' in where or 'FROM "wagtailcore_workflowstate"' in where, where

    client.force_login(admins.changan)
    page = client.get("/admin/reports/workflow/").content.decode()
    assert "长安已审质量官" in page and "长安待审质量官" in page and "桥西已审质量官" not in page


def test_the_workflow_report_builds_its_scope_once_a_request_and_finds_requesters_by_name(client, admins, monkeypatch):
    """No pass over the states to list requesters: the filter takes a name (or a part of one, or a username)."""
    from registry import reports

    calls = []
    built = reports.workflow_states_in_scope
    monkeypatch.setattr(reports, "workflow_states_in_scope", lambda *args: calls.append(args) or built(*args))
    submit(OfficerFactory(enterprise=EnterpriseFactory(region_id="130102"), real_name="长安待审质量官"), admins.changan)
    client.force_login(admins.shijiazhuang)
    page = client.get("/admin/reports/workflow/").content.decode()
    assert "长安待审质量官" in page and admins.changan.real_name in page
    assert len(calls) == 1
    for typed in (admins.changan.real_name[1:], "长安区"):
        found = client.get("/admin/reports/workflow/", {"requested_by": typed}).content.decode()
        assert "长安待审质量官" in found, typed
    other = client.get("/admin/reports/workflow/", {"requested_by": "没有这个人"}).content.decode()
    assert "长安待审质量官" not in other


def test_the_workflow_reports_run_the_same_queries_for_5_and_60_decided_records_and_name_no_id_list(client, admins):
    """A decided state is kept by looking its own record up (a page's rows), never by reading every decided state in
    the country: the query count stays the same as the decided records multiply, and no statement carries a list of
    ids longer than a page (the rows it shows)."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from registry.models import ChiefQualityOfficer
    from registry.officers.review import review_chunk
    from tests.registry.test_review import import_officers

    def decided(serials):
        for region, submitter, approver in (
            ("130102", admins.changan, admins.shijiazhuang),  # in the viewers' subtree
            ("130203", admins.tangshan, admins.hebei),  # 唐山市路南区: outside the county's and the city's
        ):
            first = serials[0] + (0 if region == "130102" else 10_000)
            import_officers(submitter, [first + offset for offset in range(len(serials))], region)
            review_chunk(
                approver, list(ChiefQualityOfficer.unscoped.filter(live=False).values_list("pk", flat=True)), "approve"
            )

    id_list = re.compile(r"IN \(((?:%s|\d+|'[^']*')(?:, (?:%s|\d+|'[^']*'))*)\)")

    def counts():
        found = {}
        for viewer in (admins.changan_colleague, admins.shijiazhuang, admins.hebei):
            client.force_login(viewer)
            for report in ("/admin/reports/workflow/", "/admin/reports/workflow_tasks/"):
                client.get(report)  # warm per-process caches
                with CaptureQueriesContext(connection) as queries:
                    page = client.get(report).content.decode()
                lists = [
                    (len(items.split(", ")), query["sql"])
                    for query in queries
                    for items in id_list.findall(query["sql"])
                ]
                longest = max(lists, default=(0, ""))
                # A page of the report names its own rows only (50, and the one telling that a next page exists).
                assert longest[0] <= 51, (viewer, report, longest)
                found[viewer.organisation.name, report] = len(queries), page
        return found

    decided(range(1, 6))
    few = counts()
    assert "王质量5" in few["长安区市场监督管理局", "/admin/reports/workflow/"][1]
    assert "王质量10005" not in few["石家庄市市场监督管理局", "/admin/reports/workflow/"][1]
    assert "王质量10005" in few["河北省市场监督管理局", "/admin/reports/workflow/"][1]
    decided(range(6, 61))
    many = counts()
    assert "王质量60" in many["长安区市场监督管理局", "/admin/reports/workflow/"][1]
    assert "王质量10060" not in many["长安区市场监督管理局", "/admin/reports/workflow_tasks/"][1]
    assert {key: count for key, (count, _page) in many.items()} == {key: count for key, (count, _page) in few.items()}


def test_the_national_bureaus_report_looks_each_rows_record_up_and_keeps_the_subtree(client, orgs, admins, monkeypatch):
    """The national bureau's subtree holds most units, so each row's record is looked up by key (registry.reports);
    the same form confines a county to its own records as the gathered keys do."""
    from registry import reports

    assert reports.holds_most_units(orgs.national.path) and not reports.holds_most_units(orgs.hebei.path)
    submit(OfficerFactory(enterprise=EnterpriseFactory(region_id="130102"), real_name="长安待审质量官"), admins.changan)
    submit(OfficerFactory(enterprise=EnterpriseFactory(region_id="130104"), real_name="桥西待审质量官"), admins.qiaoxi)
    submit(OfficerFactory(enterprise=EnterpriseFactory(region_id="110105"), real_name="朝阳待审质量官"), admins.beijing)
    client.force_login(admins.national)
    page = client.get("/admin/reports/workflow/").content.decode()
    assert all(name in page for name in ("长安待审质量官", "桥西待审质量官", "朝阳待审质量官"))

    monkeypatch.setattr(reports, "holds_most_units", lambda prefix: True)
    for report in ("/admin/reports/workflow/", "/admin/reports/workflow_tasks/"):
        client.force_login(admins.changan)
        page = client.get(report).content.decode()
        assert "长安待审质量官" in page and "桥西待审质量官" not in page and "朝阳待审质量官" not in page


def test_a_subtrees_report_is_read_from_its_own_states_gathered_by_index(client, admins):
    """Below the national bureau the reports read the page from the ids of the subtree's states (registry.reports
    .listable_states): every state of the subtree's records (in progress, decided, sent back and resubmitted), found
    from those records, and the news the user edits; none of a neighbour's. A page is then not a walk through every
    newer state of the country, nor a look-up of every decided review in it."""
    from django.test import RequestFactory
    from wagtail.models import WorkflowState

    from news.factories import make_news
    from registry import reports
    from registry.lookups import AnyOf
    from registry.workflows import decide

    def decided(region, name, submitter, approver):
        officer = OfficerFactory(enterprise=EnterpriseFactory(region_id=region), real_name=name)
        submit(officer, submitter)
        state = officer.current_workflow_state.current_task_state
        state.task.specific.on_action(state, approver, "approve")
        return officer

    def state_of(officer):
        return WorkflowState.objects.get(base_content_type__model="chiefqualityofficer", object_id=str(officer.pk))

    for number in range(3):  # records without a state first: the officers' ids are not the states'
        OfficerFactory(enterprise=EnterpriseFactory(region_id="110105"), real_name=f"朝阳质量官{number}")
    own_decided = decided("130102", "长安已审质量官", admins.changan, admins.changan_colleague)
    decided("130104", "桥西已审质量官", admins.qiaoxi, admins.shijiazhuang)
    sent_back = OfficerFactory(enterprise=EnterpriseFactory(region_id="130102"), real_name="长安退回质量官")
    submit(sent_back, admins.changan)
    decide(sent_back, admins.changan_colleague, "reject", "请补充培训证书")
    submit(sent_back, admins.changan)
    own = OfficerFactory(enterprise=EnterpriseFactory(region_id="130102"), real_name="长安待审质量官")
    neighbour = OfficerFactory(enterprise=EnterpriseFactory(region_id="130104"), real_name="桥西待审质量官")
    submit(own, admins.changan)
    submit(neighbour, admins.qiaoxi)
    news = make_news(admins.changan.organisation, "长安区质量月活动", owner=admins.changan, publish=False)
    news.save_revision(user=admins.changan)
    news_state = news.get_workflow().start(news, admins.changan)

    request = RequestFactory().get("/admin/reports/workflow/")
    request.user = admins.changan
    condition = reports.workflow_states_in_scope(request)
    assert isinstance(condition, AnyOf)
    listed = WorkflowState.objects.filter(condition)
    sent_back_states = set(
        WorkflowState.objects.filter(
            base_content_type__model="chiefqualityofficer", object_id=str(sent_back.pk)
        ).values_list("pk", flat=True)
    )
    assert sent_back_states
    expected = {state_of(own_decided).pk, state_of(own).pk, news_state.pk, *sent_back_states}
    assert set(listed.values_list("pk", flat=True)) == expected
    # Found from the subtree's records that have been in review, not by looking up each decided review in the country.
    assert '"latest_revision_id" IS NOT NULL' in str(listed.query)

    client.force_login(admins.changan)
    for report in ("/admin/reports/workflow/", "/admin/reports/workflow_tasks/"):
        page = client.get(report).content.decode()
        assert all(name in page for name in ("长安已审质量官", "长安待审质量官", "长安区质量月活动")), report
        assert "桥西已审质量官" not in page and "桥西待审质量官" not in page, report


def test_a_gathered_report_counts_the_rows_it_reads_and_the_national_one_counts_apart(client, admins, monkeypatch):
    """Rows gathered by id are all read before they are ordered: the page's statement counts them with a window (the
    array is not built twice); the national bureau's page walks the newest states and counts with a capped subquery."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from registry import pagination

    monkeypatch.setattr(pagination, "COUNT_CAP", 1)
    for number in range(3):
        submit(
            OfficerFactory(enterprise=EnterpriseFactory(region_id="130102"), real_name=f"长安待审{number}"),
            admins.changan,
        )
    for user, window in ((admins.changan_colleague, True), (admins.national, False)):
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/admin/reports/workflow/")
        page = next(query["sql"] for query in captured.captured_queries if "_capped_count" in query["sql"])
        assert ("OVER ()" in page) is window, user
        assert response.context["paginator"].count == 2 and response.context["paginator"].count_capped, user
