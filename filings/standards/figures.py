"""The standards programme's figure on the registry's statistics dashboard (added in StandardsConfig.ready)."""

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from registry.statistics.queries import Figure, by_month, last_months, month_key, within

from .models import DisclosedStandard, StandardKind


def standards_by_month(prefix, months=None):
    months = months or last_months()
    published = within(
        DisclosedStandard.unscoped.filter(status="published", published_at__isnull=False),
        "enterprise__organisation",
        prefix,
        by_enterprise=True,
    )
    counts = {}
    for month, kind, n in by_month(published, F("published_at"), months, extra=("kind",)):
        counts[month_key(month), kind] = n
    kinds = list(StandardKind)
    rows = [[month.strftime("%Y-%m"), *[counts.get((month, kind.value), 0) for kind in kinds]] for month in months]
    return Figure(
        "standards",
        _("Standards disclosed per month and kind"),
        [_("Month"), *[kind.label for kind in kinds]],
        rows,
        chart="line",
    )
