"""The anonymous page cache serves repeat visits from cache and is never stale after a change."""

import datetime
import time

import pytest
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from cqosite import pagecache
from cqosite.pagecache import (
    GENERATION,
    AnonymousPageCacheMiddleware,
    KeptTexts,
    generation_of,
    generations_for,
    generations_read_once,
)
from news.factories import make_news
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


def cached(client, url="/"):
    """Visit ``url`` until it is served from the cache (a query string is stored from its second visit)."""
    for _visit in range(3):
        if client.get(url).get("X-Page-Cache") == "hit":
            return True
    return False


def still_cached(client, url="/"):
    return client.get(url).get("X-Page-Cache") == "hit"


def test_a_public_record_change_invalidates(client):
    assert cached(client)
    EnterpriseFactory()
    assert not still_cached(client)


def test_publishing_and_unpublishing_a_news_page_reach_the_news_list_at_once(client, orgs, portal):
    assert cached(client, "/news/")
    page = make_news(orgs.hebei, "河北省质量月活动启动")
    response = client.get("/news/")
    assert response.get("X-Page-Cache") == "miss" and "河北省质量月活动启动" in response.content.decode()
    assert cached(client, "/news/")
    page.unpublish()
    response = client.get("/news/")
    assert response.get("X-Page-Cache") == "miss" and "河北省质量月活动启动" not in response.content.decode()


def test_a_draft_of_a_live_page_and_its_lock_keep_the_cache(client, orgs, portal):
    page = make_news(orgs.hebei, "已发布的新闻")
    assert cached(client, "/news/")
    page.title = "尚未发布的修改"
    page.save_revision()
    page.locked = True
    page.save(update_fields=["locked", "locked_by", "locked_at"])
    assert still_cached(client, "/news/")
    make_news(orgs.hebei, "一篇草稿", publish=False)
    assert still_cached(client, "/news/")


def test_approving_and_revoking_an_officer_reach_the_talent_pool(client, orgs, make_admin):
    from registry.officers.factories import OfficerFactory
    from registry.officers.submission import revoke

    officer = OfficerFactory(
        enterprise=EnterpriseFactory(region=orgs.changan.division),
        real_name="审核中的质量官",
        certificate_valid_until=datetime.date(2100, 12, 31),
    )
    assert cached(client, "/talent-pool/")
    officer.save_revision().publish()
    response = client.get("/talent-pool/")
    assert response.get("X-Page-Cache") == "miss" and "审核中的质量官" in response.content.decode()
    assert cached(client, "/talent-pool/")
    officer.refresh_from_db()
    revoke(officer, make_admin(orgs.shijiazhuang), "资料不全")
    response = client.get("/talent-pool/")
    assert response.get("X-Page-Cache") == "miss" and "审核中的质量官" not in response.content.decode()


def test_officer_review_work_keeps_the_cache(client, orgs, make_admin):
    """Entering, submitting and locking records awaiting review is invisible to the public."""
    from registry.officers.factories import OfficerFactory
    from registry.officers.submission import submit

    admin = make_admin(orgs.changan)
    enterprise = EnterpriseFactory(region=orgs.changan.division)
    assert cached(client, "/talent-pool/")
    officer = OfficerFactory(enterprise=enterprise)
    submit(officer, admin)
    officer.refresh_from_db()
    officer.locked = True
    officer.save(update_fields=["locked", "locked_by", "locked_at"])
    assert still_cached(client, "/talent-pool/")


def test_a_published_standard_reaches_the_search_and_a_draft_does_not(client):
    from filings.standards.factories import DisclosedStandardFactory
    from filings.standards.models import DisclosedStandard

    url = "/standards/?q=缓存测试"
    enterprise = EnterpriseFactory()
    assert cached(client, url)
    draft = DisclosedStandardFactory(
        enterprise=enterprise, name="缓存测试草稿", status=DisclosedStandard.Status.DRAFT, published_at=None
    )
    assert still_cached(client, url)
    draft.status = DisclosedStandard.Status.PUBLISHED
    draft.save()
    response = client.get(url)
    assert response.get("X-Page-Cache") == "miss" and "缓存测试草稿" in response.content.decode()


def test_a_standards_reminder_and_its_answer_keep_the_cache_and_an_abolition_does_not(client):
    """The two-year reminders go out by the thousand in one run; only the enterprise's own list shows them."""
    from filings.standards.factories import DisclosedStandardFactory
    from filings.standards.services import send_due_reminders

    url = "/standards/?q=提醒测试"
    standard = DisclosedStandardFactory(name="提醒测试标准", published_at=timezone.now() - datetime.timedelta(days=800))
    assert cached(client, url)
    assert send_due_reminders() == 1
    standard.refresh_from_db()
    assert standard.reminder_due and still_cached(client, url)
    standard.continued_at = timezone.now()
    standard.save(update_fields=["continued_at", "updated_at"])
    assert still_cached(client, url)
    standard.abolished_at = timezone.now()
    standard.save(update_fields=["abolished_at", "updated_at"])
    response = client.get(url)
    assert response.get("X-Page-Cache") == "miss" and "已废止" in response.content.decode()


def test_private_writes_keep_the_cache(client, orgs, make_admin):
    """Logins, audit entries, codes and import progress are what administrators do all day."""
    from django.contrib.auth.signals import user_logged_in
    from django.test import RequestFactory
    from wagtail.log_actions import log

    from registry.models import ImportJob, SMSCode

    admin = make_admin(orgs.changan)
    assert cached(client)
    user_logged_in.send(sender=type(admin), request=RequestFactory().get("/"), user=admin)  # updates last_login
    log(instance=admin, action="wagtail.edit", user=admin)
    SMSCode.objects.create(
        mobile="13800000000", purpose=SMSCode.Purpose.REGISTER, code_hash="x", expires_at=timezone.now()
    )
    job = ImportJob.objects.create(user=admin, original_name="officers.xlsx", total_rows=5000)
    job.processed_rows = 2500
    job.save()
    assert still_cached(client)


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


def test_a_first_search_reads_only_the_generation(client, monkeypatch):
    """A one-off search costs no page-cache round trip: it reads the generation alone, once, and its header and
    footer are the ones this process kept under it; a repeated one is stored on its second visit (the generation
    read with the page), served from the cache on its third."""
    calls = []
    for name in ("get_many", "set"):
        method = getattr(cache, name)
        monkeypatch.setattr(
            cache, name, lambda *a, _n=name, _m=method, **k: (calls.append((_n, *a[:1])), _m(*a, **k))[1]
        )
    client.get("/standards/?q=预热")  # the section URLs worked out and stored once, the header and footer kept
    calls.clear()
    assert client.get("/standards/?q=钢铁厂").get("X-Page-Cache") == "miss"
    assert client.get("/standards/?q=食品厂").get("X-Page-Cache") == "miss"
    assert calls == [("get_many", [GENERATION.key])] * 2
    calls.clear()
    assert client.get("/standards/?q=钢铁厂").get("X-Page-Cache") == "miss"
    page = AnonymousPageCacheMiddleware.key(RequestFactory().get("/standards/?q=钢铁厂"))
    assert calls == [("get_many", [GENERATION.key, page]), ("set", page)]  # read with the generation, then stored
    assert client.get("/standards/?q=钢铁厂").get("X-Page-Cache") == "hit"


def test_a_change_made_while_a_request_renders_reaches_the_rest_of_it():
    with generations_read_once():
        assert pagecache.cached("portal:test", lambda: "before") == "before"
        GENERATION.advance()
        assert pagecache.cached("portal:test", lambda: "after") == "after"


def test_each_request_reads_the_generations_afresh(rf):
    """What a request read is not taken as current after it: here by code outside a request, after a change made
    by another process (the generation moved in the shared cache, no signal here)."""
    view = AnonymousPageCacheMiddleware(lambda request: HttpResponse(pagecache.cached("portal:test", lambda: "1")))
    assert view(rf.get("/a-page/")).content == b"1"
    cache.incr(GENERATION.key)
    assert pagecache.cached("portal:test", lambda: "2") == "2"


def test_text_kept_by_a_process_lasts_as_long_as_its_shared_copy(monkeypatch):
    """As in the shared cache: a change that sent no signal (a fix in the shell, a bump lost to a cache outage)
    shows within the page cache's seconds of the rendering, in every process."""
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now)
    with generations_read_once():
        assert pagecache.cached("portal:test", lambda: "before") == "before"
    pagecache.TEXTS.entries.clear()  # another worker, which reads the shared copy 200 seconds after its rendering
    now += 200
    with generations_read_once():
        assert pagecache.cached("portal:test", lambda: "after") == "before"
    cache.delete("portal:test")  # expired in the shared cache
    now += 99
    with generations_read_once():
        assert pagecache.cached("portal:test", lambda: "after") == "before"
    now += 2
    with generations_read_once():
        assert pagecache.cached("portal:test", lambda: "after") == "after"


def test_text_kept_by_a_process_stays_within_its_size():
    texts, later = KeptTexts(limit=10), time.time() + 300
    texts.keep("a", (1,), "12345", later)
    texts.keep("a", (2,), "12345", later)
    texts.keep("b", (1,), "12345", later)
    assert texts.get("a") == ((2,), "12345") and texts.size == 10
    texts.keep("c", (1,), "123", later)
    assert texts.get("a") is None and texts.get("c") == ((1,), "123") and texts.size == 3
    texts.keep("d", (1,), "12345678901", later)
    assert texts.get("d") is None and texts.get("c") == ((1,), "123")


def test_a_request_rendered_within_another_leaves_the_outer_ones_generations():
    """Wagtail's preview renders a page through the middleware within the admin's request."""
    with generations_read_once():
        assert pagecache.cached("portal:test", lambda: "1") == "1"
        with generations_read_once():
            pagecache.cached("portal:other", lambda: "x")
        assert pagecache.generations_read() == {GENERATION.key: GENERATION.current()}


def test_a_change_is_counted_when_another_process_starts_the_counter_at_the_same_time(monkeypatch):
    cache.delete(GENERATION.key)
    add = cache.add

    def another_process_first(key, value, *args, **kwargs):
        add(key, 1_000, *args, **kwargs)  # another process's current() starts the counter first
        return add(key, value, *args, **kwargs)

    monkeypatch.setattr(cache, "add", another_process_first)
    assert GENERATION.advance() == 1_001 and GENERATION.current() == 1_001


def test_first_visits_stay_bounded():
    from cqosite.pagecache import FirstVisits

    visits = FirstVisits(limit=3)
    assert [visits.is_first(key) for key in "abca"] == [True, True, True, False]
    for key in "defg":
        visits.is_first(key)
    assert len(visits.seen) <= 3
    assert visits.is_first("b")  # forgotten when the set filled up: one more rendering, then cached as before


def test_a_change_bumps_the_generation_again_when_it_commits(client):
    """A visit between a change and its commit reads the old rows; what it stores must not outlive the commit."""
    EnterpriseFactory()
    EnterpriseFactory()
    assert cached(client)  # visits before the commit (the test's transaction never commits)
    connection = transaction.get_connection()
    pending = [
        callback for _savepoints, callback, _robust in connection.run_on_commit if callback == GENERATION.advance
    ]
    assert len(pending) == 1  # one more bump per transaction, however many changes
    pending[0]()  # the commit
    assert not still_cached(client)


def test_a_path_with_no_page_makes_no_cache_entry(client, monkeypatch):
    """A crawler's mistyped paths must not fill the shared cache (which holds the sessions too)."""
    keys, set_ = [], cache.set
    monkeypatch.setattr(cache, "set", lambda key, *args, **kwargs: (keys.append(key), set_(key, *args, **kwargs))[1])
    for path in ("/no-such-page/", "/no-such-page/", "/another-one/"):
        assert client.get(path).status_code == 404
    assert not [key for key in keys if key.startswith("pagecache:route:")]


@pytest.fixture
def rebuild_under_way():
    """Another request (of any worker) rendering an out-of-date page: the one rebuild slot taken."""
    from cqosite.pagecache import give_back, take_rebuild_slot

    slot = take_rebuild_slot()
    assert slot is not None
    yield slot
    give_back(slot)


def test_an_out_of_date_page_is_served_stale_while_another_is_rendered_then_rebuilt(client, orgs, portal):
    from cqosite.pagecache import give_back, take_rebuild_slot

    assert cached(client, "/news/")
    make_news(orgs.hebei, "刚刚发布的新闻")
    slot = take_rebuild_slot()
    response = client.get("/news/")
    assert response.get("X-Page-Cache") == "stale" and "刚刚发布的新闻" not in response.content.decode()
    give_back(slot)  # that rendering done: the next visitor renders the page again, and sees the news
    response = client.get("/news/")
    assert response.get("X-Page-Cache") == "miss" and "刚刚发布的新闻" in response.content.decode()
    assert take_rebuild_slot() is not None  # the rebuild gave its slot back
    assert still_cached(client, "/news/")


def test_stale_pages_are_served_for_seconds_at_most(client, orgs, portal, rebuild_under_way, monkeypatch):
    from cqosite import pagecache

    assert cached(client, "/news/")
    now = pagecache.time.time()
    monkeypatch.setattr(pagecache.time, "time", lambda: now)
    make_news(orgs.hebei, "刚刚发布的新闻")
    assert client.get("/news/").get("X-Page-Cache") == "stale"
    monkeypatch.setattr(pagecache.time, "time", lambda: now + pagecache.STALE_SECONDS - 0.5)
    assert client.get("/news/").get("X-Page-Cache") == "stale"
    monkeypatch.setattr(pagecache.time, "time", lambda: now + pagecache.STALE_SECONDS)
    response = client.get("/news/")  # rendered, although the other rebuild still holds the slot
    assert response.get("X-Page-Cache") == "miss" and "刚刚发布的新闻" in response.content.decode()


def test_a_page_never_stored_is_rendered_while_another_is(client, rebuild_under_way):
    assert client.get("/").get("X-Page-Cache") == "miss"
    assert still_cached(client)


def test_more_rebuild_slots_render_more_pages_at_once(client, orgs, portal, rebuild_under_way, settings):
    settings.PAGE_CACHE_REBUILDS = 2
    assert cached(client, "/news/")
    make_news(orgs.hebei, "刚刚发布的新闻")
    assert client.get("/news/").get("X-Page-Cache") == "miss"


def test_a_failed_rebuild_frees_its_slot(rf):
    from django.http import HttpResponse

    from cqosite.pagecache import AnonymousPageCacheMiddleware, take_rebuild_slot

    responses = [HttpResponse("first")]

    def view(request):
        if not responses:
            raise RuntimeError("the database went away")
        return responses.pop()

    middleware = AnonymousPageCacheMiddleware(view)
    middleware(rf.get("/somewhere/"))
    GENERATION.bump()
    with pytest.raises(RuntimeError):
        middleware(rf.get("/somewhere/"))
    assert take_rebuild_slot() is not None


def test_a_publish_starts_one_generation_and_one_more_when_it_commits(orgs, portal, monkeypatch):
    """Wagtail's publish signals follow the live save: counted again, they made every page out of date again."""
    from registry.models import ChiefQualityOfficer
    from registry.officers.factories import OfficerFactory

    advances = []
    for generation in (GENERATION, generation_of(ChiefQualityOfficer)):
        advance = generation.advance
        monkeypatch.setattr(generation, "advance", lambda g=generation, a=advance: (advances.append(g), a())[1])
    officer = OfficerFactory(enterprise=EnterpriseFactory(region=orgs.changan.division))
    page = make_news(orgs.hebei, "一篇草稿", publish=False)
    for record, generation in ((officer, generation_of(ChiefQualityOfficer)), (page, GENERATION)):
        advances.clear()
        record.save_revision().publish()
        assert advances == [generation]


def test_an_officer_approval_leaves_the_pages_that_show_no_officers_cached(client, orgs, portal):
    """Officers are approved all day: only the talent pool's pages (and the list kept for them) are made out of
    date; a change the whole site shows (an enterprise's name) still reaches the talent pool."""
    from registry.officers.factories import OfficerFactory

    enterprise = EnterpriseFactory(region=orgs.changan.division, name="区域缓存测试有限公司")
    officer = OfficerFactory(
        enterprise=enterprise, real_name="新获批的质量官", certificate_valid_until=datetime.date(2100, 12, 31)
    )
    for url in ("/", "/news/", "/talent-pool/", "/talent-pool/?region=130000"):
        assert cached(client, url)
    officer.save_revision().publish()
    assert still_cached(client, "/") and still_cached(client, "/news/")
    for url in ("/talent-pool/", "/talent-pool/?region=130000"):
        response = client.get(url)
        assert response.get("X-Page-Cache") == "miss" and "新获批的质量官" in response.content.decode()
    enterprise.name = "区域缓存改名有限公司"
    enterprise.save()
    response = client.get("/talent-pool/")
    assert response.get("X-Page-Cache") == "miss" and "区域缓存改名有限公司" in response.content.decode()


def test_a_stale_talent_pool_page_is_timed_from_the_approval(client, orgs, rebuild_under_way, monkeypatch):
    from cqosite import pagecache
    from registry.officers.factories import OfficerFactory

    officer = OfficerFactory(
        enterprise=EnterpriseFactory(region=orgs.changan.division), certificate_valid_until=datetime.date(2100, 12, 31)
    )
    assert cached(client, "/talent-pool/")
    now = pagecache.time.time()
    monkeypatch.setattr(pagecache.time, "time", lambda: now)
    officer.save_revision().publish()
    assert client.get("/talent-pool/").get("X-Page-Cache") == "stale"
    monkeypatch.setattr(pagecache.time, "time", lambda: now + pagecache.STALE_SECONDS)
    assert client.get("/talent-pool/").get("X-Page-Cache") == "miss"


def test_the_stale_window_counts_from_the_change_and_later_changes_do_not_prolong_it(
    client, orgs, portal, rebuild_under_way, monkeypatch
):
    """A withdrawn page must not be served for minutes: neither because nobody asked for it until later, nor
    because approvals elsewhere keep starting new generations."""
    from cqosite import pagecache

    page = make_news(orgs.hebei, "即将撤回的新闻")
    assert cached(client, "/news/") and "即将撤回的新闻" in client.get("/news/").content.decode()
    now = pagecache.time.time()
    page.unpublish()
    monkeypatch.setattr(pagecache.time, "time", lambda: now + 100)  # the first visitor comes much later
    response = client.get("/news/")
    assert response.get("X-Page-Cache") == "miss" and "即将撤回的新闻" not in response.content.decode()

    assert cached(client, "/news/")
    make_news(orgs.hebei, "第二条新闻")
    for step in range(1, 5):  # changes elsewhere, each within the window of the one before
        monkeypatch.setattr(pagecache.time, "time", lambda step=step: now + 100 + step * 1.5)
        GENERATION.bump()
    response = client.get("/news/")
    assert response.get("X-Page-Cache") == "miss" and "第二条新闻" in response.content.decode()


def test_a_slow_rendering_whose_slot_expired_does_not_free_anothers(settings):
    from cqosite.pagecache import give_back, take_rebuild_slot

    slow = take_rebuild_slot()
    cache.delete(slow[0])  # its slot expired while it was still rendering
    other = take_rebuild_slot()
    give_back(slow)  # the slow rendering ends
    assert take_rebuild_slot() is None and cache.get(other[0]) == other[1]
    give_back(other)


def test_a_page_stored_under_another_shape_of_generations_is_rendered_again(client, orgs, portal, rebuild_under_way):
    """A page stored before an upgrade (a bare number) or before the path joined an area is never served."""
    from cqosite.pagecache import AnonymousPageCacheMiddleware

    assert cached(client, "/news/")
    key = AnonymousPageCacheMiddleware.key(client.get("/news/").wsgi_request)
    _generations, response = cache.get(key)
    for stored in (GENERATION.current() - 1, (GENERATION.current() - 1, 1)):
        cache.set(key, (stored, response))
        assert client.get("/news/").get("X-Page-Cache") == "miss"


def test_the_talent_pool_is_in_the_officers_area():
    """Declared by a path: if the talent pool moved, approvals would no longer reach its cached pages."""
    from django.urls import reverse

    from registry.models import ChiefQualityOfficer

    assert generation_of(ChiefQualityOfficer) in generations_for(reverse("talent_pool"))
    assert generation_of(ChiefQualityOfficer) not in generations_for("/news/")


def test_a_page_out_of_date_by_two_generations_is_served_stale_from_the_first_change(
    client, orgs, rebuild_under_way, monkeypatch
):
    from cqosite import pagecache
    from registry.officers.factories import OfficerFactory

    officer = OfficerFactory(
        enterprise=EnterpriseFactory(region=orgs.changan.division), certificate_valid_until=datetime.date(2100, 12, 31)
    )
    assert cached(client, "/talent-pool/")
    now = pagecache.time.time()
    monkeypatch.setattr(pagecache.time, "time", lambda: now)
    EnterpriseFactory()  # the site's generation
    monkeypatch.setattr(pagecache.time, "time", lambda: now + pagecache.STALE_SECONDS - 1)
    officer.save_revision().publish()  # the talent pool's, later
    assert client.get("/talent-pool/").get("X-Page-Cache") == "stale"
    monkeypatch.setattr(pagecache.time, "time", lambda: now + pagecache.STALE_SECONDS)
    assert client.get("/talent-pool/").get("X-Page-Cache") == "miss"  # timed from the first change
