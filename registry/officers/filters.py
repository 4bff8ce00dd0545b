"""Search and filters of the officer admin listing (seed 000 1.5.3.2: by name, phone, company and region).

One search box: every word typed must match the officer's real name, mobile (any part), whole ID number (by its
keyed hash: the number is encrypted), enterprise name or USCC, or the region (name or code) the enterprise lies in,
a region matching its whole subtree. A word matched by few
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

from ..admin_forms import SearchableSelect, UnitFilter, option_tag, units_for_request, with_selected
from ..crypto import keyed_hash
from ..lookups import AnyOf, has_cased_letters
from ..models import (
    ChiefQualityOfficer,
    Division,
    EducationLevel,
    Enterprise,
    EnterpriseSize,
    IndustryCategory,
    ReviewStatus,
)
from ..pagination import capped_count
from ..validators import normalise

#: How many officers one field matches for a word to count as matching few, and as matching many (word_condition).
FEW_MATCHES = 1000
MANY_MATCHES = 20_000

#: Words of a search beyond this many are ignored: each costs a few index lookups.
MAX_WORDS = 5


def division_prefix(code):
    """Codes of a division's subtree share a prefix: 130000 → "13", 130100 → "1301", 130102 → "130102"."""
    code = normalise(code)[:6]
    while code.endswith("00") and len(code) > 2:
        code = code[:-2]
    return code


def region_condition(word):
    """Enterprises in a region named ``word`` or coded ``word``, subtrees included (``None``: no such region).

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
    condition = Q(region__in=counties) if counties else Q()
    for prefix in kept:
        if len(prefix) < 6:
            condition |= Q(region__code__startswith=prefix)
    return condition


def looks_like_id_number(code):
    """A whole resident ID number (18 characters, the last maybe X): searched by its keyed hash (registry.crypto),
    since the number itself is encrypted; part of one matches nothing."""
    return len(code) == 18 and code[:17].isdigit() and (code[17].isdigit() or code[17] in "xX")


def word_conditions(word):
    """The ways ``word`` can match: ``(officer conditions, enterprise conditions)``, one per indexed field."""
    officer = [Q(real_name__fragment=word)]
    enterprise = [Q(name__fragment=word)]
    code = normalise(word)
    if code.isdigit():
        officer.append(Q(mobile__fragment=code))
    if looks_like_id_number(code):
        officer.append(Q(id_number_hash=keyed_hash(code)))
    if code.isascii() and code.isalnum() and len(code) >= 2:
        enterprise.append(Q(uscc__startswith=code))
    region = region_condition(word)
    if region is not None:
        enterprise.append(region)
    return officer, enterprise


def of_enterprises(condition):
    return Q(enterprise__in=Enterprise.unscoped.filter(condition).values("pk"))


def word_condition(queryset, word):
    """``word`` matched in any field of the officers of ``queryset`` (see :func:`cheapest`)."""
    officer, enterprise = word_conditions(word)
    code = normalise(word)
    broad = Q(real_name__icontains=word) if has_cased_letters(word) else Q(real_name__contains=word)
    if code.isdigit():
        broad |= Q(mobile__contains=code)
    if looks_like_id_number(code):
        broad |= Q(id_number_hash=keyed_hash(code))
    broad |= of_enterprises(functools.reduce(operator.or_, enterprise))
    return cheapest(queryset, [*officer, *map(of_enterprises, enterprise)], broad)


def cheapest(queryset, branches, broad):
    """The officers of ``queryset`` matching any of ``branches`` (each served by an index), in the cheapest form
    for how many match:

    - each branch matches few officers: their ids, found through each branch's index;
    - some branch matches more, none very many: the ids those index lookups select, as an array the listing's
      own index is read at (lookups.AnyOf), so the cost follows the matches wherever they sit;
    - some branch matches a large share of the registry: ``broad``, the same test made cheap row by row (no
      short grams), which the listing's newest-first walk meets at once.
    """
    branches = [queryset.filter(condition) for condition in branches]
    ids = set()
    for branch in branches:
        found = list(branch.order_by().values_list("pk", flat=True)[: FEW_MATCHES + 1])
        if len(found) > FEW_MATCHES:
            break
        ids.update(found)
    else:
        return Q(pk__in=sorted(ids))
    if all(capped_count(branch, MANY_MATCHES) <= MANY_MATCHES for branch in branches):
        selected = [branch.order_by().values("pk") for branch in branches]
        return AnyOf("pk", selected[0].union(*selected[1:], all=True))
    return broad


def search_officers(queryset, text):
    """Officers matching every word of ``text`` (see the module docstring)."""
    for word in text.split()[:MAX_WORDS]:
        queryset = queryset.filter(word_condition(queryset, word))
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


class IndustrySelect(SearchableSelect):
    """The GB/T 4754 tree's options, written once per process as its choices are read (:func:`industry_choices`):
    normalising and escaping its nearly 2,000 options took a tenth of every officer listing's time."""

    def options_markup(self, selected):
        field = getattr(self.choices, "field", None)  # django-filter's choices lead with the field's empty choice
        empty = getattr(field, "empty_label", None)
        first = option_tag("", empty, "" in selected) if empty is not None else ""
        if not _industry_options:
            _industry_options.append("".join(option_tag(code, label) for code, label in industry_choices()))
        return first + with_selected(_industry_options[0], selected - {""})


_industry_options = []


def industry_classes(code):
    """The class codes under the GB/T 4754 node ``code`` (a class: itself), as a list: at most the 1,400 classes
    of the standard, where a subquery through three levels of parents is estimated at one row and misplans.
    Sections are letters and hold their divisions by reference, not by code prefix."""
    level = IndustryCategory.objects.filter(code=code).values_list("level", flat=True).first()
    classes = IndustryCategory.objects.filter(level=IndustryCategory.Level.CLASS)
    if level == IndustryCategory.Level.SECTION:
        classes = classes.filter(parent__parent__parent_id=code)
    else:
        classes = classes.filter(code__startswith=code)
    return list(classes.values_list("code", flat=True))


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
        widget=IndustrySelect,
        help_text=_("A section, division or group includes every class in it"),
    )
    size = django_filters.ChoiceFilter(
        label=_("Enterprise size"), field_name="enterprise__size", choices=EnterpriseSize.choices
    )
    education = django_filters.ModelChoiceFilter(label=_("Education"), queryset=EducationLevel.objects.all())
    review_status = django_filters.ChoiceFilter(label=_("Review status"), choices=ReviewStatus.choices)
    enabled = django_filters.BooleanFilter(label=_("Enabled"))
    appointment_year = django_filters.NumberFilter(
        label=_("Appointment year"),
        field_name="appointment_date",
        lookup_expr="year",
        min_value=1900,  # "1e309" is a valid decimal: unbounded, it overflowed the year lookup
        max_value=2999,
        decimal_places=0,
    )

    class Meta:
        model = ChiefQualityOfficer
        fields = []

    def filter_region(self, queryset, name, value):
        if not value.strip():
            return queryset
        condition = region_condition(value)
        if condition is None:
            return queryset.none()
        return queryset.filter(cheapest(queryset, [of_enterprises(condition)], of_enterprises(condition)))

    def filter_industry(self, queryset, name, value):
        condition = of_enterprises(Q(industry__in=industry_classes(value)))
        return queryset.filter(cheapest(queryset, [condition], condition))
