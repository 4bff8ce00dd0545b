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
