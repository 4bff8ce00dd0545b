"""A whole-page cache for anonymous visitors of the public portal, never stale after a change.

A cached response is served before sessions, site lookup and routing run, which is what lets public pages
approach a bare Django view's throughput. Rules:

- only GET/HEAD without a session cookie, outside the interactive prefixes (admin, accounts, forms, APIs);
- only 200 responses that set no cookie (a page with a CSRF form sets one, so it is never shared);
- a URL with a query string (a search, a filter, a page number) that this worker has not served before is
  rendered without a look in the cache and not stored (:class:`FirstVisits`): most searches are typed once, and
  the look-up and the store of each one's page took a quarter of the time of an uncached search. From its second
  visit to a worker on, such a page is looked up and stored like any other;
- a page is stored with a *generation* number and served only while the generation is unchanged. The
  generation moves when something a public page shows changes: a page or a moderated record is published,
  unpublished, moved, deleted, or saved while it is (or once was) live, or a record an app declared public with
  :func:`shows_publicly` is saved or deleted in a state the public sees. Drafts, revisions, workflow and lock
  state, logins, codes, job progress, audit entries, fields declared unseen (a standard's two-year reminder) and
  every undeclared model leave it alone, so the cache survives a working day of administrators at work. The
  generation lives in the shared cache (Redis in production), so all application servers see it; it is read with
  the page, in one round trip (:func:`read_current`);
- records that only the pages under one path show (the officers, on the talent pool: :func:`shows_only_under`)
  move that *area's* generation instead, which pages under the path are current under beside the site's: an
  officer approved every few seconds across the country makes the talent pool's pages out of date, not the
  news, the standards or the home page;
- a page stored under an earlier generation is rendered again by the first request that finds it so, unless
  ``PAGE_CACHE_REBUILDS`` requests are already rendering out-of-date pages: then it gets the stored page
  (``X-Page-Cache: stale``). One change makes every page out of date at once, and the workers that all rendered
  them together left none to answer the cached pages: the working-day load test's p95 was 13× the bare view's
  (bench/portal.py). A page is served stale for at most :data:`STALE_SECONDS` after the change that made it so
  (later changes do not prolong it): a public change reaches a visitor at once when no other page is being
  rendered, within seconds when the site is busy.

Enabled by ``PAGE_CACHE_SECONDS`` (0 turns it off; base settings enable it only with Redis, because a
per-process cache could not share the generation between workers).
"""

import contextlib
import hashlib
import secrets
import time

from asgiref.local import Local
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language_from_request
from wagtail.models import DraftStateMixin, Page, Site
from wagtail.signals import post_page_move
from wagtail.views import serve as wagtail_serve

from registry.generations import TRACKED, Generation


class PageGeneration(Generation):
    """A page cache generation, which also notes when each generation started: a page stored in the one before
    has been out of date since then (:func:`may_serve_stale`)."""

    def advance(self):
        generation = super().advance()
        if generation is not None and getattr(settings, "PAGE_CACHE_SECONDS", 0):
            cache.set(self.started_key(generation), time.time(), STALE_SECONDS * 5)
        generations_read().pop(self.key, None)  # what this request renders next is current under the new one
        return generation

    def started_key(self, generation):
        return f"{self.key}:started:{generation}"


#: The whole site's generation: every public page is current under it.
GENERATION = PageGeneration("pagecache:generation")
#: Path prefix → the generation of the records only the pages under it show (:func:`shows_only_under`).
AREAS = {}
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
    # The enterprise's training area and the exams; the certificate check is rate-limited, so never served stored.
    "/training",
    "/static",
    "/media",
)

#: Fields Wagtail writes while a record is edited, reviewed or locked; a save of these alone is not a public change.
EDITING_STATE_FIELDS = frozenset(
    {
        "latest_revision",
        "latest_revision_created_at",
        "has_unpublished_changes",
        "draft_title",
        "locked",
        "locked_at",
        "locked_by",
        "go_live_at",
        "expire_at",
        "wagtail_admin_comments",
    }
)

#: Part of a stored page's key: a release that stores pages otherwise (as generation numbers of another shape) moves
#: it, so that while its servers replace the last release's one by one, neither reads what the other stored.
PAGE_FORMAT = 2
#: Seconds after a public change during which visitors may still get a page stored before it.
STALE_SECONDS = 2
#: A rebuild slot left taken (its worker killed mid-rendering) is free again after this long: longer than a request
#: may run (gunicorn's timeout), so a slow rendering never loses its slot to another.
REBUILD_SLOT_SECONDS = 120

#: Model → predicate(instance): whether a save or delete of that instance changes what the public sees.
_public_models = {}
#: Model → the fields a save of which alone changes no public page (:data:`EDITING_STATE_FIELDS` and its own).
_unseen_fields = {}
#: Model → the path prefix of the only pages that show it.
_area_of_model = {}


def always(instance):
    return True


def shows_publicly(model, when=always, unseen=()):
    """Declare that saving or deleting ``model`` changes public pages whenever ``when(instance)`` holds, except a
    save of ``unseen`` fields alone (``update_fields``): what only its owner or the administrators see.

    Apps declare their public records from ``AppConfig.ready``; pages and moderated snippets need no declaration.
    """
    _public_models[model] = when
    _unseen_fields[model] = EDITING_STATE_FIELDS.union(unseen)


def shows_only_under(model, prefix):
    """Declare that ``model`` (public under the rules above) shows on the pages under ``prefix`` alone: its public
    changes start a new generation of those pages only. Declared from ``AppConfig.ready``; a model that any other
    public page shows, however little of it, must not be declared."""
    _area_of_model[model] = prefix
    AREAS.setdefault(prefix, PageGeneration(f"pagecache:generation:{prefix}"))


def generation_of(model):
    """The generation a public change of ``model`` (a class) starts anew: its area's, or the site's."""
    for base in model.__mro__:
        if base in _area_of_model:
            return AREAS[_area_of_model[base]]
    return GENERATION


def generations_for(path):
    """The generations a page at ``path`` (below the script prefix) is current under: the site's, and those of the
    areas it is in."""
    return (GENERATION, *(generation for prefix, generation in AREAS.items() if path.startswith(prefix)))


def invalidate(sender=None, **kwargs):
    """Make the public pages that show ``sender`` (a model; by default, any) out of date: a signal receiver too."""
    (GENERATION if sender is None else generation_of(sender)).bump()


def cached(key, compute, generations=(GENERATION,)):
    """``compute()``, kept in the shared cache under ``key`` for as long as ``generations`` are unchanged.

    What every public page shows in the same way (the sections' URLs, the home page's lists, a news list page) is
    worked out once a generation, so a page the page cache has not stored (a first visit, a query string) renders
    without its queries. Only while the page cache is on (``PAGE_CACHE_SECONDS``, its timeout too): a per-process
    cache alone would go on serving a value the other workers' changes made stale. ``None`` is never stored, so
    what does not exist (a mistyped path) costs no cache entry.

    A request reads the generations once (:func:`generations_read_once`): with Redis, from the numbers this process
    keeps while Redis tracks them for it (:class:`registry.generations.TrackedNumbers`), in no round trip; else in the
    same round trip as the first value it needs that this process does not keep. Text (a page's header, footer or
    lists) is also kept in this process with the generations it was rendered under (:data:`TEXTS`), and served from
    there while they are current: such parts cost a page the page cache has not stored no round trip. Other values
    (objects a request may change: a Wagtail page's route, the sections' URLs) come from the shared cache each time.
    """
    seconds = getattr(settings, "PAGE_CACHE_SECONDS", 0)
    if not seconds:
        return compute()
    kept = TEXTS.get(key)
    current, found = read_current(generations, [key] if kept is None else [])
    if kept is not None and kept[0] == current:
        return kept[1]
    stored = found.get(key) if kept is None else cache.get(key)
    if stored is None or stored[0] != current:
        value = compute()
        if value is None:
            return None
        # With the time it expires in the shared cache, which a process keeping it keeps it no longer than.
        stored = (current, value, time.time() + seconds)
        cache.set(key, stored, seconds)
    if isinstance(stored[1], str):
        TEXTS.keep(key, *stored[:2], stored[2] if len(stored) > 2 else time.time() + seconds)
    return stored[1]


def read_current(generations, keys=(), tracked=True):
    """``(numbers of generations, {key: value} of those of keys the shared cache holds)``.

    A generation this request read already (:func:`generations_read`) is not read again; with ``tracked``, one that
    Redis tracks for this process is taken from what it keeps (:data:`registry.generations.TRACKED`: no round trip,
    current as soon as Redis's invalidation arrives, or within its check of a silent connection); the others are
    read from the shared cache with ``keys``, in one round trip. A counter missing there is started
    (:meth:`Generation.current`). The page cache reads them with the stored page, untracked: a hit is then never
    older than the shared cache, whatever became of the tracking connection, and it costs the same round trip."""
    known = generations_read()
    unread = [generation for generation in generations if generation.key not in known]
    found = TRACKED.read([generation.key for generation in unread]) if tracked else {}
    wanted = [*(generation.key for generation in unread if generation.key not in found), *keys]
    found |= cache.get_many(wanted) if wanted else {}
    for generation in unread:
        known[generation.key] = found.get(generation.key) or generation.current()
    return tuple(known[generation.key] for generation in generations), found


class KeptTexts:
    """``key → (generation numbers, text, expiry)``: what :func:`cached` read or rendered lately in this process, each
    until its copy in the shared cache expires (the page cache's seconds after it was rendered: what changed with no
    signal, or under a lost bump, shows as soon as without it). At most ``limit`` characters in all, emptied when
    full (as :class:`FirstVisits`): a crawler's walk through every list page costs a worker a few megabytes, and
    the parts every page shares are back after one request. Text is immutable, so requests share it safely."""

    def __init__(self, limit=1_000_000):
        self.limit = limit
        self.entries = {}
        self.size = 0

    def get(self, key):
        """``(generation numbers, text)`` kept under ``key`` and not expired, or ``None``."""
        entry = self.entries.get(key)
        if entry is None or entry[2] <= time.time():
            return None
        return entry[:2]

    def keep(self, key, generations, text, expires):
        if len(text) > self.limit:
            return
        replaced = self.entries.pop(key, None)
        if replaced is not None:
            self.size -= len(replaced[1])
        if self.size + len(text) > self.limit:
            self.entries.clear()
            self.size = 0
        self.entries[key] = (generations, text, expires)
        self.size += len(text)


TEXTS = KeptTexts()
#: The generation numbers read during the current request (:func:`generations_read_once`).
_this_request = Local()


@contextlib.contextmanager
def generations_read_once():
    """Within: the generations are read from the shared cache at most once (each request, by the middleware).

    Outside, each :func:`cached` reads them afresh (a management command, a task worker). A request rendered within
    another (Wagtail's preview runs the middleware again) reads its own, and leaves the outer one's as they were."""
    outer = getattr(_this_request, "numbers", None)
    _this_request.numbers = {}
    try:
        yield
    finally:
        _this_request.numbers = outer


def generations_read():
    """Generation key → number, as read so far within :func:`generations_read_once`: a dict to fill (a new one
    outside)."""
    numbers = getattr(_this_request, "numbers", None)
    return {} if numbers is None else numbers


def is_public_change(instance, update_fields=None):
    """Whether saving (or deleting) ``instance`` changes a public page."""
    if update_fields is not None and unseen_fields(type(instance)).issuperset(update_fields):
        return False
    if isinstance(instance, DraftStateMixin):
        # A draft never seen by the public is private; a live record, or one withdrawn since, is not.
        return bool(instance.live or getattr(instance, "live_revision_id", None))
    for model in type(instance).__mro__:
        when = _public_models.get(model)
        if when is not None:
            return bool(when(instance))
    return False


def unseen_fields(model):
    """The fields of ``model`` whose save alone changes no public page."""
    for base in model.__mro__:
        if base in _unseen_fields:
            return _unseen_fields[base]
    return EDITING_STATE_FIELDS


def saved(sender, instance, update_fields=None, raw=False, **kwargs):
    if not raw and is_public_change(instance, update_fields):
        invalidate(type(instance))


def deleted(sender, instance, **kwargs):
    if is_public_change(instance):
        invalidate(type(instance))


def connect_signals():
    """A publish saves the record live, which :func:`saved` sees: Wagtail's ``published`` and ``page_published``
    that follow would start one or two more generations for the same change, and every page rendered between them
    in vain (an officer's approval made the public pages out of date three times). An unpublish saves the record
    neither live nor with a live revision, so only its signals say so."""
    from wagtail.signals import page_unpublished, unpublished

    post_save.connect(saved, dispatch_uid="pagecache.saved")
    post_delete.connect(deleted, dispatch_uid="pagecache.deleted")
    for signal in (page_unpublished, unpublished, post_page_move):
        signal.connect(invalidate, dispatch_uid=f"pagecache.invalidate.{id(signal)}")


def take_rebuild_slot():
    """``(key, token)`` of a free slot among the ``PAGE_CACHE_REBUILDS`` for rendering an out-of-date page, taken;
    or ``None``: that many are being rendered already, by any worker of any server."""
    token = secrets.token_hex(8)
    for number in range(getattr(settings, "PAGE_CACHE_REBUILDS", 1)):
        slot = f"pagecache:rebuilding:{number}"
        if cache.add(slot, token, REBUILD_SLOT_SECONDS):
            return slot, token
    return None


def give_back(slot):
    """Free ``slot`` (from :func:`take_rebuild_slot`) if it is still this rendering's."""
    key, token = slot
    if cache.get(key) == token:
        cache.delete(key)


def may_serve_stale(generations, stored, current):
    """Whether a page stored under the numbers ``stored`` of ``generations`` (now ``current``) went out of date
    less than :data:`STALE_SECONDS` ago: timed from the first change that started a next generation, so later
    changes never prolong it. Never a page stored under other generations (one stored before an upgrade)."""
    if not isinstance(stored, tuple) or len(stored) != len(current):
        return False
    keys = [
        generation.started_key(number + 1)
        for generation, number, now in zip(generations, stored, current, strict=True)
        if number != now
    ]
    started = cache.get_many(keys)
    return len(started) == len(keys) and time.time() - min(started.values()) < STALE_SECONDS


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
        with generations_read_once():
            return self.respond(request)

    def respond(self, request):
        seconds = getattr(settings, "PAGE_CACHE_SECONDS", 0)
        if not seconds or not self.cacheable_request(request):
            return self.get_response(request)
        key = self.key(request)
        if request.META.get("QUERY_STRING") and self.first_visits.is_first(key):
            return self.mark_miss(self.get_response(request))
        # One round trip: the current generations and the page stored with those it was rendered in.
        generations = generations_for(request.path_info)
        current, found = read_current(generations, [key], tracked=False)
        stored_generations, cached = found.get(key) or (None, None)
        if cached is not None and stored_generations == current:
            cached["X-Page-Cache"] = "hit"
            return cached
        if cached is None:
            return self.render(request, key, current, seconds)
        slot = take_rebuild_slot()
        if slot is None and may_serve_stale(generations, stored_generations, current):
            cached["X-Page-Cache"] = "stale"
            return cached
        try:
            return self.render(request, key, current, seconds)
        finally:
            if slot is not None:
                give_back(slot)

    def render(self, request, key, generations, seconds):
        """The view's response, stored under ``generations`` (their numbers) when it may be shared."""
        response = self.get_response(request)
        if self.cacheable_response(response):
            if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
                response.render()
            cache.set(key, (generations, response), seconds)
        return self.mark_miss(response)

    def process_view(self, request, view_func, view_args, view_kwargs):
        """Wagtail finds a page for an anonymous visitor once a generation (the site, then a query per path
        segment): a page the cache has not stored is routed without a query. Set where Wagtail keeps them."""
        if view_func is wagtail_serve and self.cacheable_request(request):
            key = hashlib.sha256(f"{request.get_host()}|{view_args[0]}".encode()).hexdigest()
            found = cached(f"pagecache:route:{key}", lambda: self.route(request, view_args[0]))
            if found is not None:
                request._wagtail_site, request._wagtail_route_for_request = found

    @staticmethod
    def route(request, path):
        """The site and the route of an existing page, or ``None`` (a 404: Wagtail keeps it on the request)."""
        route = Page.route_for_request(request, path)
        return None if route is None else (Site.find_for_request(request), route)

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
        return f"pagecache:{PAGE_FORMAT}:{hashlib.sha256(raw.encode()).hexdigest()}"
