"""Content-Security-Policy without 'unsafe-inline' scripts on the public site and the portal (issue 19).

Scripts come from static files only (static/js/portal.js, wired by data attributes); Wagtail's admin keeps its
own policy because its date pickers and inline panels write inline scripts.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

from registry.factories import EnterpriseAccountFactory

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
PUBLIC_PAGES = [
    "/",
    "/standards/",
    "/talent-pool/",
    "/news/",
    "/accounts/login/",
    "/enterprise/register/",
    "/qc/register/",
    "/enterprise/forgot-password/",
    "/enterprise/forgot-username/",
]


def script_src(response):
    directives = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    return directives["script-src"]


def project_templates():
    roots = [Path(settings.BASE_DIR) / "templates"]
    roots += [Path(settings.BASE_DIR) / app / "templates" for app in ("home", "news", "registry", "cqosite")]
    return [path for root in roots if root.exists() for path in root.rglob("*.html")]


def test_no_project_template_holds_an_inline_script_or_event_handler():
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for path in project_templates()
        if INLINE_SCRIPT.search(path.read_text()) or EVENT_HANDLER.search(path.read_text())
    ]
    assert len(project_templates()) > 50 and offenders == []


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_allow_scripts_from_this_site_only(client, url, portal):
    assert script_src(client.get(url)) == "'self'"


@pytest.mark.django_db
def test_only_the_admin_allows_inline_scripts(client):
    assert script_src(client.get("/admin/login/")) == "'self' 'unsafe-inline'"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_run_without_csp_violations(page):
    from home.site import build_site

    build_site()
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    for url in PUBLIC_PAGES:
        page.goto(page.base_url + url)

    account = EnterpriseAccountFactory(username="csp_check")
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", account.username)
    page.fill("#id_password", "Test-pass-123")
    page.fill("#id_captcha_1", "PASSED")
    page.click("main button[type=submit]")
    for url in ("/apply/", "/enterprise/standards/", "/enterprise/standards/new/enterprise/"):
        page.goto(page.base_url + url)
    submit = page.locator("#submit-button")
    assert submit.is_disabled()  # portal.js ran: no pledge yet, no submission
    page.check("#id_pledge_accepted")
    assert submit.is_enabled()
    page.screenshot_to("csp-standard-editor")
    assert violations == []
