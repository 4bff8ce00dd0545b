"""Every admin screen a county, city or provincial administrator uses speaks one language: no English in Chinese, no
Chinese in English.

The rule for a screen's visible text (``innerText`` and the window title):
- in Chinese, a Latin word is allowed only if it is a code or proper name in ``LATIN_ALLOWED``, appears in the
  records shown (an e-mail address, a user name) or names a language in itself (English);
- in English, a run of Chinese characters is allowed only inside a name held by the data: a unit, a division, an
  enterprise, a person, or an entry of the national classifications (industries, education levels, economic types),
  which are reference data in Chinese; and the language menu names each language in itself (简体中文).
"""

import re

import pytest
from django.conf import settings
from wagtail.users.models import UserProfile

from registry.factories import AdministratorFactory
from registry.models import Division, EconomicType, EducationLevel, IndustryCategory, Organisation, Role
from registry.officers.factories import OfficerFactory
from tests.browser import admin_login, submit_admin_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTING = "/admin/snippets/registry/chiefqualityofficer/"
#: Codes and proper names that stay Latin in Chinese screens.
LATIN_ALLOWED = {"CQO", "QC", "Excel", "xlsx", "XLSX", "xls", "CSV", "PDF", "ID", "Email", "E-mail"}
CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")


def visible_text(page):
    return page.evaluate("() => document.title + '\\n' + document.body.innerText")


def in_context(text, match):
    return text[max(0, match.start() - 25) : match.end() + 25].replace("\n", " ")


def english_words(text, data):
    """Latin words that are neither allowed codes nor the records' own values, each with where it stands."""
    return sorted(
        {
            in_context(text, match)
            for match in LATIN_WORD.finditer(text)
            if match.group() not in LATIN_ALLOWED and match.group() not in data
        }
    )


def chinese_runs(text, names):
    """Chinese runs that are not part of a name the data holds, each with where it stands."""
    return sorted({in_context(text, match) for match in CJK_RUN.finditer(text) if match.group() not in names})


def proper_names(*extra):
    """One string holding every name the data may show: a Chinese run inside it is a name, not an interface word."""
    names = [*Organisation.objects.values_list("name", flat=True), *Division.objects.values_list("name", flat=True)]
    for reference in (IndustryCategory, EducationLevel, EconomicType):  # the national classifications, in Chinese
        names += reference.objects.values_list("name", flat=True)
    names += [name for _code, name in settings.LANGUAGES]  # each language offered under its own name
    return "\n".join([*names, *extra])


@pytest.fixture
def county(orgs):
    administrator = AdministratorFactory(organisation=orgs.changan, role=Role.INSTITUTION, email="county@example.cn")
    officer = OfficerFactory(enterprise__region=Division.objects.get(code="130102"), organisation=orgs.changan)
    return administrator, officer


def screens(page, officer):
    """(name, path) of the screens a county administrator works in, signed in."""
    return [
        ("dashboard", "/admin/"),
        ("officer_listing", LISTING),
        ("officer_form", f"{LISTING}edit/{officer.pk}/"),
        ("officer_new", f"{LISTING}add/"),
        ("officer_inspect", f"{LISTING}inspect/{officer.pk}/"),
        ("officer_import", f"{LISTING}import/"),
        ("officer_history", f"{LISTING}history/{officer.pk}/"),
        ("officer_usage", f"{LISTING}usage/{officer.pk}/"),
        ("enterprise_listing", "/admin/enterprises/"),
        ("organisation_listing", "/admin/organisations/"),
        ("administrator_listing", "/admin/administrators/"),
        ("account", "/admin/account/"),
    ]


def main_screens(page, officer):
    """(name, path) of the screens a city or provincial administrator starts from."""
    return [
        ("dashboard", "/admin/"),
        ("officer_listing", LISTING),
        ("statistics", "/admin/statistics/"),
        ("administrator_listing", "/admin/administrators/"),
    ]


def open_header_menu(page):
    """Open the header's "…" menu (on the officer listing: review all matching, batch import)."""
    page.locator("#w-slim-header-buttons .w-dropdown__toggle").click()
    page.locator(".tippy-box a").first.wait_for()
    page.wait_for_timeout(400)  # the menu's fade-in, for the screenshot


def walk(page, administrator, officer, language, check, screens=screens, prefix=""):
    failures = {}
    admin_login(page, administrator.mobile)
    for name, path in screens(page, officer):
        page.goto(f"{page.base_url}{path}", wait_until="networkidle")
        page.screenshot_to(f"language_{language}_{prefix}{name}")
        if found := check(visible_text(page)):
            failures[name] = found
        if name == "officer_listing":
            open_header_menu(page)
            page.screenshot(path=page.screenshot_path(f"language_{language}_{prefix}officer_listing_menu"))
            if found := check(visible_text(page)):
                failures["officer_listing_menu"] = found
    return failures


def lockout_and_password_change(page, browser, administrator, language, check):
    """The sign-in page, the lockout page after too many failures, and the forced password change."""
    failures = {}
    locale = "en-GB" if language == "en" else "zh-CN"
    stranger = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
    locked = stranger.new_page()
    locked.base_url = page.base_url
    locked.goto(f"{page.base_url}/admin/login/")
    locked.screenshot(path=page.screenshot_path(f"language_{language}_login"), full_page=True)
    if found := check(visible_text(locked)):
        failures["login"] = found
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        submit_admin_login(locked, administrator.mobile, "wrong-password-1")
        locked.wait_for_load_state()
    locked.screenshot(path=page.screenshot_path(f"language_{language}_lockout"), full_page=True)
    assert "login" not in locked.url or locked.locator("h1").count()
    if found := check(visible_text(locked)):
        failures["lockout"] = found
    stranger.close()

    newcomer = AdministratorFactory(organisation=administrator.organisation, role=Role.INSTITUTION)
    UserProfile.objects.update_or_create(user=newcomer, defaults={"preferred_language": language})
    newcomer.issue_one_time_password()
    newcomer.set_password("Test-pass-123")
    newcomer.save()
    fresh = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
    change = fresh.new_page()
    change.base_url = page.base_url
    submit_admin_login(change, newcomer.mobile)
    change.wait_for_load_state("networkidle")
    assert change.locator("input[type=password]").count() >= 2, change.url
    change.screenshot(path=page.screenshot_path(f"language_{language}_password_change"), full_page=True)
    if found := check(visible_text(change)):
        failures["password_change"] = found
    fresh.close()
    return failures


def checker(language, data):
    """The check of a screen's text in ``language``, given the values the records shown hold."""
    if language == "en":
        names = proper_names(*data)
        return lambda text: chinese_runs(text, names)
    latin_data = set(LATIN_WORD.findall(" ".join([*data, *(name for _code, name in settings.LANGUAGES)])))
    return lambda text: english_words(text, latin_data)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_county_administrator_screens_speak_one_language(page, browser, county, language):
    administrator, officer = county
    UserProfile.objects.update_or_create(user=administrator, defaults={"preferred_language": language})
    data = {officer.real_name, officer.enterprise.name, str(administrator), administrator.email, officer.email}
    check = checker(language, data)

    failures = walk(page, administrator, officer, language, check)
    failures |= lockout_and_password_change(page, browser, administrator, language, check)
    assert not failures, "\n".join(f"{screen}: {found}" for screen, found in failures.items())


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("level", ["city", "province"])
def test_city_and_provincial_administrator_main_screens_speak_one_language(page, county, orgs, level, language):
    """The dashboard, the officer listing (and its "…" menu), statistics and administrators, a level up."""
    county_administrator, officer = county
    unit, role = (orgs.shijiazhuang, Role.INSTITUTION) if level == "city" else (orgs.hebei, Role.PROVINCIAL)
    administrator = AdministratorFactory(organisation=unit, role=role, email=f"{level}@example.cn")
    UserProfile.objects.update_or_create(user=administrator, defaults={"preferred_language": language})
    data = {
        officer.real_name,
        officer.enterprise.name,
        str(administrator),
        administrator.email,
        str(county_administrator),
        county_administrator.email,
        officer.email,
    }
    failures = walk(page, administrator, officer, language, checker(language, data), main_screens, f"{level}_")
    assert not failures, "\n".join(f"{screen}: {found}" for screen, found in failures.items())
