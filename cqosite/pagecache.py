"""A whole-page cache for anonymous visitors of the public portal, never stale after a change.

A cached response is served before sessions, site lookup and routing run, which is what lets public pages
approach a bare Django view's throughput. Rules:

- only GET/HEAD without a session cookie, outside the interactive prefixes (admin, accounts, forms, APIs);
- only 200 responses that set no cookie (a page with a CSRF form sets one, so it is never shared);
- a URL with a query string (a search, a filter, a page number) that this worker has not served before is
  rendered without a look in the cache and not stored (:class:`FirstVisits`): most searches are typed once, and
  the look-up and the store of each one's page took a quarter of the time of an uncached search. From its second
  visit to a worker on, such a page is looked up and stored like any other;
- a page is stored with a *generation* number that every save or delete in the public apps, and every Wagtail
  publish/unpublish, increments, and served only while the generation is unchanged, so a change invalidates
  every cached page at once. The generation lives in the shared cache (Redis in production), so all application
  servers see it; it is read with the page, in one round trip.

Enabled by ``PAGE_CACHE_SECONDS`` (0 turns it off; base settings enable it only with Redis, because a
per-process cache could not share the generation between workers).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import get_language_from_request

from registry.generations import Generation

GENERATION = Generation("pagecache:generation")
PUBLIC_APPS = {
    "home",
    "news",
    "registry",
    "standards",
    "awards",
    "qcgroups",
    "wagtailcore",
    "wagtailimages",
    "wagtaildocs",
    "taggit",
}
EXCLUDED_PREFIXES = (
    "/admin",
    "/accounts",
    "/captcha",
    "/api",
    "/enterprise",
    "/apply",
    "/qc",
    "/documents",
    "/i18n",
    "/talent-pool/file",
    "/static",
    "/media",
)


def invalidate(**kwargs):
    sender = kwargs.get("sender")
    meta = getattr(sender, "_meta", None)
    if meta is not None and meta.app_label not in PUBLIC_APPS:
        return
    GENERATION.bump()


def connect_signals():
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(invalidate, dispatch_uid=f"pagecache.invalidate.{id(signal)}")
    from wagtail.signals import page_published, page_unpublished, published, unpublished

    for signal in (page_published, page_unpublished, published, unpublished):
        signal.connect(invalidate, dispatch_uid=f"pagecache.invalidate.{id(signal)}")


class FirstVisits:
    """The keys of the pages with a query string that this process has served, to tell a first visit.

    A doorkeeper in the manner of cache admission policies (TinyLFU): a set of at most ``limit`` keys, emptied
    when full (and with the worker, which gunicorn recycles), which costs a popular page one more rendering per
    worker and emptying. Threads of a threaded server may race on a key: the worst is one more rendering, or the
    set briefly a key over its limit, so no lock is taken.
    """

    def __init__(self, limit=10_000):
        self.limit = limit
        self.seen = set()

    def is_first(self, key):
        if key in self.seen:
            return False
        if len(self.seen) >= self.limit:
            self.seen.clear()
        self.seen.add(key)
        return True


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.first_visits = FirstVisits()

    def __call__(self, request):
        seconds = getattr(settings, "PAGE_CACHE_SECONDS", 0)
        if not seconds or not self.cacheable_request(request):
            return self.get_response(request)
        key = self.key(request)
        if request.META.get("QUERY_STRING") and self.first_visits.is_first(key):
            return self.mark_miss(self.get_response(request))
        # One round trip: the current generation and the page stored with the generation it was rendered in.
        found = cache.get_many([GENERATION.key, key])
        current = found.get(GENERATION.key) or GENERATION.current()
        stored_generation, cached = found.get(key) or (None, None)
        if cached is not None and stored_generation == current:
            cached["X-Page-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if self.cacheable_response(response):
            if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
                response.render()
            cache.set(key, (current, response), seconds)
        return self.mark_miss(response)

    def mark_miss(self, response):
        if self.cacheable_response(response):
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def cacheable_request(request):
        return (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(EXCLUDED_PREFIXES)
        )

    @staticmethod
    def cacheable_response(response):
        return (
            response.status_code == 200
            and not response.cookies
            and not getattr(response, "streaming", False)
            and "private" not in response.get("Cache-Control", "")
        )

    @staticmethod
    def key(request):
        language = get_language_from_request(request)
        raw = f"{request.get_host()}|{request.get_full_path()}|{language}|{request.method}"
        return f"pagecache:{hashlib.sha256(raw.encode()).hexdigest()}"
