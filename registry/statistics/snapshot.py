"""The dashboard's officer and enterprise figures, read from a snapshot whose size does not grow with the data.

``refresh`` counts every approved officer and enterprise once, grouped by the enterprise's organisation and by
each dimension the dashboard shows, and replaces the ``StatisticsTally`` rows in one transaction. The clock runs it
every minute (``bin/cron minute`` → ``manage.py refresh_statistics``). Each unit's rows hold its whole subtree
(the counts are rolled up the tree when the snapshot is taken), so a dashboard of any scope reads a few dozen rows,
whether the registry holds 5 officers or 1,000,000. The page says when the snapshot was taken. Without a clock (a
development server), a snapshot older than ``STALE_AFTER`` is refreshed by a background task, and a registry never
counted is counted on the first view.
"""

import datetime

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from registry import contributions
from registry.models import ChiefQualityOfficer, Enterprise, StatisticsTally

from . import queries

REFRESHED = "refreshed"
#: Kinds counted per organisation and rolled up per sub-region; every other kind is summed per value.
PER_UNIT = ("enterprises", "covered")
STALE_AFTER = datetime.timedelta(minutes=5)
REFRESH_LOCK = "statistics:refresh-enqueued"


def grouped(queryset, *fields, **aggregates):
    aggregates = aggregates or {"n": Count("pk")}
    return queryset.values(*fields).annotate(**aggregates).order_by().values_list(*fields, *aggregates)


def counts():
    """(organisation id, kind, value, n) for every tally: one GROUP BY query per dimension."""
    owner = "enterprise__organisation_id"
    officers = ChiefQualityOfficer.unscoped.all()
    approved = officers.filter(live=True)
    section = Coalesce(
        "enterprise__industry__parent__parent__parent_id",
        "enterprise__industry__parent__parent_id",
        "enterprise__industry__parent_id",
        "enterprise__industry_id",
    )
    for unit, status, n in grouped(officers, owner, "review_status"):
        yield unit, "status", status, n
    for unit, n in grouped(approved.filter(enabled=False), owner):
        yield unit, "disabled", "", n
    enterprise_counts = {"enterprises": Count("pk"), "covered": Count("officers", filter=Q(officers__live=True))}
    for unit, total, covered in grouped(Enterprise.unscoped.all(), "organisation_id", **enterprise_counts):
        yield unit, "enterprises", "", total
        yield unit, "covered", "", covered
    for unit, value, n in grouped(approved.annotate(section=section), owner, "section"):
        yield unit, "industry", value, n
    for unit, value, n in grouped(approved, owner, "enterprise__size"):
        yield unit, "size", value, n
    for unit, value, n in grouped(approved, owner, "education_id"):
        yield unit, "education", value, n
    for unit, value, n in grouped(approved.annotate(band=queries.years_band()), owner, "band"):
        yield unit, "years", value, n
    for unit, value, n in grouped(approved, owner, "enterprise__economic_types__name"):
        yield unit, "nature", value, n
    months = queries.last_months()
    for month, unit, n in queries.by_month(approved, queries.approval_moment(), months, extra=(owner,)).order_by():
        yield unit, "month", f"{queries.month_key(month):%Y-%m}", n


def rolled_up(leaf_counts):
    """{(organisation id or None, kind, value): n} with each unit's counts added to every ancestor's and to the
    whole registry's (``None``), so any scope reads its own rows: O(units), not O(officers), to refresh."""
    from registry.models import Organisation

    paths = dict(Organisation.objects.values_list("id", "path"))
    ids = {path: pk for pk, path in paths.items()}
    step = Organisation.steplen
    ancestry = {}
    totals = {}
    for unit, kind, value, n in leaf_counts:
        if unit not in ancestry:
            path = paths.get(unit, "")
            ancestry[unit] = [ids[path[:end]] for end in range(step, len(path) + 1, step) if path[:end] in ids]
        value = "" if value is None else str(value)
        for owner in (*ancestry[unit], None):
            key = (owner, kind, value)
            totals[key] = totals.get(key, 0) + n
    return totals


def refresh():
    """Count everything again and replace the snapshot; returns the number of tallies written."""
    from .caching import GENERATION

    now = timezone.now()
    tallies = [(unit, kind, value, n, now) for (unit, kind, value), n in rolled_up(counts()).items() if n]
    with transaction.atomic():
        # One statement: a queryset delete would load and signal each of the old rows (global receivers listen).
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Two refreshes at once (a slow minute, the clock and a stale-refresh task) take turns: otherwise the
                # second one's DELETE cannot see the first one's rows and both sets remain. Readers are not blocked.
                cursor.execute(f"LOCK TABLE {StatisticsTally._meta.db_table} IN EXCLUSIVE MODE")
            cursor.execute(f"DELETE FROM {StatisticsTally._meta.db_table}")
        write([*tallies, (None, REFRESHED, "", 0, now)])
    GENERATION.bump()
    return len(tallies)


COLUMNS = ("organisation_id", "kind", "value", "n", "refreshed_at")


def write(tallies):
    """Insert ``tallies`` (tuples of ``COLUMNS``): with COPY on PostgreSQL (a hundred thousand in a second)."""
    if connection.vendor != "postgresql":
        rows = (StatisticsTally(**dict(zip(COLUMNS, tally, strict=True))) for tally in tallies)
        StatisticsTally.objects.bulk_create(rows, batch_size=2000)
        return
    sql = f"COPY {StatisticsTally._meta.db_table} ({', '.join(COLUMNS)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for tally in tallies:
            copy.write_row(tally)


def refreshed_at():
    marker = StatisticsTally.objects.filter(organisation__isnull=True, kind=REFRESHED)
    return marker.values_list("refreshed_at", flat=True).first()


def current_snapshot_time():
    """When the snapshot was taken; counts it now if it never was, and has a stale one refreshed in the background."""
    moment = refreshed_at()
    if moment is None:
        refresh()
        return refreshed_at()
    if timezone.now() - moment > STALE_AFTER and cache.add(REFRESH_LOCK, 1, int(STALE_AFTER.total_seconds())):
        from .tasks import refresh_statistics

        refresh_statistics.enqueue()
        return refreshed_at()  # the same moment, unless the task ran at once (no task worker configured)
    return moment


def dashboard(prefix):
    """What ``queries.dashboard`` shows for the subtree at ``prefix``, read from the snapshot, plus ``as_of``.

    The unit's own rows hold its whole subtree's counts (the whole registry's have no organisation); the
    sub-regions are its children's rows, and what it supervises itself is its total less theirs.
    """
    as_of = current_snapshot_time()
    unit = queries.unit_for(prefix)
    if prefix is None:
        own = StatisticsTally.objects.filter(organisation__isnull=True).exclude(kind=REFRESHED)
    else:
        own = StatisticsTally.objects.filter(organisation=unit)
    by_kind = {}
    for kind, value, n in own.exclude(kind__in=PER_UNIT).values_list("kind", "value", "n"):
        by_kind.setdefault(kind, {})[value] = n
    regions = subregions(unit)
    total = sum(region.enterprises for region in regions)
    covered = sum(region.officers for region in regions)
    years = {int(band): n for band, n in by_kind.get("years", {}).items()}
    return {
        "coverage": {"enterprises": total, "covered": covered, "rate": queries.percent(covered, total)},
        "as_of": as_of,
        "figures": [
            queries.status_figure(by_kind.get("status", {}), by_kind.get("disabled", {}).get("", 0)),
            queries.officers_by_subregion(unit, regions),
            queries.approvals_figure(by_kind.get("month", {}), queries.last_months()),
            queries.industry_figure(by_kind.get("industry", {})),
            queries.size_figure(by_kind.get("size", {})),
            queries.nature_figure(by_kind.get("nature", {})),
            queries.education_figure(by_kind.get("education", {})),
            queries.years_figure(years),
            *(statistic.figure(prefix) for statistic in contributions.statistics()),
        ],
    }


def subregions(unit):
    """Enterprises and covered ones per child of ``unit`` (its subtree) and what it supervises itself: SubRegions."""
    if unit is None:
        return []
    children = list(unit.get_children())
    figures = {}
    rows = StatisticsTally.objects.filter(organisation__in=[unit, *children], kind__in=PER_UNIT)
    for organisation, kind, n in rows.values_list("organisation_id", "kind", "n"):
        figures.setdefault(organisation, {"enterprises": 0, "covered": 0})[kind] = n
    regions = []
    for child in children:
        counts = figures.pop(child.pk, {"enterprises": 0, "covered": 0})
        regions.append(queries.SubRegion(child, counts["enterprises"], counts["covered"]))
    counts = figures.pop(unit.pk, {"enterprises": 0, "covered": 0})
    itself = {
        kind: counts[kind] - sum(getattr(region, attr) for region in regions)
        for kind, attr in (("enterprises", "enterprises"), ("covered", "officers"))
    }
    if itself["enterprises"]:
        regions.append(queries.SubRegion(None, itself["enterprises"], itself["covered"]))
    return regions
