"""The awards programme's figure on the registry's statistics dashboard (added in AwardsConfig.ready)."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from registry.statistics.queries import Figure, organisation_ids

from .models import Application


def applications_by_programme(prefix):
    states = [state for state in Application.State if state != Application.State.DRAFT]
    queryset = Application.unscoped.exclude(state=Application.State.DRAFT)
    if prefix is not None:
        # A recommending unit's figures cover what chose it; an organiser's, its own programmes.
        units = organisation_ids(prefix)
        queryset = queryset.filter(Q(recommending_unit_id__in=units) | Q(programme__organiser_id__in=units))
    table = {}
    for programme, state, n in (
        queryset.values("programme__title", "state")
        .annotate(n=Count("pk"))
        .values_list("programme__title", "state", "n")
    ):
        table.setdefault(programme, {})[state] = n
    rows = [
        [programme, sum(cells.values()), *[cells.get(state.value, 0) for state in states]]
        for programme, cells in sorted(table.items())
    ]
    return Figure(
        "applications",
        _("Award applications per programme and stage"),
        [_("Programme"), _("Submitted"), *[state.label for state in states]],
        rows,
    )
