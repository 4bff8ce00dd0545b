"""Chinese site search: words inside titles and bodies, live pages only."""

import pytest

from home.models import ContentIndexPage, ContentPage
from home.search import site_search
from news.factories import make_news

pytestmark = pytest.mark.django_db


def test_a_chinese_word_finds_titles_and_body_text_containing_it(client, orgs, portal):
    award = make_news(orgs.national, "第五届全国质量奖揭晓", summary="表彰名单公布")
    body_only = make_news(
        orgs.hebei, "河北省召开座谈会", summary="座谈交流", paragraphs=["会议强调要落实<b>首席质量官</b>制度。"]
    )
    unrelated = make_news(orgs.beijing, "北京市标准化报告发布", summary="标准化工作")
    draft = make_news(orgs.changan, "质量提升草稿", publish=False)

    found = list(site_search("质量"))
    assert award in found and body_only in found
    assert unrelated not in found and draft not in found

    html = client.get("/search/", {"q": "质量"}).content.decode()
    assert "第五届全国质量奖揭晓" in html and "河北省召开座谈会" in html
    assert "北京市标准化报告发布" not in html and "质量提升草稿" not in html
    assert f"“质量”共找到 {len(found)} 条结果" in html


def test_every_term_must_match_and_empty_query_finds_nothing(client, orgs, portal):
    make_news(orgs.national, "全国质量奖评审启动", summary="评审工作")
    make_news(orgs.hebei, "河北质量月活动", summary="质量月")
    assert [page.title for page in site_search("质量 评审")] == ["全国质量奖评审启动"]
    assert not site_search("").exists()
    response = client.get("/search/")
    assert response.status_code == 200 and "共找到" not in response.content.decode()


def test_search_finds_text_inside_notice_tables(orgs, portal):
    index = ContentIndexPage.objects.get(category="notice")
    notice = index.add_child(
        instance=ContentPage(
            title="培训安排通知",
            body=[
                (
                    "table",
                    {"data": [["日期", "内容"], ["11月5日", "卓越绩效模式培训"]], "first_row_is_table_header": True},
                )
            ],
        )
    )
    notice.save_revision().publish()
    assert [page.title for page in site_search("绩效")] == ["培训安排通知"]


def test_results_say_what_they_are_and_paginate(client, orgs, portal):
    for number in range(12):
        make_news(orgs.hebei, f"质量新闻{number:02d}")
    first = client.get("/search/", {"q": "质量新闻"}).content.decode()
    assert "新闻动态" in first and "第 1 / 2 页" in first
    assert "q=%E8%B4%A8%E9%87%8F%E6%96%B0%E9%97%BB&amp;page=2" in first
