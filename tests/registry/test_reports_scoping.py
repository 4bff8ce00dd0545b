"""Wagtail's site-history and workflow reports show nothing from outside the user's subtree."""

import pytest
from wagtail.log_actions import log

from registry.factories import EnterpriseFactory
from registry.models import Division, Role

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
