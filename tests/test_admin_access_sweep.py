"""Every admin URL refuses anonymous visitors and portal accounts: a redirect to a login page or a 403, never a page.

The probe found the project's own admin URLs (the scoped reports, the account page) answering 200 or 500 to an
anonymous visitor: they replaced Wagtail's URLs and so lost its ``require_admin_access``. This sweep walks the URL
resolver, so an admin view added later is covered without touching this file.
"""

import pytest

from registry.factories import EnterpriseAccountFactory, UserFactory
from registry.models import User

from .routes import fill, walk

#: Admin URLs that must answer anyone: logging in and out, Wagtail's e-mail password reset, and the login page's
#: own assets (icon sprite and translations of its scripts, the same for every user).
PUBLIC_ADMIN = ("admin/login/", "admin/logout/", "admin/password_reset/", "admin/sprite/", "admin/jsi18n/")
#: Reached by any signed-in account holding a one-time password (portal accounts too): it only changes their own.
OWN_ACCOUNT = ("admin/password/required/",)
LOGIN_PAGES = ("/admin/login/", "/accounts/login/")


def admin_routes():
    return sorted(
        {route for route, _pattern in walk() if route.startswith("admin/") and not route.startswith(PUBLIC_ADMIN)}
    )


def refused(response):
    if response.status_code in (403, 405):
        return True
    return response.status_code == 302 and response["Location"].startswith(LOGIN_PAGES)


def sweep(client, routes, methods=("get", "post")):
    failures = []
    for route in routes:
        url = fill(route)
        for method in methods:
            response = getattr(client, method)(url, HTTP_ACCEPT="text/html")
            if not refused(response):
                failures.append(f"{method.upper()} {url} → {response.status_code} {response.get('Location', '')}")
    return failures


@pytest.mark.django_db
def test_anonymous_visitors_reach_no_admin_url(client):
    routes = admin_routes()
    assert len(routes) > 300, "the URL walk found too few admin routes"
    failures = sweep(client, routes)
    assert not failures, f"{len(failures)} admin URLs answer an anonymous visitor:\n" + "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "make_account",
    [EnterpriseAccountFactory, lambda: UserFactory(kind=User.Kind.OFFICER)],
    ids=["enterprise", "officer"],
)
def test_portal_accounts_reach_no_admin_url(client, make_account):
    """GET only: POST goes through the same access check (the anonymous sweep proves both methods)."""
    client.force_login(make_account())
    routes = [route for route in admin_routes() if not route.startswith(OWN_ACCOUNT)]
    failures = sweep(client, routes, methods=("get",))
    assert not failures, f"{len(failures)} admin URLs answer a portal account:\n" + "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/admin/reports/site-history/", "/admin/reports/site-history/?export=csv"])
def test_the_site_history_report_and_its_export_need_an_administrator(client, url):
    """The probe's own requests: 200 and 500 to an anonymous visitor, 200 to a portal account."""
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/admin/login/")
    client.force_login(EnterpriseAccountFactory())
    portal = client.get(url)
    assert portal.status_code == 302 and portal["Location"].startswith("/admin/login/")
    assert client.get("/admin/account/").status_code == 302
