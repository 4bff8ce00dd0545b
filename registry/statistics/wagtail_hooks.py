"""Admin hooks for statistics (imported by registry.wagtail_hooks): dashboard panel, statistics page, reports."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .. import contributions
from . import caching, reports, views

caching.connect()


class StatisticsMenuItem(MenuItem):
    def is_shown(self, request):
        return views.reaches_statistics(request.user)


@hooks.register("construct_homepage_panels")
def add_statistics_panel(request, panels):
    if views.reaches_statistics(request.user):
        panels.append(views.DashboardPanel(request))


@hooks.register("register_admin_urls")
def register_statistics_urls():
    urls = [
        path("", views.dashboard_page, name="dashboard"),
        path("export/<slug:key>.xlsx", views.export_figures, name="export"),
        *reports.urlpatterns,
    ]
    return [path("statistics/", include((urls, "statistics"), namespace="statistics"))]


@hooks.register(contributions.menu_hook("registry"))
def register_statistics_menu_item():
    return StatisticsMenuItem(_("Statistics"), reverse("statistics:dashboard"), icon_name="table", order=5)


@hooks.register("register_reports_menu_item")
def register_progress_report_menu_item():
    return StatisticsMenuItem(
        _("Regional progress"), reverse("statistics:progress"), name="regional-progress", icon_name="table", order=810
    )


@hooks.register("register_reports_menu_item")
def register_uncovered_report_menu_item():
    return StatisticsMenuItem(
        _("Enterprises without a CQO"),
        reverse("statistics:uncovered"),
        name="uncovered",
        icon_name="warning",
        order=820,
    )
