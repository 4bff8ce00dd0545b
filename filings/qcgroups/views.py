"""Portal pages of filing units (/qc/): registration, profile, yearly counts, filings, import and summary.

A unit only ever reaches its own records: its account owns the unit and the unit's records by their scope policy
(``registry.policies.permitted``, registered in wagtail_hooks), so another unit's filing URL answers 404.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.log_actions import log

from registry.imports import WorkbookError
from registry.params import query_choice, query_text, query_year, raw
from registry.policies import owned, permitted
from registry.reports import IMPORT_ACTION

from . import statistics
from .forms import (
    FilingForm,
    ImportForm,
    ProfileForm,
    RegistrationForm,
    ResubmissionForm,
    YearlySettingForm,
    year_choices,
)
from .importing import import_filings
from .models import Filing, FilingUnit, YearlySetting, current_year, group_name_warnings
from .spreadsheets import import_template, summary_workbook, template_response


def unit_of(user):
    """The unit ``user`` is the account of, or None (an administrator reaching units owns none)."""
    return owned(user, FilingUnit).select_related("province", "city").first()


def approved_unit_required(view):
    """Logged in as an approved filing unit; others go to /qc/, which explains their status."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        unit = unit_of(request.user)
        if unit is None or not unit.is_approved:
            messages.error(request, _("Only approved filing units may file."))
            return redirect("qcgroups_home")
        request.qc_unit = unit
        return view(request, *args, **kwargs)

    return wrapper


def selected_year(request):
    return query_year(request, "year") or current_year()


def home(request):
    """Welcome page: how to register, or the unit's review status, or its dashboard for the year."""
    unit = unit_of(request.user) if request.user.is_authenticated else None
    context = {"unit": unit}
    if unit is not None and unit.is_approved:
        year = current_year()
        context.update(
            year=year,
            totals=statistics.totals(permitted(request.user, Filing).filter(year=year)),
            setting=permitted(request.user, YearlySetting).filter(year=year).first(),
        )
    return TemplateResponse(request, "qcgroups/home.html", context)


def register(request):
    if request.user.is_authenticated and unit_of(request.user) is not None:
        return redirect("qcgroups_home")
    form = RegistrationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        unit = form.save()
        return TemplateResponse(request, "qcgroups/registration_done.html", {"unit": unit})
    return TemplateResponse(request, "qcgroups/registration.html", {"form": form})


@login_required
def resubmit(request):
    unit = unit_of(request.user)
    if unit is None or unit.status != FilingUnit.Status.REJECTED:
        return redirect("qcgroups_home")
    form = ResubmissionForm(request.POST or None, request.FILES or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Submitted again for the secretariat's review."))
        return redirect("qcgroups_home")
    return TemplateResponse(request, "qcgroups/resubmission.html", {"form": form, "unit": unit})


@login_required
def profile(request):
    unit = unit_of(request.user)
    if unit is None:
        return redirect("qcgroups_home")
    form = ProfileForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Contact details saved."))
        return redirect("qcgroups_profile")
    return TemplateResponse(request, "qcgroups/profile.html", {"form": form, "unit": unit})


@login_required
def password_change(request):
    if unit_of(request.user) is None:
        return redirect("qcgroups_home")
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password has been changed."))
        return redirect("qcgroups_profile")
    return TemplateResponse(request, "qcgroups/password_change.html", {"form": form})


@approved_unit_required
def yearly_setting(request):
    year = selected_year(request)
    setting = permitted(request.user, YearlySetting, "change").filter(year=year).first()
    form = YearlySettingForm(request.POST or None, instance=setting or YearlySetting(unit=request.qc_unit, year=year))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Settings for %(year)d saved.") % {"year": year})
        return redirect(f"{request.path}?year={year}")
    return TemplateResponse(
        request,
        "qcgroups/yearly_setting.html",
        {"form": form, "year": year, "years": year_choices(), "unit": request.qc_unit},
    )


@approved_unit_required
def filing_list(request):
    year = selected_year(request)
    filings = permitted(request.user, Filing).filter(year=year)
    kind = query_choice(request, "kind", Filing.Kind.values)
    if kind:
        filings = filings.filter(kind=kind)
    query = query_text(request, "q")
    if query:
        filings = filings.filter(
            Q(topic__icontains=query) | Q(group_name__icontains=query) | Q(enterprise_name__icontains=query)
        )
    page = Paginator(filings, 50).get_page(raw(request, "page"))
    return TemplateResponse(
        request,
        "qcgroups/filing_list.html",
        {
            "page": page,
            "year": year,
            "years": year_choices(),
            "kind": kind,
            "kinds": Filing.Kind.choices,
            "query": query,
            "setting": permitted(request.user, YearlySetting).filter(year=year).first(),
            "totals": statistics.totals(permitted(request.user, Filing).filter(year=year)),
        },
    )


def own_filing(request, pk, action):
    return get_object_or_404(permitted(request.user, Filing, action), pk=pk)


def edit_filing(request, filing):
    form = FilingForm(request.POST or None, instance=filing, unit=request.qc_unit)
    if request.method == "POST" and form.is_valid():
        action = "wagtail.create" if filing.pk is None else "wagtail.edit"
        filing = form.save()
        log(filing, action, user=request.user)
        for warning in group_name_warnings(filing.group_name, request.qc_unit, filing.enterprise_name):
            messages.warning(request, warning)
        messages.success(request, _("Saved: %(filing)s") % {"filing": filing})
        if "save_and_add" in request.POST:
            return redirect("qcgroups_filing_add")
        return redirect(f"{reverse('qcgroups_filings')}?year={filing.year}")
    return TemplateResponse(request, "qcgroups/filing_form.html", {"form": form, "filing": filing})


@approved_unit_required
def filing_add(request):
    return edit_filing(request, Filing(unit=request.qc_unit, source=Filing.Source.FORM))


@approved_unit_required
def filing_edit(request, pk):
    return edit_filing(request, own_filing(request, pk, "change"))


@require_POST
@approved_unit_required
def filing_delete(request, pk):
    filing = own_filing(request, pk, "delete")
    year = filing.year
    log(filing, "wagtail.delete", user=request.user)
    filing.delete()
    messages.success(request, _("Deleted: %(filing)s") % {"filing": filing})
    return redirect(f"{reverse('qcgroups_filings')}?year={year}")


@approved_unit_required
def import_view(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = import_filings(request.qc_unit, form.cleaned_data["file"], form.cleaned_data["year"])
            if report.written:
                data = {
                    "file": form.cleaned_data["file"].name,
                    "created": report.written,
                    "unchanged": len(report.skipped),
                }
                log(request.qc_unit, IMPORT_ACTION, user=request.user, data=data)
        except WorkbookError as error:
            form.add_error("file", str(error))
    return TemplateResponse(request, "qcgroups/import.html", {"form": form, "report": report})


@approved_unit_required
def template_download(request):
    return template_response(import_template(), "qc-filing-template.xlsx")


def unit_summary(request):
    year = selected_year(request)
    filings = permitted(request.user, Filing).filter(year=year).order_by("kind", "pk")
    return year, filings


@approved_unit_required
def summary(request):
    year, filings = unit_summary(request)
    return TemplateResponse(
        request,
        "qcgroups/summary.html",
        {
            "unit": request.qc_unit,
            "year": year,
            "years": year_choices(),
            "filings": filings,
            "totals": statistics.totals(filings),
            "by_enterprise": statistics.by_enterprise(filings),
            "setting": permitted(request.user, YearlySetting).filter(year=year).first(),
        },
    )


@approved_unit_required
def summary_xlsx(request):
    year, filings = unit_summary(request)
    title = _("%(unit)s %(year)s QC group and trusted team filings") % {"unit": request.qc_unit.name, "year": year}
    workbook = summary_workbook(title, filings, totals=statistics.totals_rows(statistics.totals(filings)))
    return workbook.response(title)
