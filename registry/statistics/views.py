"""The statistics dashboard: a home-page panel, a full page that drills into sub-regions, and xlsx exports."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from registry.exports import dated_filename
from registry.models import Organisation
from registry.params import query_id
from registry.policies import ScopePolicy
from registry.reports import log_export
from registry.scoping import NOTHING

from . import caching
from .charts import chart_for
from .export import figures_workbook


def reaches_statistics(user):
    return user.is_authenticated and ScopePolicy.scope_for(user) != NOTHING


def selected_unit(request):
    """The organisation whose subtree is shown: ``?unit=`` if it lies in the user's subtree, else the user's own.

    Returns (unit or None for the whole registry, path prefix or None).
    """
    scope = ScopePolicy.scope_for(request.user)
    if scope == NOTHING:
        raise Http404
    unit_id = query_id(request, "unit")
    if unit_id:
        units = Organisation.objects.all() if scope is None else Organisation.objects.filter(path__startswith=scope)
        unit = get_object_or_404(units, pk=unit_id)
        return unit, unit.path
    if scope is None:
        return None, None
    return request.user.organisation, scope


def dashboard_context(request):
    unit, prefix = selected_unit(request)
    data = caching.dashboard(prefix)
    unit_query = f"?unit={unit.pk}" if unit is not None and query_id(request, "unit") else ""
    return {
        "unit": unit,
        "unit_name": unit.name if unit else _("Whole registry"),
        "unit_query": unit_query,
        "coverage": data["coverage"],
        "as_of": data.get("as_of"),
        "figures": [{"figure": figure, "chart": chart_for(figure)} for figure in data["figures"]],
        "children": list((unit or Organisation.get_first_root_node()).get_children()),
    }


def dashboard_page(request):
    context = dashboard_context(request)
    context["page_title"] = _("Statistics")
    return TemplateResponse(request, "registry/statistics/dashboard_page.html", context)


def export_figures(request, key):
    """One figure (``key``) or all of them (``all``) as an xlsx workbook, for the same subtree as the page."""
    unit, prefix = selected_unit(request)
    figures = caching.dashboard(prefix)["figures"]
    if key != "all":
        figures = [figure for figure in figures if figure.key == key]
        if not figures:
            raise Http404
    caption = str(unit.name if unit else _("Whole registry"))
    log_export(request, f"{_('Statistics')}: {key} ({caption})", "xlsx")
    title = figures[0].title if len(figures) == 1 else _("Statistics")
    return figures_workbook(figures, caption).response(dated_filename(f"{title}-{caption}"))


class DashboardPanel(Component):
    """The administrator's region at a glance on the Wagtail home page."""

    name = "statistics_dashboard"
    template_name = "registry/statistics/dashboard_panel.html"
    order = 50

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context.update(dashboard_context(self.request))
        return context
