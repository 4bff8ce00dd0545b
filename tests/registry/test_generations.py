"""Generation numbers kept in the process while Redis tracks them (registry.generations.TrackedNumbers)."""

import contextlib
import time
import uuid

import pytest
import redis
from django.core.cache import cache
from redis.connection import AbstractConnection

from cqosite import pagecache
from cqosite.pagecache import GENERATION, generations_read_once
from registry.generations import TRACKED, Generation

REDIS_URL = "redis://127.0.0.1:6379/9"


def redis_answers():
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


needs_redis = pytest.mark.skipif(not redis_answers(), reason="needs Redis on 127.0.0.1:6379")


@pytest.fixture
def shared_cache(settings):
    """The shared cache on Redis, in a namespace of this test's own (others may use the database meanwhile)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    yield
    TRACKED.forget()
    TRACKED.resting_until = 0


@pytest.fixture
def commands(monkeypatch):
    """The commands sent to Redis by any connection of this process."""
    sent = []
    send = AbstractConnection.send_command

    def counted(connection, *args, **kwargs):
        sent.append(args[0])
        return send(connection, *args, **kwargs)

    monkeypatch.setattr(AbstractConnection, "send_command", counted)
    return sent


def changed_elsewhere(key):
    """``key`` moved by another connection (another process), once Redis's invalidation has reached this one."""
    number = cache.incr(key)
    TRACKED.connection.can_read(timeout=1)
    return number


@pytest.fixture
def quiet_for_long(monkeypatch):
    """No check of the connection in between (on a busy machine a second may pass between two reads)."""
    monkeypatch.setattr(TRACKED, "CHECK_SECONDS", 3600)


@needs_redis
def test_a_number_is_read_once_then_kept_until_redis_says_it_changed(shared_cache, commands, quiet_for_long):
    counter = Generation("test:generation")
    first = counter.advance()
    assert TRACKED.read([counter.key]) == {counter.key: first}
    commands.clear()
    assert TRACKED.read([counter.key]) == {counter.key: first}
    assert commands == []  # kept
    for _change in range(20):  # never the number before
        number = changed_elsewhere(counter.key)
        assert TRACKED.read([counter.key]) == {counter.key: number}
    assert counter.advance() == number + 1  # changed here: read anew at once
    assert TRACKED.read([counter.key]) == {counter.key: number + 1}
    TRACKED.checked_at = -TRACKED.CHECK_SECONDS  # quiet for long: the connection answers first
    commands.clear()
    assert TRACKED.read([counter.key]) == {counter.key: number + 1}
    assert commands == ["PING"]
    cache.delete(counter.key)
    TRACKED.connection.can_read(timeout=1)
    assert TRACKED.read([counter.key]) == {}
    assert TRACKED.read(["test:never-set"]) == {}


@needs_redis
def test_a_lost_connection_forgets_what_it_kept(shared_cache):
    counter = Generation("test:generation")
    first = counter.advance()
    assert TRACKED.read([counter.key]) == {counter.key: first}
    TRACKED.connection.send_command("CLIENT", "ID")
    redis.Redis.from_url(REDIS_URL).client_kill_filter(_id=TRACKED.connection.read_response())
    later = cache.incr(counter.key)  # Redis could not tell the connection it closed
    with contextlib.suppress(redis.ConnectionError):
        TRACKED.connection.can_read(timeout=1)  # until the close arrives
    # The read that finds the connection closed answers nothing (the caller reads the shared cache); the next
    # opens a new one.
    assert TRACKED.read([counter.key]) == {}
    assert TRACKED.read([counter.key]) == {counter.key: later}


@needs_redis
def test_no_redis_to_connect_to_rests_the_tracking(shared_cache, settings, caplog):
    settings.CACHES["default"]["LOCATION"] = "redis://127.0.0.1:1/9"  # nothing listens there
    assert TRACKED.read(["test:generation"]) == {}
    assert "not tracked" in caplog.text
    assert TRACKED.resting_until > time.monotonic() + TRACKED.REST_SECONDS - 5


def test_an_emptied_database_forgets_every_number():
    TRACKED.numbers[b"a"] = 1
    TRACKED.invalidated([b"invalidate", None])
    assert TRACKED.numbers == {}


@needs_redis
@pytest.mark.django_db
def test_a_page_part_kept_under_tracked_generations_costs_no_round_trip(
    shared_cache, settings, commands, quiet_for_long
):
    settings.PAGE_CACHE_SECONDS = 300
    key = f"portal:test:{uuid.uuid4().hex}"
    GENERATION.current()  # the counter started, as on a site in use
    with generations_read_once():
        assert pagecache.cached(key, lambda: "first") == "first"
    commands.clear()
    with generations_read_once():
        assert pagecache.cached(key, lambda: "again") == "first"
    assert commands == []
    changed_elsewhere(GENERATION.key)
    with generations_read_once():
        assert pagecache.cached(key, lambda: "after") == "after"


@needs_redis
@pytest.mark.django_db
def test_a_stored_page_is_never_older_than_the_shared_cache(shared_cache, settings, quiet_for_long, rf, monkeypatch):
    """The page cache reads the generations with the stored page, not from what the tracking connection keeps: a
    change it has not heard of yet (a connection gone silent, an invalidation in flight) still makes the page
    out of date, as does one made in this process."""
    from django.http import HttpResponse

    settings.PAGE_CACHE_SECONDS = 300
    renders = []

    def view(request):
        renders.append(request.path)
        return HttpResponse(f"render {len(renders)}")

    middleware = pagecache.AnonymousPageCacheMiddleware(view)
    GENERATION.current()  # the counter started, as on a site in use
    assert middleware(rf.get("/a-page/"))["X-Page-Cache"] == "miss"
    assert middleware(rf.get("/a-page/"))["X-Page-Cache"] == "hit"
    with generations_read_once():
        kept = TRACKED.read([GENERATION.key])
    assert kept  # tracked: what a search's page parts would read
    monkeypatch.setattr(TRACKED, "read", lambda keys: dict(kept))  # never hears of the change below
    cache.incr(GENERATION.key)  # by another process
    again = middleware(rf.get("/a-page/"))
    assert (again["X-Page-Cache"], again.content) == ("miss", b"render 2")
    assert middleware(rf.get("/a-page/"))["X-Page-Cache"] == "hit"
    GENERATION.advance()  # in this process
    assert middleware(rf.get("/a-page/"))["X-Page-Cache"] == "miss"
