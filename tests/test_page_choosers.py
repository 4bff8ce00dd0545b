"""Page choosers and the explorer show an administrator no draft outside the page subtrees they work in.

The probe read neighbouring regions' draft news titles in Wagtail's page chooser, which lists the whole tree.
"""

import pytest

from news.factories import make_news
from news.sections import ensure_section

pytestmark = pytest.mark.django_db

CHOOSER_URLS = ["/admin/choose-page/{section}/", "/admin/choose-page/search/?q=draftnews"]


@pytest.fixture
def pages(orgs, admins):
    ensure_section(orgs.changan)
    ensure_section(orgs.qiaoxi)
    return {
        "own draft": make_news(orgs.changan, "Changan draftnews", owner=admins.changan, publish=False),
        "neighbour draft": make_news(orgs.qiaoxi, "Qiaoxi draftnews", owner=admins.qiaoxi, publish=False),
        "neighbour published": make_news(orgs.qiaoxi, "Qiaoxi publishednews", owner=admins.qiaoxi),
    }


@pytest.mark.parametrize("url", CHOOSER_URLS)
def test_the_page_chooser_hides_other_regions_drafts(client, admins, pages, url):
    client.force_login(admins.changan)
    section = pages["neighbour draft"].get_parent()
    text = client.get(url.format(section=section.pk)).content.decode()
    assert "Qiaoxi draftnews" not in text
    if "search" in url:
        assert "Changan draftnews" in text  # the administrator's own section's drafts stay choosable
    else:
        assert "Qiaoxi publishednews" in text  # published pages are public anyway


def test_the_superuser_still_sees_every_draft(client, admins, pages):
    admins.platform.is_superuser = True
    admins.platform.save()
    client.force_login(admins.platform)
    assert "Qiaoxi draftnews" in client.get("/admin/choose-page/search/?q=draftnews").content.decode()


def test_the_explorer_hides_other_regions_drafts(client, admins, pages):
    client.force_login(admins.changan)
    section = pages["neighbour draft"].get_parent()
    for url in (f"/admin/pages/{section.pk}/", "/admin/pages/search/?q=draftnews"):
        response = client.get(url)
        assert "Qiaoxi draftnews" not in response.content.decode(), url
