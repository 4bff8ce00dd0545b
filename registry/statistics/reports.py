"""Wagtail report views: regional progress (counts, coverage, growth per sub-region) and enterprises without a CQO.

Both are confined to the administrator's organisation subtree: the region filter offers only units inside it and
every figure is computed within the chosen unit, so a city administrator never sees another city.
"""

import datetime
from dataclasses import dataclass

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.urls import path
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView

from registry.admin_forms import UnitFilter
from registry.models import ChiefQualityOfficer, Enterprise, EnterpriseSize, IndustryCategory, Organisation
from registry.reports import AuditedExportMixin
from registry.scoping import NOTHING, scope_for_user

from . import queries

#: The region filter offers the user's unit and two levels below it (a province: its cities and counties).
REGION_LEVELS = 2


def units_for(request):
    """Bureaus inside the user's subtree, ordered as the tree, down to ``REGION_LEVELS`` below the user's unit."""
    scope = scope_for_user(request.user)
    units = Organisation.objects.filter(kind=Organisation.Kind.BUREAU).order_by("path")
    if scope == NOTHING:
        return units.none()
    if scope is None:
        top = units.order_by("depth", "path").first()
        depth = top.depth if top else 1
    else:
        units = units.filter(path__startswith=scope)
        depth = len(scope) // Organisation.steplen
    return units.filter(depth__lte=depth + REGION_LEVELS)


def section_choices():
    return list(IndustryCategory.objects.filter(level=IndustryCategory.Level.SECTION).values_list("code", "name"))


def industries_in_section(section):
    return [code for code, found in queries.section_of_industry().items() if found == section]


def ignore(queryset, name, value):
    """Filters here choose what the figures count; the views read them from the form."""
    return queryset


class StatisticsReportMixin(AuditedExportMixin):
    def dispatch(self, request, *args, **kwargs):
        if scope_for_user(request.user) == NOTHING:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def chosen(self):
        if self.filters and self.filters.is_valid():
            return self.filters.form.cleaned_data
        return {}

    def default_unit(self):
        scope = scope_for_user(self.request.user)
        if scope is None:
            return Organisation.objects.filter(kind=Organisation.Kind.BUREAU).order_by("depth", "path").first()
        return self.request.user.organisation

    @cached_property
    def unit(self):
        return self.chosen.get("region") or self.default_unit()

    def enterprise_filter(self, via=""):
        """The industry and size filters, as conditions on Enterprise (reached through ``via``, e.g. "enterprise__")."""
        condition = Q()
        if self.chosen.get("industry"):
            condition &= Q(**{f"{via}industry_id__in": industries_in_section(self.chosen["industry"])})
        if self.chosen.get("size"):
            condition &= Q(**{f"{via}size": self.chosen["size"]})
        return condition


class ProgressFilterSet(WagtailFilterSet):
    region = UnitFilter(label=_("Region"), queryset=units_for, method=ignore, empty_label=_("My region"))
    period = django_filters.DateFromToRangeFilter(
        label=_("Approved between"), widget=DateRangePickerWidget, method=ignore
    )
    industry = django_filters.ChoiceFilter(label=_("Industry section"), choices=section_choices, method=ignore)
    size = django_filters.ChoiceFilter(label=_("Enterprise size"), choices=EnterpriseSize.choices, method=ignore)

    class Meta:
        model = Organisation
        fields = []


@dataclass
class ProgressRow:
    name: str
    enterprises: int
    officers: int
    new: int
    previous: int

    @property
    def coverage(self):
        return queries.percent(self.officers, self.enterprises)

    @property
    def growth(self):
        """Change in new approvals against the previous period of the same length (percent; None: no base)."""
        if not self.previous:
            return None
        return round(100 * (self.new - self.previous) / self.previous, 1)


class ProgressReportView(StatisticsReportMixin, ReportView):
    """Each sub-region of the chosen unit: enterprises, approved officers, coverage, new approvals and growth."""

    page_title = _("Regional progress")
    header_icon = "table"
    filterset_class = ProgressFilterSet
    index_url_name = "statistics:progress"
    index_results_url_name = "statistics:progress_results"
    paginate_by = 100
    columns = [
        Column("name", label=_("Region")),
        Column("enterprises", label=_("Enterprises")),
        Column("officers", label=_("Approved officers")),
        Column("coverage", label=_("Coverage (%)")),
        Column("new", label=_("Approved in period")),
        Column("previous", label=_("Approved in previous period")),
        Column("growth", label=_("Growth (%)")),
    ]
    list_export = ["name", "enterprises", "officers", "coverage", "new", "previous", "growth"]
    export_headings = {column.name: column.label for column in columns}

    def get_filename(self):
        return f"regional-progress-{timezone.localdate():%Y-%m-%d}"

    def get_page_subtitle(self):
        start, end = self.period()
        return f"{self.unit.name if self.unit else ''} · {start:%Y-%m-%d} – {end - datetime.timedelta(days=1):%Y-%m-%d}"

    def period(self):
        """[start, end) as local dates; the default is the last 365 days including today."""
        chosen = self.chosen.get("period")
        today = timezone.localdate()
        start = chosen.start.date() if chosen and chosen.start else None
        end = chosen.stop.date() + datetime.timedelta(days=1) if chosen and chosen.stop else None
        end = end or today + datetime.timedelta(days=1)
        start = start or end - datetime.timedelta(days=365)
        return start, end

    def filter_queryset(self, queryset):
        return queryset

    def get_queryset(self):
        unit = self.unit
        if unit is None:
            return []
        totals = queries.by_branch(
            Enterprise.unscoped.filter(self.enterprise_filter()),
            "organisation",
            unit,
            total=Count("pk"),
            covered=Count("officers", filter=Q(officers__live=True)),
        )
        start, end = self.period()
        current = self.approvals(unit, start, end)
        previous = self.approvals(unit, start - (end - start), start)
        rows = []
        branches = [(child.path, child.name) for child in unit.get_children()]
        if unit.path in totals:
            branches.append((unit.path, str(queries.THIS_UNIT)))
        for branch, name in branches:
            counts = totals.get(branch, {"total": 0, "covered": 0})
            rows.append(
                ProgressRow(name, counts["total"], counts["covered"], current.get(branch, 0), previous.get(branch, 0))
            )
        all_enterprises = sum(counts["total"] for counts in totals.values())
        all_officers = sum(counts["covered"] for counts in totals.values())
        rows.append(
            ProgressRow(str(_("Total")), all_enterprises, all_officers, sum(current.values()), sum(previous.values()))
        )
        return rows

    def approvals(self, unit, start, end):
        """Officers approved in [start, end) (local dates) per child subtree of ``unit``."""
        since = datetime.datetime.combine(start, datetime.time(), tzinfo=queries.LOCAL_TIME)
        until = datetime.datetime.combine(end, datetime.time(), tzinfo=queries.LOCAL_TIME)
        approved = (
            ChiefQualityOfficer.unscoped.filter(self.enterprise_filter(via="enterprise__"), live=True)
            .annotate(moment=queries.approval_moment())
            .filter(moment__gte=since, moment__lt=until)
        )
        counts = queries.by_branch(approved, "enterprise__organisation", unit, n=Count("pk"))
        return {branch: values["n"] for branch, values in counts.items()}


class UncoveredFilterSet(WagtailFilterSet):
    region = UnitFilter(label=_("Region"), queryset=units_for, method=ignore, empty_label=_("My region"))
    period = django_filters.DateFromToRangeFilter(
        label=_("Registered between"), widget=DateRangePickerWidget, method=ignore
    )
    industry = django_filters.ChoiceFilter(label=_("Industry section"), choices=section_choices, method=ignore)
    size = django_filters.ChoiceFilter(label=_("Enterprise size"), choices=EnterpriseSize.choices, method=ignore)

    class Meta:
        model = Enterprise
        fields = []


def size_label(enterprise):
    return enterprise.get_size_display() or "—"


def officer_status(enterprise):
    """A pending or rejected record, if the enterprise has one (approved ones are not in this report)."""
    officers = list(enterprise.officers.all())
    return officers[0].get_review_status_display() if officers else _("None filed")


class UncoveredReportView(StatisticsReportMixin, ReportView):
    """Enterprises in the region with no approved Chief Quality Officer (pending or rejected ones included)."""

    page_title = _("Enterprises without a CQO")
    header_icon = "warning"
    filterset_class = UncoveredFilterSet
    index_url_name = "statistics:uncovered"
    index_results_url_name = "statistics:uncovered_results"
    columns = [
        Column("name", label=_("Enterprise name")),
        Column("uscc", label=_("Unified social credit code")),
        Column("organisation", label=_("Supervising bureau")),
        Column("industry", label=_("Industry")),
        Column("size", label=_("Enterprise size"), accessor=lambda enterprise: size_label(enterprise)),
        Column("officer", label=_("Officer record"), accessor=lambda enterprise: officer_status(enterprise)),
    ]
    list_export = [column.name for column in columns]
    export_headings = {column.name: column.label for column in columns}

    def to_row_dict(self, item):
        return {column.name: column.get_value(item) for column in self.columns}

    def get_filename(self):
        return f"enterprises-without-cqo-{timezone.localdate():%Y-%m-%d}"

    def get_page_subtitle(self):
        return self.unit.name if self.unit else ""

    def filter_queryset(self, queryset):
        return queryset

    def get_queryset(self):
        unit = self.unit
        if unit is None:
            return Enterprise.unscoped.none()
        queryset = Enterprise.unscoped.filter(self.enterprise_filter(), organisation__path__startswith=unit.path)
        period = self.chosen.get("period")
        if period and period.start:
            queryset = queryset.filter(created_at__gte=period.start)
        if period and period.stop:
            queryset = queryset.filter(created_at__lt=period.stop + datetime.timedelta(days=1))
        return (
            queryset.exclude(officers__live=True)
            .select_related("organisation", "industry")
            .prefetch_related("officers")
            .order_by("organisation__path", "name", "pk")
        )


urlpatterns = [
    path("progress/", ProgressReportView.as_view(), name="progress"),
    path("progress/results/", ProgressReportView.as_view(results_only=True), name="progress_results"),
    path("uncovered/", UncoveredReportView.as_view(), name="uncovered"),
    path("uncovered/results/", UncoveredReportView.as_view(results_only=True), name="uncovered_results"),
]
