"""The public site, feed and API show approved (live) news only; list filters and pagination work."""

import datetime

import pytest
from wagtail.models import PageViewRestriction

from news.factories import make_news
from news.models import NewsIndexPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def news(orgs, portal):
    class News:
        published = make_news(
            orgs.changan,
            "长安区召开质量工作推进会",
            summary="推进会部署了年度质量提升任务。",
            paragraphs=["会议要求各企业落实首席质量官制度。"],
            date=datetime.date(2026, 3, 1),
        )
        older = make_news(orgs.beijing, "北京市发布标准化报告", date=datetime.date(2025, 6, 1))
        draft = make_news(orgs.changan, "尚未审核的长安区新闻", summary="待审摘要", publish=False)

    return News


def test_unapproved_news_never_reaches_the_public_site_feeds_or_api(client, news):
    pages = ["/", "/news/", news.published.get_parent().url, "/news/feed/rss/", "/news/feed/atom/", "/search/?q=长安区"]
    for url in pages:
        body = client.get(url).content.decode()
        assert "长安区召开质量工作推进会" in body, url
        assert "尚未审核的长安区新闻" not in body, url
    assert client.get(f"/news/org-{news.draft.organisation_id}/{news.draft.slug}/").status_code == 404

    listing = client.get("/api/v2/pages/", {"type": "news.NewsPage", "fields": "summary"}).json()
    titles = {item["title"] for item in listing["items"]}
    assert titles == {"长安区召开质量工作推进会", "北京市发布标准化报告"}
    assert client.get(f"/api/v2/pages/{news.draft.pk}/").status_code == 404


def test_news_detail_and_api_detail(client, news):
    response = client.get(news.published.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "会议要求各企业落实首席质量官制度。" in html
    assert "长安区市场监督管理局" in html
    detail = client.get(f"/api/v2/pages/{news.published.pk}/").json()
    assert detail["summary"] == "推进会部署了年度质量提升任务。"
    assert detail["organisation_name"] == news.published.organisation.name
    assert detail["body"][0]["type"] == "paragraph"
    assert "owner" not in detail and "mobile" not in str(detail)


def test_news_list_filters_by_region_and_year(client, orgs, news):
    by_region = client.get("/news/", {"region": orgs.hebei.pk}).content.decode()
    assert "长安区召开质量工作推进会" in by_region and "北京市发布标准化报告" not in by_region
    by_year = client.get("/news/", {"year": "2025"}).content.decode()
    assert "北京市发布标准化报告" in by_year and "长安区召开质量工作推进会" not in by_year
    options = client.get("/news/").content.decode()
    assert f'value="{orgs.hebei.pk}"' in options and f'value="{orgs.shijiazhuang.pk}"' in options
    assert 'value="2026"' in options


def test_news_in_a_private_section_is_neither_listed_nor_offered_as_a_filter(client, orgs, news):
    PageViewRestriction.objects.create(page=news.older.get_parent(), restriction_type="login")
    html = client.get("/news/").content.decode()
    assert "长安区召开质量工作推进会" in html and "北京市发布标准化报告" not in html
    assert f'value="{orgs.beijing.pk}"' not in html and 'value="2025"' not in html
    assert f'value="{orgs.hebei.pk}"' in html


def test_news_list_paginates_without_per_item_queries(client, orgs, portal, django_assert_max_num_queries):
    for number in range(NewsIndexPage.per_page + 3):
        make_news(orgs.shijiazhuang, f"石家庄新闻第{number}号", date=datetime.date(2026, 1, 1 + number))
    first = client.get("/news/").content.decode()
    assert "石家庄新闻第12号" in first and "石家庄新闻第0号" not in first
    assert "第 1 / 2 页" in first
    assert "石家庄新闻第0号" in client.get("/news/", {"page": 2}).content.decode()
    with django_assert_max_num_queries(25):
        client.get("/news/")


def test_feed_lists_live_news_with_links(client, news):
    rss = client.get("/news/feed/rss/")
    assert rss["Content-Type"].startswith("application/rss+xml")
    body = rss.content.decode()
    assert "<title>长安区召开质量工作推进会</title>" in body
    assert news.published.url in body
    atom = client.get("/news/feed/atom/")
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert "北京市发布标准化报告" in atom.content.decode()
