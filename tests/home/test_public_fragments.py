"""The lists of the home page and the news list, kept under the page cache's generation (``{% publicfragment %}``):
read once a generation, whatever the query string, and never stale after a public change."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from news.factories import make_news

pytestmark = pytest.mark.django_db
visits = iter(range(1_000_000))


def visit(client, url):
    """``url`` with a query string of its own, as a first visit (which the page cache does not answer) has it."""
    with CaptureQueriesContext(connection) as queries:
        html = client.get(f"{url}?visit={next(visits)}").content.decode()
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
