"""The anonymous page cache serves repeat visits from cache and is never stale after a change."""

import pytest
from django.core.cache import cache

from registry.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def test_second_anonymous_visit_is_a_hit(client):
    assert client.get("/").get("X-Page-Cache") == "miss"
    assert client.get("/").get("X-Page-Cache") == "hit"


def test_a_visit_reads_the_cache_once(client, monkeypatch):
    """The generation and the page come in one call (with Redis, one network round trip)."""
    client.get("/")
    calls, depth = [], [0]

    def counted(name, method):
        def call(*args, **kwargs):
            if not depth[0]:  # the local-memory backend's get_many calls its own get
                calls.append(name)
            depth[0] += 1
            try:
                return method(*args, **kwargs)
            finally:
                depth[0] -= 1

        return call

    for name in ("get", "get_many", "set", "add"):
        monkeypatch.setattr(cache, name, counted(name, getattr(cache, name)))
    assert client.get("/").get("X-Page-Cache") == "hit"
    assert calls == ["get_many"]


def test_any_public_change_invalidates(client):
    client.get("/")
    assert client.get("/").get("X-Page-Cache") == "hit"
    EnterpriseFactory()
    assert client.get("/").get("X-Page-Cache") == "miss"


def test_logged_in_users_and_forms_are_never_cached(client, orgs, make_admin):
    assert client.get("/admin/login/").get("X-Page-Cache") is None
    assert client.get("/accounts/login/").get("X-Page-Cache") is None
    client.force_login(make_admin(orgs.changan))
    client.get("/")
    assert client.get("/").get("X-Page-Cache") is None


def test_responses_that_set_cookies_are_not_stored(client, rf):
    from django.http import HttpResponse

    from cqosite.pagecache import AnonymousPageCacheMiddleware

    def view(request):
        response = HttpResponse("with cookie")
        response.set_cookie("csrftoken", "abc")
        return response

    middleware = AnonymousPageCacheMiddleware(view)
    middleware(rf.get("/somewhere/"))
    assert middleware(rf.get("/somewhere/")).get("X-Page-Cache") is None


def test_a_first_search_neither_reads_nor_writes_the_cache(client, monkeypatch):
    """A one-off search costs no cache round trip; a repeated one is stored on its second visit, served from the
    cache on its third."""
    calls = []
    for name in ("get", "get_many", "set"):
        method = getattr(cache, name)
        monkeypatch.setattr(cache, name, lambda *a, _n=name, _m=method, **k: (calls.append(_n), _m(*a, **k))[1])
    assert client.get("/standards/?q=钢铁厂").get("X-Page-Cache") == "miss"
    assert client.get("/standards/?q=食品厂").get("X-Page-Cache") == "miss"
    assert calls == []
    assert client.get("/standards/?q=钢铁厂").get("X-Page-Cache") == "miss"
    assert calls[0] == "get_many" and calls.count("set") == 1  # (the local-memory get_many calls get)
    assert client.get("/standards/?q=钢铁厂").get("X-Page-Cache") == "hit"


def test_first_visits_stay_bounded():
    from cqosite.pagecache import FirstVisits

    visits = FirstVisits(limit=3)
    assert [visits.is_first(key) for key in "abca"] == [True, True, True, False]
    for key in "defg":
        visits.is_first(key)
    assert len(visits.seen) <= 3
    assert visits.is_first("b")  # forgotten when the set filled up: one more rendering, then cached as before
