"""Public officer pages: the talent pool (name, employer, appointment date — nothing else) and self-filing."""

import datetime
from functools import lru_cache
from html import escape

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page
from django.db import connections, transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..models import ChiefQualityOfficer, Enterprise, User, in_talent_pool
from ..pagination import PUBLIC_MAX_PAGES, PublicPaginator, few_matches_page, public_page_number
from ..params import query_page, query_text, raw
from ..provinces import province_options, provinces
from ..rows import row_format
from ..validators import validate_mobile
from .filters import division_prefix
from .pdf import registration_form_pdf
from .submission import submit

PUBLIC_FIELDS = ("real_name", "enterprise_name", "appointment_date")
#: Newest appointments first (the partial index registry_officer_pool); every name descending.
TALENT_POOL_ORDER = ("-appointment_date", "-id")
#: Officers on a page of the pool, listed or searched.
TALENT_POOL_PAGE_SIZE = 20


def talent_pool(request):
    """Approved officers holding a valid certificate only, and only the three fields the seed allows to publish.

    The list of a province (or of all), not searched by name, is the same for every visitor of the day: the
    template keeps it under the page cache's generation (``{% publicfragment %}``), so a first visit reads no rows
    and counts nothing. A search by name, or a region the form does not offer, is read each time: its keys would
    be as many as the words typed.
    """
    today = timezone.localdate()
    enterprise = query_text(request, "enterprise", max_length=100)
    region = query_text(request, "region", max_length=12)
    number = query_page(request, PUBLIC_MAX_PAGES)

    def page():
        """Built only when the list is read: not when its fragment is kept (the list of a province, or of all)."""
        if enterprise and not region and pairs_listed(enterprise):
            return pair_page(enterprise, today, raw(request, "page"))
        queryset = ChiefQualityOfficer.unscoped.filter(in_talent_pool(today), erased_at=None)
        queryset = queryset.order_by(*TALENT_POOL_ORDER)
        if enterprise:
            queryset = queryset.filter(enterprise_name__fragment=enterprise)
        if region:
            queryset = queryset.filter(enterprise__region__code__startswith=division_prefix(region))
        paginator = PublicPaginator(queryset.values(*PUBLIC_FIELDS), TALENT_POOL_PAGE_SIZE)
        found = enterprise and searched_page(paginator, queryset, raw(request, "page"))
        return found or paginator.get_page(number)

    page_obj = SimpleLazyObject(page)
    shared = not enterprise and (not region or region in dict(provinces()))
    return TemplateResponse(
        request,
        "registry/talent_pool.html",
        {
            "page_obj": page_obj,
            "rows": lambda: talent_pool_rows(page_obj.object_list),
            "enterprise": enterprise,
            "region": region,
            "province_options": province_options(region),
            # The certificates valid today: the day is part of the key, as an expiry moves no generation.
            "list_fragment": "talent pool" if shared else None,
            "list_key": (today.isoformat(), region, number),
        },
    )


def talent_pool_rows(rows):
    """The table's rows (template ``registry/talent_pool_row.html``, :func:`registry.rows.row_format`), every text
    escaped: a search by name renders its page for each new query."""
    language = get_language()
    pattern, in_template_order = talent_pool_row_format(language)
    return mark_safe(  # noqa: S308 - the names are escaped, the month label is ours
        "\n".join(
            pattern
            % in_template_order((escape(row["real_name"]), escape(row["enterprise_name"]), appointed(row, language)))
            for row in rows
        )
    )


@lru_cache(maxsize=8)
def talent_pool_row_format(language):
    """The row's format, once per process and ``language`` (the key: the format holds no text of its own yet)."""
    return row_format("registry/talent_pool_row.html", ("name", "enterprise", "appointed"))


def appointed(row, language):
    date = row["appointment_date"]
    return "—" if date is None else month_label(language, date.year, date.month)


@lru_cache(maxsize=4096)
def month_label(language, year, month):
    """A month as the language writes it (2020年3月, March 2020), escaped; a few hundred months ever appear."""
    return escape(date_format(datetime.date(year, month, 1), "YEAR_MONTH_FORMAT"))


def searched_page(paginator, queryset, number):
    """The page of an enterprise-name search, counted and sorted in one query when it matches no more officers than
    the pages list (a name matches a few enterprises); ``None`` when it matches more (``paginator``, told so, then
    reads the page by the talent-pool index)."""
    number = public_page_number(number, paginator.max_pages)
    ordering = [name.lstrip("-") for name in TALENT_POOL_ORDER]

    def read(number):
        offset = (number - 1) * paginator.per_page
        return few_matches_page(queryset, PUBLIC_FIELDS, ordering, offset, paginator.per_page, paginator.listed_max)

    found = read(number)
    if found is None:
        paginator.count = paginator.listed_max + 1  # what its capped count would find: no need to count again
        return None
    rows, paginator.count = found
    if number > paginator.num_pages:  # past the last match: the last page, as Paginator.get_page answers
        number = paginator.num_pages
        rows, _count = read(number)
    return Page(rows, number, paginator)


def pairs_listed(fragment):
    """Whether ``fragment`` is a character pair, which the pool lists by (``registry_talent_pool_pair``, migration
    registry 0030, PostgreSQL)."""
    return len(fragment) == 2 and connections[ChiefQualityOfficer.unscoped.db].vendor == "postgresql"


#: A pair's officers on one page and how many the pages list (at most one more, to tell the count is capped): the
#: ids from the pair's range of its index alone (the certificate's expiry included), in the pool's order, then the
#: page's officers by primary key. The table lists the pool's officers only (``in_talent_pool`` but the expiry, which
#: is tested here), written in the transaction that writes the officer, so the rows need no second look at the rule.
PAIR_PAGE = f"""WITH listed AS (
    SELECT array_agg(officer_id ORDER BY appointed DESC, officer_id DESC) AS ids FROM (
        SELECT appointed, officer_id FROM registry_talent_pool_pair WHERE pair = lower(%s) AND valid_until >= %s
        ORDER BY appointed DESC, officer_id DESC LIMIT %s
    ) AS matches
)
SELECT coalesce(cardinality(listed.ids), 0), officer.id, {", ".join(f"officer.{name}" for name in PUBLIC_FIELDS)}
FROM listed LEFT JOIN LATERAL unnest(listed.ids[%s:%s]) WITH ORDINALITY AS page (officer_id, position) ON true
LEFT JOIN registry_chiefqualityofficer AS officer ON officer.id = page.officer_id
ORDER BY page.position"""


def pair_page(pair, today, number):
    """The page of a two-character search, in one statement (:data:`PAIR_PAGE`); a page past the last answers the
    last, as ``Paginator.get_page`` does."""
    paginator = PublicPaginator((), TALENT_POOL_PAGE_SIZE)
    number = public_page_number(number, paginator.max_pages)

    def read(number):
        first = (number - 1) * paginator.per_page + 1
        with connections[ChiefQualityOfficer.unscoped.db].cursor() as cursor:
            cursor.execute(PAIR_PAGE, (pair, today, paginator.listed_max + 1, first, first + paginator.per_page - 1))
            return cursor.fetchall()

    found = read(number)
    paginator.count = found[0][0]
    if number > paginator.num_pages:
        number = paginator.num_pages
        found = read(number)
    rows = [dict(zip(PUBLIC_FIELDS, row[2:], strict=True)) for row in found if row[1] is not None]
    return Page(rows, number, paginator)


class FilingForm(forms.ModelForm):
    """The seed 003 talent-pool record as the enterprise fills it in, with the stamped form attached."""

    # Longer than the stored 11 digits: people type spaces, dashes and +86, which clean_mobile removes.
    mobile = forms.CharField(label=_("mobile"), max_length=20)
    id_number = forms.CharField(label=_("ID document number"), max_length=24)

    class Meta:
        model = ChiefQualityOfficer
        fields = [
            "real_name",
            "gender",
            "id_document_type",
            "id_number",
            "education",
            "graduate_school",
            "major",
            "title",
            "position",
            "concurrent_posts",
            "quality_years",
            "mobile",
            "phone",
            "fax",
            "email",
            "address",
            "postcode",
            "appointment_date",
            "training_certificate_number",
            "training_certificate_issuer",
            "work_history",
            "registration_form",
        ]
        widgets = {"appointment_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("id_number", "education", "appointment_date", "registration_form"):
            self.fields[name].required = True

    def clean_mobile(self):
        return validate_mobile(self.cleaned_data["mobile"])


class UnitDetailsForm(forms.ModelForm):
    """The unit rows of the provincial registration form, kept on the enterprise record."""

    # Longer than the stored 11 digits, as on the filing form: spaces, dashes and +86 are removed in clean.
    head_mobile = forms.CharField(label=_("head's mobile"), max_length=20, required=False)
    quality_head_mobile = forms.CharField(label=_("head of quality's mobile"), max_length=20, required=False)

    class Meta:
        model = Enterprise
        fields = [
            "main_products",
            "phone",
            "fax",
            "website",
            "email",
            "head_post",
            "head_mobile",
            "head_phone",
            "head_fax",
            "quality_head_name",
            "quality_head_post",
            "quality_head_mobile",
            "quality_head_phone",
            "quality_head_fax",
        ]
        widgets = {"main_products": forms.Textarea(attrs={"rows": 2})}

    def clean_head_mobile(self):
        return self.cleaned_data["head_mobile"] and validate_mobile(self.cleaned_data["head_mobile"])

    def clean_quality_head_mobile(self):
        value = self.cleaned_data["quality_head_mobile"]
        return value and validate_mobile(value)


def registration_form_download(form, unit_form, enterprise):
    """The form as typed so far, printed to stamp: the scan it asks for is what comes back, so it is not needed."""
    form.fields["registration_form"].required = False
    if not (form.is_valid() and unit_form.is_valid()):
        return None
    officer = form.save(commit=False)
    officer.enterprise = unit_form.save(commit=False)
    response = HttpResponse(registration_form_pdf(officer), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="cqo-registration-{enterprise.uscc}.pdf"'
    return response


@login_required
def registration_form(request):
    """The enterprise's filed officer on the provincial registration form, prefilled from the record, to stamp."""
    user = request.user
    if user.kind != User.Kind.ENTERPRISE or user.enterprise_id is None:
        raise PermissionDenied
    officer = ChiefQualityOfficer.unscoped.filter(enterprise_id=user.enterprise_id).select_related("enterprise").first()
    if officer is None:
        return redirect("officer_filing")
    response = HttpResponse(registration_form_pdf(officer), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="cqo-registration-{officer.enterprise.uscc}.pdf"'
    return response


@login_required
def file_officer(request):
    """An enterprise account files its CQO; the record waits for the enterprise's regional administrator."""
    user = request.user
    if user.kind != User.Kind.ENTERPRISE or user.enterprise_id is None:
        raise PermissionDenied
    enterprise = user.enterprise
    existing = ChiefQualityOfficer.unscoped.filter(enterprise=enterprise).first()
    if existing is not None and existing.review_status != "rejected":
        return TemplateResponse(
            request, "registry/officer_filing.html", {"existing": existing, "enterprise": enterprise}
        )
    form = FilingForm(request.POST or None, request.FILES or None, instance=existing)
    unit_form = UnitDetailsForm(request.POST or None, instance=enterprise, prefix="unit")
    if request.method == "POST" and "download" in request.POST:
        response = registration_form_download(form, unit_form, enterprise)
        if response is not None:
            return response
    elif request.method == "POST" and form.is_valid() and unit_form.is_valid():
        officer = form.save(commit=False)
        officer.enterprise = enterprise
        officer.organisation_id = enterprise.organisation_id
        officer.self_filed = True
        officer.live = False
        officer.review_status = "pending"
        with transaction.atomic():
            unit_form.save()
            officer.save()
            submit(officer, user)
        messages.success(request, _("Your filing was submitted and awaits review by the regional administrator."))
        return redirect("officer_filing")
    return TemplateResponse(
        request, "registry/officer_filing.html", {"form": form, "unit_form": unit_form, "enterprise": enterprise}
    )
