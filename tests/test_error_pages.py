"""404, 400 and 500 pages in the portal's layout, in Chinese, or in English when English is chosen."""

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

BRAND = {"zh-hans": "首席质量官之家", "en": "Chief Quality Officer Portal"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, expected", [("zh-hans", "页面不存在"), ("en", "Page not found")], ids=["chinese", "english"]
)
def test_a_missing_page_answers_in_the_portal_layout(client, portal, language, expected):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)
    text = response.content.decode()
    assert response.status_code == 404
    assert expected in text and BRAND[language] in text and 'class="site-header"' in text


@pytest.mark.django_db
@pytest.mark.parametrize("language, expected", [("zh-hans", "查询参数"), ("en", "Query parameter")])
def test_a_bad_query_parameter_answers_400_with_a_message(client, portal, language, expected):
    response = client.get("/news/?region=abc", HTTP_ACCEPT_LANGUAGE=language)
    text = response.content.decode()
    assert response.status_code == 400
    assert expected in text and "region" in text and BRAND[language] in text


@pytest.mark.parametrize(
    "language, expected", [("zh-hans", "服务器出错"), ("en", "Something went wrong")], ids=["chinese", "english"]
)
def test_the_server_error_page_renders_without_the_database(language, expected):
    """No ``django_db`` mark: any query would fail the test, as it would fail the page when the database is down."""
    with translation.override(language):
        response = server_error(RequestFactory().get("/"))
    text = response.content.decode()
    assert response.status_code == 500
    assert expected in text and BRAND[language] in text
