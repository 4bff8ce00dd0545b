"""The training figures on the registry's statistics dashboard (added in TrainingConfig.ready): enrolment,
attendance and pass rate per year, and certificates per region and year. Officers are placed by their
enterprise's supervising bureau, as every officer figure is."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.statistics.queries import THIS_UNIT, Figure, by_branch, percent, unit_for, within

from .models import Attempt, Certificate, Enrolment

PLACE = "officer__enterprise__organisation"


def training_by_year(prefix):
    enrolments = within(Enrolment.unscoped.all(), PLACE, prefix)
    counts = {
        year: [enrolled, attended]
        for year, enrolled, attended in enrolments.values("training__year")
        .annotate(enrolled=Count("pk"), attended=Count("pk", filter=Q(attended=True)))
        .order_by()
        .values_list("training__year", "enrolled", "attended")
    }
    # An officer sat an exam of that year's training when any attempt was marked; passed when one passed.
    attempts = within(Attempt.unscoped.filter(submitted_at__isnull=False), f"enrolment__{PLACE}", prefix)
    results = {
        year: (sat, passed)
        for year, sat, passed in attempts.values("enrolment__training__year")
        .annotate(
            sat=Count("enrolment", distinct=True),
            passed=Count("enrolment", filter=Q(passed=True), distinct=True),
        )
        .order_by()
        .values_list("enrolment__training__year", "sat", "passed")
    }
    certificates = dict(
        within(Certificate.unscoped.all(), PLACE, prefix)
        .values("year")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("year", "n")
    )
    rows = []
    for year in sorted(set(counts) | set(results) | set(certificates)):
        enrolled, attended = counts.get(year, [0, 0])
        sat, passed = results.get(year, (0, 0))
        rows.append([str(year), enrolled, attended, sat, passed, percent(passed, sat), certificates.get(year, 0)])
    return Figure(
        "training",
        _("CQO training per year"),
        [
            _("Year"),
            _("Enrolled"),
            _("Attended"),
            _("Sat the exam"),
            _("Passed"),
            _("Pass rate (%)"),
            _("Certificates issued"),
        ],  # fmt: skip
        rows,
        chart="",
    )


def certificates_by_region(prefix):
    """Certificates issued per sub-region and year, and those valid today."""
    unit = unit_for(prefix)
    if unit is None:
        return Figure("certificates", _("Training certificates by region"), [], [])
    queryset = within(Certificate.unscoped.all(), PLACE, prefix)
    years = sorted(set(queryset.values_list("year", flat=True).distinct()))[-3:]
    today = timezone.localdate()
    aggregates = {f"y{year}": Count("pk", filter=Q(year=year)) for year in years}
    aggregates["valid"] = Count("pk", filter=Q(revoked_at__isnull=True, valid_until__gte=today))
    branches = by_branch(queryset, PLACE, unit, **aggregates)
    rows = []
    for child in unit.get_children():
        counts = branches.pop(child.path, None)
        if counts:
            rows.append([child.name, counts["valid"], *(counts[f"y{year}"] for year in years)])
    if counts := branches.pop(unit.path, None):
        rows.append([THIS_UNIT, counts["valid"], *(counts[f"y{year}"] for year in years)])
    rows.sort(key=lambda row: -row[1])
    return Figure(
        "certificates",
        _("Training certificates by region"),
        [_("Region"), _("Valid certificates"), *(_("Issued in %(year)s") % {"year": year} for year in years)],
        rows,
    )
