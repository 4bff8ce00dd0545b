"""Totals and breakdowns of filings, shared by the portal and the secretariat's summary."""

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from .models import Filing

QC, TEAM = Filing.Kind.QC_GROUP, Filing.Kind.TRUSTED_TEAM

BREAKDOWN = {
    "qc_groups": Count("pk", filter=Q(kind=QC)),
    "trusted_teams": Count("pk", filter=Q(kind=TEAM)),
    "members": Sum("member_count"),
    "total": Count("pk"),
}


def totals(filings):
    result = filings.aggregate(**BREAKDOWN)
    result["members"] = result["members"] or 0
    return result


def by_enterprise(filings):
    return filings.values("enterprise_name").annotate(**BREAKDOWN).order_by("-total", "enterprise_name")


def by_year(filings):
    return filings.values("year").annotate(**BREAKDOWN).order_by("-year")


def by_unit(filings):
    return filings.values("unit__name").annotate(**BREAKDOWN).order_by("-total", "unit__name")


def totals_rows(result):
    """The totals as (label, value) rows for a spreadsheet."""
    return [
        (_("QC groups"), result["qc_groups"]),
        (_("Trusted teams"), result["trusted_teams"]),
        (_("Total"), result["total"]),
        (_("Members"), result["members"]),
    ]
