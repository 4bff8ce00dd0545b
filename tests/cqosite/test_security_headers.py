import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/admin/login/", "/accounts/login/"])
def test_responses_carry_security_headers(client, url):
    response = client.get(url)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]


def test_forms_carry_csrf_tokens(client):
    assert b"csrfmiddlewaretoken" in client.get("/admin/login/").content


def test_english_is_selectable(client):
    response = client.get("/language/en/", HTTP_REFERER="/accounts/login/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    page = client.get("/accounts/login/")
    assert page.context["LANGUAGE_CODE"] == "en"
    assert "Log in" in page.content.decode()
    client.get("/language/zh-hans/")
    assert "登录" in client.get("/accounts/login/").content.decode()
    assert client.get("/language/xx/").status_code == 404
