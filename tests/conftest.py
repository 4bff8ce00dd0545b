"""Shared fixtures: the organisation tree (loaded by migration) and administrators per role."""

import importlib
import os
import shutil
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from wagtail.models import Collection, Site

from cqosite.pagecache import AREAS, GENERATION
from home.site import build_site, root_page
from registry.factories import AdministratorFactory
from registry.models import Organisation, Role


def org(division_code):
    return Organisation.objects.get(division_id=division_code)


@pytest.fixture(autouse=True)
def fresh_page_cache_generation():
    """Each test starts from its own database: what an earlier one kept in the process's cache under the page
    cache's generation (section URLs, page fragments, routes) or as Wagtail's sites' root paths (a page's ``url``)
    must not be read as current."""
    for generation in (GENERATION, *AREAS.values()):
        generation.bump()
    Site.clear_site_root_paths_cache()


@pytest.fixture(autouse=True)
def site_language():
    """Each test starts in the site's language: Django's LocaleMiddleware leaves a request's language active in the
    thread, so an earlier test's English request made a later test's messages English (in one xdist worker)."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def orgs(db):
    """Named units of the real tree: two provinces, two cities of one, two counties of one city."""

    class Units:
        platform = Organisation.objects.with_function(Organisation.PLATFORM_OPERATOR)
        national = Organisation.objects.with_function(Organisation.NATIONAL_BUREAU)
        beijing = org("110000")
        chaoyang = org("110105")
        hebei = org("130000")
        shijiazhuang = org("130100")
        changan = org("130102")  # 石家庄市长安区
        qiaoxi = org("130104")  # 石家庄市桥西区, changan's neighbour
        tangshan = org("130200")

    return Units


@pytest.fixture
def make_admin(db):
    def make(organisation, role=Role.INSTITUTION, **kwargs):
        return AdministratorFactory(organisation=organisation, role=role, **kwargs)

    return make


#: Idempotent data migrations (preset catalogues) that a flushed database needs back for transactional tests.
DATA_MIGRATIONS_TO_REPLAY = [
    "filings.standards.migrations.0002_reference_data",
    "filings.standards.migrations.0004_more_product_categories",
]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-output" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright; CI must have it, elsewhere the test skips."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: .ci/run installs Debian's chromium package")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread while the ORM calls stay synchronous.
    # Subprocesses started by tests must drop this variable (see tests/test_settings.py).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server_with_reference_data):
    """A fresh browser page; ``page.base_url`` is the live server; screenshots go to test-output/."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    new_page = context.new_page()
    new_page.set_default_timeout(15_000)
    new_page.base_url = live_server_with_reference_data.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    new_page.screenshot_to = lambda name: new_page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    new_page.screenshot_path = lambda name: str(SCREENSHOTS / f"{name}.png")
    yield new_page
    context.close()


@pytest.fixture
def reference_data(transactional_db):
    """Transactional tests start from an emptied database: load the reference data back first."""
    call_command("load_reference_data", verbosity=0)
    root_page()  # Wagtail's locale and root page, which an earlier transactional test's flush removed
    if not Collection.objects.exists():  # nor has it the root collection images and documents go in
        Collection.add_root(name="Root")
    for module in DATA_MIGRATIONS_TO_REPLAY:
        importlib.import_module(module).load(django_apps, None)


@pytest.fixture
def live_server_with_reference_data(live_server, reference_data):
    return live_server


@pytest.fixture
def portal(db):
    """The portal tree: home page, /news/ with the approval workflow, notices and policies."""
    return build_site()


@pytest.fixture
def admins(orgs, make_admin, portal):
    """One administrator per level along 长安区 → 石家庄市 → 河北省 → 总局 → 平台, plus neighbours."""
    from registry.models import Role

    class Admins:
        platform = make_admin(orgs.platform, Role.PLATFORM, email="platform@example.cn")
        national = make_admin(orgs.national, Role.NATIONAL, email="national@example.cn")
        hebei = make_admin(orgs.hebei, Role.PROVINCIAL, email="hebei@example.cn")
        shijiazhuang = make_admin(orgs.shijiazhuang, email="sjz@example.cn")
        tangshan = make_admin(orgs.tangshan, email="ts@example.cn")
        changan = make_admin(orgs.changan, email="changan@example.cn")
        changan_colleague = make_admin(orgs.changan, email="changan2@example.cn")
        qiaoxi = make_admin(orgs.qiaoxi, email="qiaoxi@example.cn")
        beijing = make_admin(orgs.beijing, Role.PROVINCIAL, email="bj@example.cn")

    return Admins
