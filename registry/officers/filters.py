"""Search and filters of the officer admin listing (seed 000 1.5.3.2)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from ..models import ChiefQualityOfficer, EducationLevel, EnterpriseSize, ReviewStatus
from ..validators import normalise


def division_prefix(code):
    """Codes of a division's subtree share a prefix: 130000 → "13", 130100 → "1301", 130102 → "130102"."""
    code = normalise(code)[:6]
    while code.endswith("00") and len(code) > 2:
        code = code[:-2]
    return code


class OfficerFilterSet(WagtailFilterSet):
    real_name = django_filters.CharFilter(label=_("Name"), lookup_expr="icontains")
    mobile = django_filters.CharFilter(label=_("Mobile"), method="filter_mobile")
    enterprise = django_filters.CharFilter(label=_("Enterprise name or USCC"), method="filter_enterprise")
    region = django_filters.CharFilter(
        label=_("Region code"), method="filter_region", help_text=_("Province, city or county code, e.g. 130100")
    )
    industry = django_filters.CharFilter(
        label=_("Industry code"), method="filter_industry", help_text=_("GB/T 4754 division, group or class code")
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

    def filter_mobile(self, queryset, name, value):
        return queryset.filter(mobile__startswith=normalise(value))

    def filter_enterprise(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(enterprise__name__icontains=value) | Q(enterprise__uscc=normalise(value)))

    def filter_region(self, queryset, name, value):
        return queryset.filter(enterprise__region__code__startswith=division_prefix(value))

    def filter_industry(self, queryset, name, value):
        return queryset.filter(enterprise__industry_id__startswith=normalise(value))
