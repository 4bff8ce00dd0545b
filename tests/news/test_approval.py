"""Parent-organisation moderation: approvers per level, permissions, notification, approve and reject."""

import pytest
from django.core import mail
from wagtail.models import TaskState, WorkflowState

from news.factories import make_news
from news.models import NewsPage, ParentOrganisationApprovalTask
from news.sections import ensure_section

pytestmark = pytest.mark.django_db


def submit(page, user):
    """What the editor's "submit for moderation" does: a revision by the author, then the workflow."""
    page.save_revision(user=user)
    return page.get_workflow().start(page, user)


def task():
    return ParentOrganisationApprovalTask.objects.get()


def test_approvers_are_the_parent_organisations_administrators(orgs, admins):
    cases = [
        (orgs.changan, {admins.shijiazhuang}),
        (orgs.shijiazhuang, {admins.hebei}),
        (orgs.hebei, {admins.national}),
        (orgs.national, {admins.platform}),
        (orgs.beijing, {admins.national}),
    ]
    for organisation, expected in cases:
        page = make_news(organisation, f"{organisation.name}的新闻", publish=False)
        assert set(task().approvers(page)) == expected, organisation.name
    platform_page = make_news(orgs.platform, "平台公告", publish=False)
    assert not task().approvers(platform_page).exists()


def test_only_the_parent_may_approve_not_neighbours_nor_the_author(orgs, admins):
    page = make_news(orgs.changan, "长安区质量月活动", owner=admins.changan, publish=False)
    submit(page, admins.changan)
    page = NewsPage.objects.get(pk=page.pk)
    approval = task()
    assert approval.user_can_approve(page, admins.shijiazhuang)
    assert not approval.user_can_approve(page, admins.changan)  # the author
    assert not approval.user_can_approve(page, admins.changan_colleague)  # same level, not the parent
    assert not approval.user_can_approve(page, admins.qiaoxi)  # neighbouring county
    assert not approval.user_can_approve(page, admins.tangshan)  # neighbouring city
    assert not approval.user_can_approve(page, admins.hebei)  # grandparent: not their step
    assert approval.get_actions(page, admins.tangshan) == []


def test_city_administrator_who_writes_news_cannot_approve_it_themselves(orgs, admins):
    page = make_news(orgs.shijiazhuang, "石家庄市新闻", owner=admins.shijiazhuang, publish=False)
    submit(page, admins.shijiazhuang)
    page = NewsPage.objects.get(pk=page.pk)
    assert not task().user_can_approve(page, admins.shijiazhuang)
    assert task().user_can_approve(page, admins.hebei)


def test_page_permissions_follow_the_organisation_tree(orgs, admins):
    changan_section = ensure_section(orgs.changan)
    qiaoxi_section = ensure_section(orgs.qiaoxi)
    assert changan_section.permissions_for_user(admins.changan).can_add_subpage()
    assert not qiaoxi_section.permissions_for_user(admins.changan).can_add_subpage()
    assert not ensure_section(orgs.shijiazhuang).permissions_for_user(admins.changan).can_add_subpage()
    page = make_news(orgs.changan, "长安区新闻", owner=admins.changan, publish=False)
    # The author may edit but not publish (that would bypass moderation); the parent may publish.
    assert page.permissions_for_user(admins.changan).can_edit()
    assert not page.permissions_for_user(admins.changan).can_publish()
    assert page.permissions_for_user(admins.shijiazhuang).can_publish()
    assert not page.permissions_for_user(admins.tangshan).can_publish()
    assert not page.permissions_for_user(admins.qiaoxi).can_publish()


def test_submission_notifies_the_computed_approvers_and_approval_publishes(orgs, admins):
    page = make_news(orgs.changan, "长安区开展质量提升行动", owner=admins.changan, publish=False)
    mail.outbox.clear()
    workflow_state = submit(page, admins.changan)
    recipients = {address for message in mail.outbox for address in message.to}
    assert "sjz@example.cn" in recipients
    assert recipients.isdisjoint({"changan@example.cn", "qiaoxi@example.cn", "ts@example.cn", "hebei@example.cn"})
    assert not NewsPage.objects.get(pk=page.pk).live

    state = TaskState.objects.get(workflow_state=workflow_state, status=TaskState.STATUS_IN_PROGRESS)
    assert state in task().get_task_states_user_can_moderate(admins.shijiazhuang)
    assert state not in task().get_task_states_user_can_moderate(admins.tangshan)
    state.specific.approve(user=admins.shijiazhuang)

    page = NewsPage.objects.get(pk=page.pk)
    assert page.live
    assert WorkflowState.objects.get(pk=workflow_state.pk).status == WorkflowState.STATUS_APPROVED
    assert page.get_latest_revision().approved_go_live_at is None
    assert page.live_revision.user == admins.changan


def test_rejection_returns_the_news_to_the_author_with_the_comment(orgs, admins):
    page = make_news(orgs.changan, "待修改的新闻", owner=admins.changan, publish=False)
    workflow_state = submit(page, admins.changan)
    mail.outbox.clear()
    state = workflow_state.current_task_state.specific
    state.reject(user=admins.shijiazhuang, comment="请补充活动照片 / please add photos")

    workflow_state.refresh_from_db()
    assert workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert not NewsPage.objects.get(pk=page.pk).live
    assert TaskState.objects.get(pk=state.pk).comment == "请补充活动照片 / please add photos"
    to_author = [message for message in mail.outbox if "changan@example.cn" in message.to]
    assert to_author and "请补充活动照片" in to_author[0].body


def test_approver_dashboard_lists_the_item_and_approve_view_publishes(client, orgs, admins):
    page = make_news(orgs.changan, "长安区标准化工作推进会召开", owner=admins.changan, publish=False)
    workflow_state = submit(page, admins.changan)
    client.force_login(admins.shijiazhuang)
    dashboard = client.get("/admin/")
    assert "长安区标准化工作推进会召开" in dashboard.content.decode()

    client.force_login(admins.tangshan)
    assert "长安区标准化工作推进会召开" not in client.get("/admin/").content.decode()
    state = workflow_state.current_task_state
    url = f"/admin/pages/workflow/action/{page.pk}/approve/{state.pk}/"
    client.post(url)
    assert not NewsPage.objects.get(pk=page.pk).live

    client.force_login(admins.shijiazhuang)
    client.post(url)
    assert NewsPage.objects.get(pk=page.pk).live


def test_neighbouring_county_cannot_open_the_add_form_in_another_section(client, orgs, admins):
    qiaoxi_section = ensure_section(orgs.qiaoxi)
    client.force_login(admins.changan)
    response = client.get(f"/admin/pages/add/news/newspage/{qiaoxi_section.pk}/")
    assert response.status_code in (302, 403, 404)
    assert client.get(f"/admin/pages/add/news/newspage/{ensure_section(orgs.changan).pk}/").status_code == 200


def test_write_news_menu_item_opens_the_own_sections_add_form(client, orgs, admins):
    client.force_login(admins.changan)
    html = client.get("/admin/").content.decode()
    assert f"/admin/pages/add/news/newspage/{ensure_section(orgs.changan).pk}/" in html


def test_neighbouring_county_cannot_see_or_edit_another_sections_news(client, orgs, admins):
    qiaoxi_news = make_news(orgs.qiaoxi, "桥西区内部新闻草稿", owner=admins.qiaoxi, publish=False)
    client.force_login(admins.changan)
    assert client.get(f"/admin/pages/{qiaoxi_news.pk}/edit/").status_code in (302, 403, 404)
    listing = client.get(f"/admin/pages/{qiaoxi_news.get_parent().pk}/")
    assert "桥西区内部新闻草稿" not in listing.content.decode()
    assert client.post(f"/admin/pages/{qiaoxi_news.pk}/delete/").status_code in (302, 403, 404)
    assert NewsPage.objects.filter(pk=qiaoxi_news.pk).exists()
