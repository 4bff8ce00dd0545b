from functools import update_wrapper

from django.conf import settings
from django.urls import include, path
from django.views.decorators.cache import never_cache
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from cqosite import views as project_views
from registry import reports as registry_reports
from registry import views as registry_views

#: Wagtail's built-in reports, replaced at the same addresses by subtree-scoped versions (and all by versions
#: whose exports go through registry.exports).
scoped_reports = [
    ("site-history/", registry_reports.ScopedLogEntriesView),
    ("workflow/", registry_reports.ScopedWorkflowView),
    ("workflow_tasks/", registry_reports.ScopedWorkflowTasksView),
    ("locked/", registry_reports.AuditedLockedPagesView),
    ("aging-pages/", registry_reports.AuditedAgingPagesView),
]


def admin_view(view):
    """What Wagtail's own admin URLs get: anonymous users and accounts without admin access are sent to log in."""
    return update_wrapper(never_cache(require_admin_access(view)), view)


urlpatterns = [
    path("admin/password/required/", registry_views.password_change_required, name="registry_password_change_required"),
    path("admin/account/", admin_view(registry_views.ProfileAccountView.as_view()), name="wagtailadmin_account"),
    *(path(f"admin/reports/{route}", admin_view(view.as_view())) for route, view in scoped_reports),
    *(
        path(f"admin/reports/{route}results/", admin_view(view.as_view(results_only=True)))
        for route, view in scoped_reports
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("captcha/", include("captcha.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("language/<str:code>/", project_views.switch_language, name="switch_language"),
    # Each app owns its public URL prefixes: registry (accounts/, talent-pool/), home (search/, api/v2/),
    # news (feeds), standards (standards/, enterprise/, api/standards/, api/openapi.json),
    # awards (apply/), qcgroups (qc/), training (training/).
    path("", include("registry.urls")),
    path("", include("home.urls")),
    path("", include("news.urls")),
    path("", include("filings.standards.urls")),
    path("", include("filings.awards.urls")),
    path("", include("filings.qcgroups.urls")),
    path("", include("training.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    # Wagtail's page-privacy login is a second login form without the captcha and the lockout: one login per
    # audience (registry.urls for the portal, Wagtail's admin login with its captcha form) and nothing else.
    path("_util/login/", RedirectView.as_view(pattern_name="portal_login", query_string=True)),
    path("", include(wagtail_urls)),
]
