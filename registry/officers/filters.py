"""Search and filters of the officer admin listing (seed 000 1.5.3.2: by name, phone, company and region).

One search box: every word typed must match the officer's real name, mobile (any part), enterprise name or USCC,
or the region (name or code) the enterprise lies in, a region matching its whole subtree. A word matched by few
officers is looked up through each field's index (registry.lookups ``fragment``) and becomes an id list; a broad
one stays a condition tested row by row as the listing walks its newest-first index, which reaches a page of
matches after a few hundred rows. Either way the cost follows the page, not the million rows.
"""

import functools
import operator

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from ..admin_forms import SearchableSelect, UnitFilter, units_for_request
from ..models import ChiefQualityOfficer, Division, EducationLevel, EnterpriseSize, IndustryCategory, ReviewStatus
from ..validators import normalise

#: A word that one field matches in more officers than this is a broad one (see the module docstring).
FEW_MATCHES = 1000

#: Words of a search beyond this many are ignored: each costs a few index lookups.
MAX_WORDS = 5


def division_prefix(code):
    """Codes of a division's subtree share a prefix: 130000 → "13", 130100 → "1301", 130102 → "130102"."""
    code = normalise(code)[:6]
    while code.endswith("00") and len(code) > 2:
        code = code[:-2]
    return code


def region_condition(word):
    """Officers whose enterprise lies in a region named ``word`` or coded ``word``, subtrees included (or ``None``).

    The divisions are reference data (3,200 rows): the matching ones come from one small query, and their
    subtrees are code prefixes that the enterprise's region index serves.
    """
    code = normalise(word)
    found = Q(name__contains=word.strip())
    if code.isdigit() and len(code) in (2, 4, 6):
        found |= Q(code=code.ljust(6, "0"))
    prefixes = sorted({division_prefix(code) for code in Division.objects.filter(found).values_list("code", flat=True)})
    kept = []
    for prefix in prefixes:  # sorted: a subtree's prefix comes before those of its members
        if not any(prefix.startswith(other) for other in kept):
            kept.append(prefix)
    if not kept:
        return None
    counties = [prefix for prefix in kept if len(prefix) == 6]
    condition = Q(enterprise__region__in=counties) if counties else Q()
    for prefix in kept:
        if len(prefix) < 6:
            condition |= Q(enterprise__region__code__startswith=prefix)
    return condition


def word_conditions(word):
    """The ways ``word`` can match an officer, one condition per indexed field."""
    conditions = [Q(real_name__fragment=word), Q(enterprise__name__fragment=word)]
    code = normalise(word)
    digits = "".join(char for char in code if char.isdigit())
    if digits and len(digits) == len(code):
        conditions.append(Q(mobile__fragment=digits))
    if code.isascii() and code.isalnum() and len(code) >= 2:
        conditions.append(Q(enterprise__uscc__startswith=code))
    region = region_condition(word)
    if region is not None:
        conditions.append(region)
    return conditions


def word_condition(word):
    """``word`` matched in any field: an id list when each field matches few officers, else the conditions."""
    conditions = word_conditions(word)
    ids = set()
    for condition in conditions:
        found = ChiefQualityOfficer.unscoped.filter(condition).order_by().values_list("pk", flat=True)
        found = list(found[: FEW_MATCHES + 1])
        if len(found) > FEW_MATCHES:
            return functools.reduce(operator.or_, conditions)
        ids.update(found)
    return Q(pk__in=sorted(ids))


def search_officers(queryset, text):
    """Officers matching every word of ``text`` (see the module docstring)."""
    for word in text.split()[:MAX_WORDS]:
        queryset = queryset.filter(word_condition(word))
    return queryset


INDENT = {"section": "", "division": "\u3000", "group": "\u3000" * 2, "class": "\u3000" * 3}


def industry_choices():
    """Every GB/T 4754 node in the standard's order, indented by level: a section, division or group stands
    for all the classes below it. Reference data: read once per process."""
    if not _industry_choices:
        rows = IndustryCategory.objects.order_by("position").values_list("code", "name", "level")
        _industry_choices.extend((code, f"{INDENT.get(level, '')}{code} {name}") for code, name, level in rows)
    return _industry_choices


_industry_choices = []


def industry_classes(code):
    """The class codes under the GB/T 4754 node ``code`` (a class: itself). Sections are letters and hold their
    divisions by reference, not by code prefix, so the subtree is read from the table."""
    level = IndustryCategory.objects.filter(code=code).values_list("level", flat=True).first()
    classes = IndustryCategory.objects.filter(level=IndustryCategory.Level.CLASS)
    if level == IndustryCategory.Level.SECTION:
        return classes.filter(parent__parent__parent_id=code)
    return classes.filter(code__startswith=code)


class OfficerFilterSet(WagtailFilterSet):
    region = django_filters.CharFilter(
        label=_("Region"),
        method="filter_region",
        help_text=_("A province, city or county by name or code, e.g. 130100, with everything in it"),
    )
    organisation = UnitFilter(label=_("Reviewing unit"), queryset=units_for_request)
    industry = django_filters.ChoiceFilter(
        label=_("Industry"),
        choices=industry_choices,
        method="filter_industry",
        widget=SearchableSelect,
        help_text=_("A section, division or group includes every class in it"),
    )
    size = django_filters.ChoiceFilter(
        label=_("Enterprise size"), field_name="enterprise__size", choices=EnterpriseSize.choices
    )
    education = django_filters.ModelChoiceFilter(label=_("Education"), queryset=EducationLevel.objects.all())
    review_status = django_filters.ChoiceFilter(label=_("Review status"), choices=ReviewStatus.choices)
    enabled = django_filters.BooleanFilter(label=_("Enabled"))
    appointment_year = django_filters.NumberFilter(
        label=_("Appointment year"), field_name="appointment_date", lookup_expr="year"
    )

    class Meta:
        model = ChiefQualityOfficer
        fields = []

    def filter_region(self, queryset, name, value):
        condition = region_condition(value) if value.strip() else Q()
        return queryset.none() if condition is None else queryset.filter(condition)

    def filter_industry(self, queryset, name, value):
        return queryset.filter(enterprise__industry__in=industry_classes(value))
