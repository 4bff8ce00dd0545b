"""The fuzz test: malformed values in every GET parameter of every URL pattern, public and admin, and no 500.

URL patterns come from the resolver (pages from the page tree), path converters are filled with records made by the
apps' own factories, and each view's parameters are found by recording what it reads from ``request.GET`` (twice:
with no parameters, then with every parameter found set, which reaches branches behind a parameter) plus a short
list of names views read without asking for one by name. Each parameter then gets each malformed value in turn,
as the first account that could open the page (anonymous, a portal account, or a superuser for the admin).
A response of 500 or an exception fails the test with the request that caused it.

The routes are split into chunks that run as separate tests, so ``pytest -n 2`` shares the work.
"""

import os
import re
import sys
from pathlib import Path

import pytest
from django.core.handlers.wsgi import WSGIRequest, get_bytes_from_wsgi
from django.db import transaction
from django.http import QueryDict
from django.utils.functional import cached_property
from wagtail.documents.models import Document
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page

from filings.qcgroups.factories import FilingUnitFactory
from home.site import build_site
from news.factories import make_news
from registry.factories import AdministratorFactory, EnterpriseAccountFactory, UserFactory
from registry.models import Organisation, Role, User
from registry.scoping import ScopedModelMixin, unscoped

from .routes import fill, walk
from .test_scoping_sweep import all_factories, model_of

#: What a prober types: quotes, words for numbers, numbers too big for any column or float, NUL, invalid UTF-8,
#: broken percent-escapes, a 60,000-character string, dates that are not. Raw query-string text (already escaped).
CORPUS = [
    "%22%27%3B--%ff%fe%",  # quotes, SQL comment, invalid UTF-8, a broken escape: any text a view may choke on
    "-1",
    "1e309",
    "99999999999999999999999",
    "%00",
    "x" * 60_000,
    "2026-13-45",
]
#: Names views read by iterating over the query (``urlencode``, ``dict``) rather than by name.
COMMON_NAMES = ["q", "page"]
CHUNKS = 8
SKIPPED = (
    "admin/logout/",  # signs the superuser out: the rest of the chunk would probe the login page
    "accounts/logout/",
    "language/",  # sets a cookie and redirects; its only input is the path
    "i18n/setlang/",
    "captcha/",  # images and audio of the captcha library, no parameters
    "_util/",
)

accessed = set()


class RecordingQueryDict(QueryDict):
    """``request.GET`` that notes every name a view asks for."""

    def __getitem__(self, key):
        accessed.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        accessed.add(key)
        return super().__contains__(key)

    def getlist(self, key, default=None):
        accessed.add(key)
        return super().getlist(key, default)


def recording_get(request):
    return RecordingQueryDict(get_bytes_from_wsgi(request.environ, "QUERY_STRING", ""), encoding=request._encoding)


@pytest.fixture
def record_parameters(monkeypatch):
    prop = cached_property(recording_get)
    prop.__set_name__(WSGIRequest, "GET")
    monkeypatch.setattr(WSGIRequest, "GET", prop)


def routes():
    found = sorted(
        {
            route
            for route, _pattern in walk()
            if not route.startswith(SKIPPED) and not route.startswith("^((")  # pages: from the page tree
        }
    )
    return found


def chunk(index):
    return routes()[index::CHUNKS]


@pytest.fixture
def world(db, record_parameters):
    """One record of every model the routes name, the portal's pages, and one account of each kind."""
    home = build_site()
    organisation = Organisation.objects.get(division_id="130102")
    superuser = AdministratorFactory(organisation=Organisation.get_root_nodes().get(), role=Role.PLATFORM)
    superuser.is_superuser = True
    superuser.save()
    made = {}
    with unscoped():
        for model, factory in all_factories().items():
            if issubclass(model, ScopedModelMixin) or model.__module__.startswith("filings"):
                try:
                    with transaction.atomic():  # a savepoint: a failed factory must not abort PostgreSQL's transaction
                        made[model] = factory()
                except Exception:  # noqa: BLE001,S112 - factories needing arguments: the route's 404 is reported
                    continue
    make_news(organisation, "模糊测试新闻", owner=superuser)
    Document.objects.create(title="doc", file=get_test_image_file())
    enterprise = EnterpriseAccountFactory()
    unit = FilingUnitFactory()
    accounts = {
        "anonymous": None,
        "enterprise": enterprise,
        "qc": getattr(unit, "account", None) or UserFactory(kind=User.Kind.ENTERPRISE),
        "officer": UserFactory(kind=User.Kind.OFFICER),
        "superuser": superuser,
    }
    return {"home": home, "made": made, "accounts": accounts, "superuser": superuser}


def path_values(route, pattern, world):
    """Converter values: the key of a record of the view's model where the view names one, else 1."""
    values = {}
    model = model_of(pattern.callback)
    record = None
    if model is not None:
        with unscoped():
            record = model._default_manager.order_by("-pk").first()
    for name in pattern.pattern.converters:
        if record is not None and name in ("pk", "object_id", "id", "instance_pk", "page_id", "image_id"):
            values[name] = record.pk
        elif name in ("page_id", "parent_page_id", "page_to_move_id", "destination_id", "page_pk"):
            values[name] = world["home"].pk
        elif name == "app_label" or name == "content_type_app_name":
            values[name] = "news"
        elif name == "model_name" or name == "content_type_model_name":
            values[name] = "newspage"
        elif name == "kind":
            values[name] = "enterprise"
        else:
            values[name] = 1
    return values


def page_urls():
    """One live page of each page type (the catch-all route serves them all)."""
    seen, urls = set(), []
    for page in Page.objects.live().specific().order_by("depth", "pk"):
        if type(page) not in seen and page.url:
            seen.add(type(page))
            urls.append(page.url)
    return urls


def request(client, url):
    try:
        return client.get(url, HTTP_ACCEPT="text/html").status_code, None
    except Exception as error:  # noqa: BLE001 - every exception is a finding
        return 500, f"{type(error).__name__}: {str(error)[:200]}"


def opener(client, url, admin, accounts):
    """The first account (anonymous first; only the superuser for the admin) that gets a 200 for ``url``."""
    candidates = ["superuser"] if admin else list(accounts)
    for name in candidates:
        client.logout()
        if accounts[name] is not None:
            client.force_login(accounts[name])
        if request(client, url)[0] == 200:
            return name
    return None


def parameters(client, url):
    """Names the view reads: with no query, then with every name found so far set to 1."""
    accessed.clear()
    request(client, url)
    names = set(accessed)
    accessed.clear()
    request(client, f"{url}?" + "&".join(f"{name}=1" for name in sorted(names | set(COMMON_NAMES))))
    names |= accessed
    return sorted(name for name in names | set(COMMON_NAMES) if re.fullmatch(r"[\w\-\[\]]+", name))


def fuzz(client, url):
    failures = []
    names = parameters(client, url)
    for name in names:
        for value in CORPUS:
            status, error = request(client, f"{url}?{name}={value}")
            if status >= 500:
                failures.append(f"GET {url}?{name}={value[:40]} → {error or status}")
        raw = f"{name}[]=1&{name}=1&{name}=%22"  # an array and a repeated name
        status, error = request(client, f"{url}?{raw}")
        if status >= 500:
            failures.append(f"GET {url}?{raw} → {error or status}")
    return failures, len(names)


@pytest.mark.parametrize("index", range(CHUNKS))
def test_no_malformed_query_parameter_causes_a_server_error(client, world, index):
    urls = []
    for route, pattern in walk():
        if route in chunk(index):
            urls.append((fill(route, path_values(route, pattern, world)), route.startswith("admin/")))
    if index == 0:
        urls += [(url, False) for url in page_urls()]
    failures, opened, probed = [], 0, 0
    for url, admin in urls:
        who = opener(client, url, admin, world["accounts"])
        if who is None:
            continue  # a 404/redirect for every account: nothing behind it reads parameters
        opened += 1
        found, count = fuzz(client, url)
        if os.environ.get("FUZZ_PROGRESS"):
            print(f"{who} {url[:80]} {count} parameters, {len(found)} errors", file=sys.stderr)  # noqa: T201
        probed += count
        failures += [f"[{who}] {failure}" for failure in found]
    print(f"chunk {index}: {len(urls)} URLs, {opened} opened, {probed} parameters fuzzed")  # noqa: T201
    assert opened >= len(urls) // 3, f"only {opened} of {len(urls)} URLs opened: the fixtures no longer fit"
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures)


ROOT = Path(__file__).resolve().parent.parent


def test_views_read_query_parameters_through_the_one_parser():
    readers = set()
    for path in ROOT.glob("*/**/*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith((".venv/", "tests/", "var/", "bench/")) or "/migrations/" in relative:
            continue
        if relative != "registry/params.py" and re.search(r"\.GET\b|\.query_params\b", path.read_text()):
            readers.add(relative)
    assert readers == set(), "read query parameters with registry.params instead"


#: The probe's own requests that answered 500 (issue 19, item 9): each now answers the status given.
PROBE_REQUESTS = [
    ("anonymous", "/news/?region=abc", 400),
    ("anonymous", "/news/?year=99999999999999999999999", 400),
    ("anonymous", "/enterprise/bureaus/?parent=x", 400),
    ("anonymous", "/api/v2/pages/?search=%22", 200),
    ("anonymous", "/api/v2/pages/?offset=99999999999999999999999", 400),
    ("anonymous", "/talent-pool/?enterprise=" + "x" * 60_000, 400),
    ("superuser", "/admin/choose-page/search/?q=%22", 200),
    ("superuser", "/admin/snippets/registry/chiefqualityofficer/?appointment_year=1e309", 200),
]


def test_the_probes_malformed_requests_answer_without_a_server_error(client, world):
    answers = []
    for who, url, _expected in PROBE_REQUESTS:
        client.logout()
        if world["accounts"][who] is not None:
            client.force_login(world["accounts"][who])
        answers.append((url[:80], request(client, url)))
    assert answers == [(url[:80], (expected, None)) for _who, url, expected in PROBE_REQUESTS]
