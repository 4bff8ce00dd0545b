"""The site tree, home page content and the tree rules editors cannot break."""

import pytest
from wagtail.models import Page, PageViewRestriction, Site, WorkflowPage

from home.models import ContentPage, HomePage
from home.site import build_site
from news.factories import make_news
from news.models import NewsIndexPage, NewsPage, NewsSectionPage

pytestmark = pytest.mark.django_db


def test_build_site_replaces_the_welcome_page_and_is_idempotent(portal):
    assert Site.objects.get(is_default_site=True).root_page.specific == portal
    assert not Page.objects.filter(depth=2).exclude(pk=portal.pk).exists()
    build_site()
    assert HomePage.objects.count() == 1 and NewsIndexPage.objects.count() == 1
    index = NewsIndexPage.objects.get()
    assert index.url == "/news/"
    assert WorkflowPage.objects.filter(page=index).exists()


def test_home_page_shows_latest_news_notices_and_entry_points(client, orgs, portal):
    make_news(orgs.hebei, "河北省质量工作会议召开")
    notice = ContentPage(title="关于开展备案更新的通知", category="notice")
    Page.objects.get(url_path="/cqo-home/notices/").add_child(instance=notice)
    notice.save_revision().publish()
    html = client.get("/").content.decode()
    assert "河北省质量工作会议召开" in html and "关于开展备案更新的通知" in html
    for link in ("/standards/", "/talent-pool/", "/news/", "/notices/", "/policies/", "/accounts/login/", "/search/"):
        assert f'href="{link}"' in html
    assert '<main id="main"' in html and 'role="contentinfo"' in html and 'lang="zh-CN"' in html


def test_home_page_leaves_out_private_sections_in_the_same_queries_however_many_there_are(
    client, orgs, portal, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_news(orgs.hebei, "公开的新闻")
    hidden = make_news(orgs.beijing, "内部的新闻")
    PageViewRestriction.objects.create(page=hidden.get_parent(), restriction_type="password", password="x")
    notice = ContentPage(title="内部通知", category="notice")
    Page.objects.get(url_path="/cqo-home/notices/").add_child(instance=notice)
    notice.save_revision().publish()
    PageViewRestriction.objects.create(page=notice, restriction_type="login")
    with CaptureQueriesContext(connection) as one_each:
        html = client.get("/?first=1").content.decode()
    assert "公开的新闻" in html and "内部的新闻" not in html and "内部通知" not in html
    restriction_reads = [q for q in one_each.captured_queries if 'FROM "wagtailcore_pageviewrestriction"' in q["sql"]]
    assert len(restriction_reads) <= 2  # the served page's own, and one for the three lists
    for number in range(3):
        make_news(orgs.tangshan, f"更多新闻{number}")
        PageViewRestriction.objects.create(page=make_news(orgs.chaoyang, f"内部{number}"), restriction_type="login")
    with django_assert_max_num_queries(len(one_each)):
        html = client.get("/?second=1").content.decode()
    assert "更多新闻2" in html and "内部2" not in html


def test_tree_rules_keep_news_inside_organisation_sections(portal):
    assert NewsPage.allowed_parent_page_models() == [NewsSectionPage]
    assert NewsSectionPage.allowed_parent_page_models() == [NewsIndexPage]
    assert NewsIndexPage.allowed_parent_page_models() == [HomePage]
    assert not NewsPage.allowed_subpage_models()
    assert not HomePage.can_create_at(Page.get_first_root_node())  # max_count = 1: one already exists


def test_news_organisation_comes_from_its_section(orgs, portal):
    page = make_news(orgs.qiaoxi, "桥西区新闻")
    assert page.organisation == orgs.qiaoxi
    assert page.source == orgs.qiaoxi.name


def test_notices_follow_the_same_rule_national_writes_platform_approves(orgs, admins):
    from news.models import ParentOrganisationApprovalTask

    index = Page.objects.get(url_path="/cqo-home/notices/")
    assert index.permissions_for_user(admins.national).can_add_subpage()
    assert not index.permissions_for_user(admins.changan).can_add_subpage()
    notice = index.add_child(instance=ContentPage(title="关于质量月活动的通知", owner=admins.national, live=False))
    assert notice.organisation == orgs.national
    notice.save_revision(user=admins.national)
    state = notice.get_workflow().start(notice, admins.national)
    task = ParentOrganisationApprovalTask.objects.get()
    assert set(task.approvers(notice)) == {admins.platform}
    assert not task.user_can_approve(ContentPage.objects.get(pk=notice.pk), admins.national)
    assert not notice.permissions_for_user(admins.national).can_publish()
    state.current_task_state.specific.approve(user=admins.platform)
    assert ContentPage.objects.get(pk=notice.pk).live


def test_section_links_follow_the_page_tree_when_a_section_is_renamed_or_added(client, orgs, portal):
    """The navigation, the home page and the news breadcrumbs find each section by its page type, not its path."""
    from filings.awards.factories import award_index

    article = make_news(orgs.hebei, "河北省质量工作会议召开")
    assert 'href="/awards/"' not in client.get("/").content.decode()  # no awards section: no link to a missing page
    renamed = [
        (NewsIndexPage.objects.get(), "xinwen"),
        (Page.objects.get(url_path="/cqo-home/notices/").specific, "tz"),
        (ContentPage.objects.get(slug="about"), "guanyu"),
        (award_index(), "jiangxiang"),
    ]
    for page, slug in renamed:
        page.slug = slug
        page.save_revision().publish()

    home = client.get("/").content.decode()
    for link in ("/xinwen/", "/tz/", "/policies/", "/jiangxiang/"):
        assert f'href="{link}"' in home
    assert home.count('href="/guanyu/"') == 2  # top bar and footer
    section = NewsSectionPage.objects.get(organisation=orgs.hebei).url
    for path in ("/", section, NewsPage.objects.get(pk=article.pk).url):
        html = client.get(path).content.decode()
        assert '&rsaquo; <a href="/xinwen/">' in html or path == "/", path  # the breadcrumb to the news index
        for stale in ("/news/", "/notices/", "/about/", "/awards/"):
            assert f'href="{stale}"' not in html, (path, stale)


def test_a_page_the_cache_has_not_stored_finds_the_sections_without_a_query(client, orgs, portal, settings):
    """Every public page links to the sections: their URLs are kept under the page cache's generation (while the
    page cache is on)."""
    settings.PAGE_CACHE_SECONDS = 300
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_news(orgs.hebei, "河北省质量工作会议召开")
    client.get("/standards/?q=first")
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/standards/?q=second").content.decode()
    assert 'href="/news/"' in html and 'href="/notices/"' in html
    assert not [query for query in queries.captured_queries if "newsindexpage" in query["sql"]]
    index = NewsIndexPage.objects.get()
    index.slug = "xinwen"
    index.save_revision().publish()  # a new generation: the sections are looked up again
    assert 'href="/xinwen/"' in client.get("/standards/?q=third").content.decode()
