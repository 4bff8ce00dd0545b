"""Every figure of the back-office statistics, each a function of an organisation subtree.

A subtree is given by its path prefix (``None``: the whole registry). Officers and enterprises are placed by the
enterprise's supervising bureau (where the enterprise is), not by the unit that reviewed the record, so a province
that imports all its officers still sees them under each city. Only approved (``live``) officers count, except in
the breakdown by review status. Each breakdown is one GROUP BY query; sub-regions are grouped by the leading
``(depth + 1) * steplen`` characters of the organisation path, so a whole subtree rolls up into its child.
"""

import datetime
import zoneinfo
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry import contributions
from registry.models import (
    ChiefQualityOfficer,
    EducationLevel,
    Enterprise,
    EnterpriseSize,
    IndustryCategory,
    Organisation,
    ReviewStatus,
)

LOCAL_TIME = zoneinfo.ZoneInfo("Asia/Shanghai")
MONTHS_SHOWN = 12
UNKNOWN = _("Not given")
THIS_UNIT = _("Directly supervised")

#: Years in quality work, as (label, lower bound inclusive, upper bound exclusive or None).
YEAR_BANDS = [
    (_("Under 3 years"), 0, 3),
    (_("3–5 years"), 3, 5),
    (_("5–10 years"), 5, 10),
    (_("10–20 years"), 10, 20),
    (_("20 years or more"), 20, None),
]


@dataclass
class Figure:
    """One statistic: a titled table whose first column labels the rows; ``chart`` says how to draw it.

    ``bar``: one bar per row from the ``value_column``; ``line``: one line per value column over the rows;
    ``""``: table only.
    """

    key: str
    title: str
    columns: list
    rows: list
    chart: str = "bar"
    value_column: int = 1
    links: list = field(default_factory=list)

    @property
    def total(self):
        return sum(row[self.value_column] or 0 for row in self.rows)


#: Subtree ids already looked up while one dashboard is counted, by path prefix (see :func:`one_dashboard`).
_subtree_ids: ContextVar[dict | None] = ContextVar("statistics_subtree_ids", default=None)


@contextmanager
def one_dashboard():
    """Look each subtree up once while the figures of one dashboard are counted: every figure (the programmes'
    too) filters by the same subtree's ids."""
    token = _subtree_ids.set({})
    try:
        yield
    finally:
        _subtree_ids.reset(token)


def organisation_ids(prefix):
    known = _subtree_ids.get()
    if known is not None and prefix in known:
        return known[prefix]
    ids = list(Organisation.objects.filter(path__startswith=prefix).values_list("id", flat=True))
    if known is not None:
        known[prefix] = ids
    return ids


def holds_every_enterprise(prefix):
    """Whether no enterprise lies outside the subtree (the national bureau's case): then no filter is needed."""
    outside = list(Organisation.objects.exclude(path__startswith=prefix).values_list("id", flat=True))
    return not Enterprise.unscoped.filter(organisation_id__in=outside).exists()


def within(queryset, organisation, prefix, by_enterprise=False):
    """Records whose ``organisation`` (a lookup to an Organisation foreign key) lies in the subtree at ``prefix``.

    Filters on the organisation ids rather than joining the organisation table for ``path LIKE``: PostgreSQL
    estimates a path prefix as one row and then nests loops over a million records. ``by_enterprise``: the
    organisation is the enterprise's, so a subtree holding every enterprise needs no filter (and no join).
    """
    if prefix is None or (by_enterprise and holds_every_enterprise(prefix)):
        return queryset
    return queryset.filter(**{f"{organisation}_id__in": organisation_ids(prefix)})


def approved_officers(prefix):
    return within(ChiefQualityOfficer.unscoped.filter(live=True), "enterprise__organisation", prefix, True)


def enterprises(prefix):
    return within(Enterprise.unscoped.all(), "organisation", prefix, True)


def branches(unit):
    """Organisation id → the path of the child of ``unit`` whose subtree holds it (``unit``'s own path for itself)."""
    width = (unit.depth + 1) * Organisation.steplen
    return {
        pk: path[:width]
        for pk, path in Organisation.objects.filter(path__startswith=unit.path).values_list("id", "path")
    }


def by_branch(queryset, organisation, unit, **aggregates):
    """``aggregates`` summed per child subtree of ``unit``: {branch path: {name: value}}; one GROUP BY."""
    owner = branches(unit)
    result = {}
    grouped = queryset.filter(**{f"{organisation}_id__in": list(owner)}).values(f"{organisation}_id")
    for values in grouped.annotate(**aggregates).order_by():
        branch = result.setdefault(owner[values[f"{organisation}_id"]], dict.fromkeys(aggregates, 0))
        for name in aggregates:
            branch[name] += values[name] or 0
    return result


def unit_for(prefix):
    """The organisation at the top of the subtree (the root for the whole registry)."""
    if prefix is None:
        return Organisation.get_first_root_node()
    return Organisation.objects.filter(path=prefix).first()


def coverage(prefix):
    """Enterprises, those with an approved officer, and the share covered (percent, one decimal)."""
    counts = enterprises(prefix).aggregate(
        enterprises=Count("pk"), covered=Count("officers", filter=Q(officers__live=True))
    )
    counts["rate"] = percent(counts["covered"], counts["enterprises"])
    return counts


def percent(part, whole):
    return round(100 * part / whole, 1) if whole else 0.0


def officers_by_status(prefix):
    queryset = within(ChiefQualityOfficer.unscoped.all(), "enterprise__organisation", prefix, True)
    counts = dict(queryset.values_list("review_status").annotate(n=Count("pk")).values_list("review_status", "n"))
    disabled = queryset.filter(live=True, enabled=False).count()
    return status_figure(counts, disabled)


def status_figure(counts, disabled):
    rows = [[status.label, counts.get(status.value, 0)] for status in ReviewStatus]
    rows.append([_("of which approved but disabled"), disabled])
    return Figure("status", _("Officers by review status"), [_("Status"), _("Officers")], rows, value_column=1)


def subregions(unit):
    """Coverage of each child organisation of ``unit`` (its whole subtree), plus what ``unit`` supervises itself."""
    if unit is None:
        return []
    figures = by_branch(
        Enterprise.unscoped.all(),
        "organisation",
        unit,
        enterprises=Count("pk"),
        covered=Count("officers", filter=Q(officers__live=True)),
    )
    rows = []
    for child in unit.get_children():
        counts = figures.pop(child.path, {"enterprises": 0, "covered": 0})
        rows.append(SubRegion(child, counts["enterprises"], counts["covered"]))
    counts = figures.pop(unit.path, None)
    if counts and counts["enterprises"]:
        rows.append(SubRegion(None, counts["enterprises"], counts["covered"]))
    return rows


@dataclass
class SubRegion:
    organisation: Organisation | None
    enterprises: int
    officers: int

    @property
    def name(self):
        return self.organisation.name if self.organisation else THIS_UNIT

    @property
    def coverage(self):
        return percent(self.officers, self.enterprises)


def officers_by_subregion(unit, regions=None):
    regions = subregions(unit) if regions is None else regions
    rows = [[region.name, region.officers, region.enterprises, region.coverage] for region in regions]
    rows.sort(key=lambda row: (-row[1], str(row[0])))
    return Figure(
        "subregion",
        _("Officers and coverage by sub-region"),
        [_("Region"), _("Approved officers"), _("Enterprises"), _("Coverage (%)")],
        rows,
    )


def section_of_industry():
    """Map every industry code to its section letter (the classification has 1,700 rows: one query)."""
    parents = dict(IndustryCategory.objects.values_list("code", "parent_id"))
    sections = {}
    for code in parents:
        node = code
        while parents.get(node):
            node = parents[node]
        sections[code] = node
    return sections


def years_band():
    return Case(
        *[
            When(Q(quality_years__gte=low) & (Q(quality_years__lt=high) if high else Q()), then=Value(index))
            for index, (_label, low, high) in enumerate(YEAR_BANDS)
        ],
        default=Value(-1),
        output_field=IntegerField(),
    )


def officer_profile(prefix):
    """Approved officers counted by (industry section, enterprise size, education, years band): one scan.

    The section is the first non-empty ancestor three, two, one or zero levels up, so an enterprise classified
    at any level of GB/T 4754 lands in its section. At most 21 × 5 × 7 × 6 groups come back.
    """
    section = Coalesce(
        "enterprise__industry__parent__parent__parent_id",
        "enterprise__industry__parent__parent_id",
        "enterprise__industry__parent_id",
        "enterprise__industry_id",
    )
    return list(
        approved_officers(prefix)
        .annotate(section=section, band=years_band())
        .values("section", "enterprise__size", "education_id", "band")
        .annotate(n=Count("pk"))
        .values_list("section", "enterprise__size", "education_id", "band", "n")
    )


def tally(profile, position):
    counts = {}
    for entry in profile:
        counts[entry[position]] = counts.get(entry[position], 0) + entry[-1]
    return counts


def officers_by_industry(prefix, profile=None):
    return industry_figure(tally(officer_profile(prefix) if profile is None else profile, 0))


def industry_figure(counts):
    names = dict(IndustryCategory.objects.filter(level=IndustryCategory.Level.SECTION).values_list("code", "name"))
    rows = [[f"{code} {names.get(code, '')}" if code else UNKNOWN, n] for code, n in counts.items()]
    rows.sort(key=lambda row: (-row[1], str(row[0])))
    return Figure("industry", _("Officers by industry section"), [_("Industry section"), _("Officers")], rows)


def officers_by_size(prefix, profile=None):
    return size_figure(tally(officer_profile(prefix) if profile is None else profile, 1))


def size_figure(counts):
    rows = [[size.label, counts.pop(size.value, 0)] for size in EnterpriseSize]
    unknown = sum(counts.values())
    if unknown:
        rows.append([UNKNOWN, unknown])
    return Figure("size", _("Officers by enterprise size"), [_("Enterprise size"), _("Officers")], rows)


def officers_by_education(prefix, profile=None):
    return education_figure(tally(officer_profile(prefix) if profile is None else profile, 2))


def education_figure(counts):
    rows = [[level.name, counts.pop(level.code, 0)] for level in EducationLevel.objects.order_by("order", "code")]
    unknown = sum(counts.values())
    if unknown:
        rows.append([UNKNOWN, unknown])
    return Figure("education", _("Officers by education"), [_("Education"), _("Officers")], rows)


def officers_by_years(prefix, profile=None):
    return years_figure(tally(officer_profile(prefix) if profile is None else profile, 3))


def years_figure(counts):
    rows = [[label, counts.get(index, 0)] for index, (label, _low, _high) in enumerate(YEAR_BANDS)]
    if counts.get(-1):
        rows.append([UNKNOWN, counts[-1]])
    return Figure("years", _("Officers by years in quality work"), [_("Years in quality work"), _("Officers")], rows)


def officers_by_nature(prefix):
    """An enterprise with several natures (e.g. private and listed) counts once under each."""
    grouped = (
        approved_officers(prefix)
        .values("enterprise__economic_types__name")
        .annotate(n=Count("pk"))
        .values_list("enterprise__economic_types__name", "n")
    )
    return nature_figure(dict(grouped))


def nature_figure(counts):
    rows = [[name or UNKNOWN, n] for name, n in counts.items()]
    rows.sort(key=lambda row: (-row[1], str(row[0])))
    return Figure("nature", _("Officers by enterprise nature"), [_("Enterprise nature"), _("Officers")], rows)


def last_months(count=MONTHS_SHOWN, today=None):
    """The first day of each of the last ``count`` months (local time), oldest first."""
    today = today or timezone.localtime(timezone.now(), LOCAL_TIME).date()
    year, month = today.year, today.month
    months = []
    for _step in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def month_start(months):
    return datetime.datetime.combine(months[0], datetime.time(), tzinfo=LOCAL_TIME)


def by_month(queryset, moment, months, extra=()):
    """Counts per local month (and per ``extra`` fields) since the first of ``months``."""
    return (
        queryset.annotate(moment=moment)
        .filter(moment__gte=month_start(months))
        .annotate(month=TruncMonth("moment", tzinfo=LOCAL_TIME))
        .values("month", *extra)
        .annotate(n=Count("pk"))
        .values_list("month", *extra, "n")
    )


def month_key(value):
    """TruncMonth gives an aware datetime (PostgreSQL) or a date; either way the local month's first day."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value, LOCAL_TIME) if timezone.is_aware(value) else value
        return value.date().replace(day=1)
    return value.replace(day=1)


def approval_moment():
    """When a record was approved: its first publication, else (records created live) its creation."""
    return Coalesce("first_published_at", "created_at")


def approvals_by_month(prefix, months=None):
    months = months or last_months()
    counts = {month_key(month): n for month, n in by_month(approved_officers(prefix), approval_moment(), months)}
    return approvals_figure({f"{month:%Y-%m}": n for month, n in counts.items()}, months)


def approvals_figure(counts, months):
    """``counts``: approvals per "YYYY-MM" month."""
    rows = [[f"{month:%Y-%m}", counts.get(f"{month:%Y-%m}", 0)] for month in months]
    return Figure("approvals", _("New approvals per month"), [_("Month"), _("Approved officers")], rows, chart="line")


def dashboard(prefix):
    """Everything the dashboard shows for the subtree at ``prefix``, in display order.

    The coverage totals are the sum of the sub-regions (which include what the unit supervises itself), and the
    four officer-profile breakdowns share one query. The programmes' figures follow (registry.contributions).
    """
    unit = unit_for(prefix)
    regions = subregions(unit)
    total = sum(region.enterprises for region in regions)
    covered = sum(region.officers for region in regions)
    profile = officer_profile(prefix)
    return {
        "coverage": {"enterprises": total, "covered": covered, "rate": percent(covered, total)},
        "figures": [
            officers_by_status(prefix),
            officers_by_subregion(unit, regions),
            approvals_by_month(prefix),
            officers_by_industry(prefix, profile),
            officers_by_size(prefix, profile),
            officers_by_nature(prefix),
            officers_by_education(prefix, profile),
            officers_by_years(prefix, profile),
            *(statistic.figure(prefix) for statistic in contributions.statistics()),
        ],
    }
