"""A NUL character in a query string is refused with a clear 400, not a database error (PostgreSQL text has none)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/standards/?q=a%00",
        "/standards/?q=%E9%92%A2%00",
        "/talent-pool/?enterprise=%00x",
        "/api/standards/?q=a%00b",
        "/search/?q=a%00",
    ],
)
def test_nul_in_a_query_string_is_a_bad_request(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "空字符" in response.content.decode()
    assert "Content-Security-Policy" in response.headers


def test_an_encoded_percent_sign_is_not_a_nul(client):
    assert client.get("/standards/?q=%2500").status_code == 200
