"""The site's header and footer, the home page's lists and the news list, kept under the page cache's generation
(``{% publicfragment %}``): read once a generation, whatever the query string, and never stale after a public change."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from cqosite.pagecache import GENERATION
from news.factories import make_news
from registry.factories import EnterpriseAccountFactory

pytestmark = pytest.mark.django_db
visits = iter(range(1_000_000))


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def stored_keys(monkeypatch):
    """The keys and timeouts the visits store in the cache under the page cache's generation (not Wagtail's own)."""
    stored, set_ = {}, cache.set

    def store(key, value, timeout, **kwargs):
        if key.startswith(("pagecache:", "portal:")):
            stored[key] = timeout
        return set_(key, value, timeout, **kwargs)

    monkeypatch.setattr(cache, "set", store)
    return stored


def visit(client, url):
    """``url`` with a query string of its own, as a first visit (which the page cache does not answer) has it."""
    with CaptureQueriesContext(connection) as queries:
        html = client.get(f"{url}{'&' if '?' in url else '?'}visit={next(visits)}").content.decode()
    return html, " ".join(query["sql"] for query in queries.captured_queries)


@pytest.mark.parametrize("url", ["/", "/news/"])
def test_lists_are_read_once_a_generation_and_public_changes_show_at_once(client, orgs, portal, url):
    first = make_news(orgs.hebei, "河北省质量大会召开")
    html, _queries = visit(client, url)
    assert "河北省质量大会召开" in html
    again, queries = visit(client, url)
    assert again == html and "news_newspage" not in queries and "home_contentpage" not in queries
    second = make_news(orgs.beijing, "北京市质量月启动")
    assert "北京市质量月启动" in visit(client, url)[0]
    second.unpublish()
    assert "北京市质量月启动" not in visit(client, url)[0]
    restriction = PageViewRestriction.objects.create(page=first.get_parent(), restriction_type="login")
    assert "河北省质量大会召开" not in visit(client, url)[0]
    restriction.delete()
    assert "河北省质量大会召开" in visit(client, url)[0]


def test_each_language_has_its_own_lists(client, orgs, portal):
    assert "暂无通知。" in visit(client, "/")[0]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "No notices yet." in visit(client, "/")[0]


def test_pages_are_routed_once_a_generation_and_follow_a_new_address_or_an_unpublishing_at_once(client, orgs, portal):
    article = make_news(orgs.hebei, "河北省质量大会召开")
    visit(client, "/news/")
    html, queries = visit(client, "/news/")
    assert "河北省质量大会召开" in html
    assert '"wagtailcore_site"' not in queries and '"news_newsindexpage"' not in queries
    index = article.get_parent().get_parent().specific
    index.slug = "xinwen"
    index.save_revision().publish()
    assert client.get("/news/?visit=moved").status_code == 404
    assert "河北省质量大会召开" in visit(client, "/xinwen/")[0]
    article = article.specific_class.objects.get(pk=article.pk)
    assert client.get(f"{article.url}?visit=live").status_code == 200
    article.unpublish()
    assert client.get(f"{article.url}?visit=gone").status_code == 404


@pytest.mark.parametrize("url", ["/", "/news/"])
def test_without_the_page_cache_lists_and_routes_are_read_each_time(client, orgs, portal, settings, stored_keys, url):
    """A cache of each worker's own (no Redis) would show one worker's lists after another worker's publishing."""
    settings.PAGE_CACHE_SECONDS = 0
    make_news(orgs.hebei, "河北省质量大会召开")
    visit(client, url)
    html, queries = visit(client, url)
    assert "河北省质量大会召开" in html
    assert "news_newspage" in queries and '"wagtailcore_site"' in queries
    assert not stored_keys


def test_lists_and_routes_are_kept_for_the_page_cache_seconds(client, orgs, portal, settings, stored_keys):
    settings.PAGE_CACHE_SECONDS = 123
    visit(client, "/news/")
    assert any(key.startswith("pagecache:route:") for key in stored_keys)
    assert any(key.startswith("portal:fragment:") for key in stored_keys)
    assert set(stored_keys.values()) == {123}


def test_a_news_region_that_does_not_exist_makes_no_cache_entry(client, orgs, portal, stored_keys):
    make_news(orgs.hebei, "河北省质量大会召开")
    visit(client, "/news/")
    stored_keys.clear()
    for junk in ("999999", "999998"):
        html, _queries = visit(client, f"/news/?region={junk}")
        assert "河北省质量大会召开" in html
    assert not stored_keys
    html, _queries = visit(client, f"/news/?region={orgs.beijing.pk}")
    assert "河北省质量大会召开" not in html and len(stored_keys) == 1


def test_the_chrome_is_rendered_once_a_generation_and_follows_a_published_section_at_once(client, portal, stored_keys):
    """The header and footer every anonymous visitor sees alike: rendered by a search's first visit and kept (the
    section URLs they link to with them), and a section unpublished or published again shows in both at once."""
    visit(client, "/standards/?q=阀门")
    assert len([key for key in stored_keys if key.startswith("portal:fragment:")]) == 2
    stored_keys.clear()
    html, queries = visit(client, "/standards/?q=阀门")
    assert html.count('href="/about/"') == 2 and '"wagtailcore_page"' not in queries and not stored_keys
    about = Page.objects.get(slug="about")
    about.unpublish()
    html, _queries = visit(client, "/standards/?q=阀门")
    assert 'href="/about/"' not in html and "关于我们" not in html
    about.specific.save_revision().publish()
    assert visit(client, "/standards/?q=阀门")[0].count('href="/about/"') == 2


def test_each_language_and_each_signed_in_visitor_has_a_chrome_of_its_own(client, portal):
    html = visit(client, "/talent-pool/")[0]
    assert "人才库</a>" in html and '<a href="/language/en/" lang="en">English</a>' in html and "企业登录" in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = visit(client, "/talent-pool/")[0]
    assert "Talent pool</a>" in html and 'lang="zh-CN">' in html and "人才库</a>" not in html
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    account = EnterpriseAccountFactory(real_name="联系人王芳")
    client.force_login(account)
    html = visit(client, "/talent-pool/")[0]
    assert "退出</button>" in html and "企业登录" not in html
    client.logout()
    html = visit(client, "/talent-pool/")[0]
    assert "企业登录" in html and "退出</button>" not in html


def test_the_site_search_keeps_its_words_in_the_header_search_box(client, portal):
    visit(client, "/search/?q=质量月")
    assert 'name="q" placeholder="搜索新闻、通知、政策" value="质量月"' in visit(client, "/search/?q=质量月")[0]
    assert 'placeholder="搜索新闻、通知、政策" value=""' in visit(client, "/search/?q=")[0]


@pytest.mark.parametrize("url", ["/", "/news/"])
def test_view_restrictions_are_read_once_a_generation_and_a_new_one_applies_at_once(client, portal, url):
    visit(client, url)
    html, queries = visit(client, url)
    assert "wagtailcore_pageviewrestriction" not in queries and '"alias_of_id"' not in queries
    page = Page.objects.get(url_path=f"/{portal.slug}{url}").specific
    restriction = PageViewRestriction.objects.create(page=page, restriction_type="login")
    response = client.get(f"{url}?visit=restricted")
    assert response.status_code == 302 and "login/?next=" in response["Location"]
    assert list(page.get_view_restrictions().order_by("-page__depth")) == [restriction]  # the admin's privacy dialog
    restriction.delete()
    assert visit(client, url)[0] == html


def test_a_part_kept_by_this_process_follows_a_change_another_process_made(client, orgs, portal):
    """The header, footer and lists a worker keeps are current only under the shared generation: a publishing on
    another server (here: the rows changed and the generation moved, with no signal in this process) shows at once."""
    article = make_news(orgs.hebei, "河北省质量大会召开")
    assert "河北省质量大会召开" in visit(client, "/")[0]
    Page.objects.filter(pk=article.pk).update(title="河北省质量大会闭幕")
    cache.incr(GENERATION.key)
    html = visit(client, "/")[0]
    assert "河北省质量大会闭幕" in html


def test_a_part_kept_by_this_process_is_not_taken_as_current_after_the_shared_cache_restarts(client, orgs, portal):
    """Redis keeps nothing on disk: restarted, its generations start again, never from a number they had before, so
    what a worker kept under an earlier life of the shared cache is rendered again."""
    article = make_news(orgs.hebei, "河北省质量大会召开")
    cache.clear()
    assert "河北省质量大会召开" in visit(client, "/")[0]
    Page.objects.filter(pk=article.pk).update(title="河北省质量大会闭幕")
    cache.clear()
    html = visit(client, "/")[0]
    assert "河北省质量大会闭幕" in html
