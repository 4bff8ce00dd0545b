"""The QC programme's figure on the registry's statistics dashboard (added in QCGroupsConfig.ready)."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from registry.statistics.queries import Figure, within

from .models import Filing


def qc_filings_by_year(prefix):
    queryset = within(Filing.unscoped.all(), Filing.scope_lookup, prefix)
    grouped = (
        queryset.values("year")
        .annotate(
            total=Count("pk"),
            qc=Count("pk", filter=Q(kind=Filing.Kind.QC_GROUP)),
            teams=Count("pk", filter=Q(kind=Filing.Kind.TRUSTED_TEAM)),
        )
        .order_by("year")
        .values_list("year", "total", "qc", "teams")
    )
    rows = [[str(year), total, qc, teams] for year, total, qc, teams in grouped]
    return Figure(
        "qcgroups",
        _("QC group filings per year"),
        [_("Year"), _("Filings"), _("QC groups"), _("Trusted teams")],
        rows,
    )
