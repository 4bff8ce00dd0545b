"""Secretariat views in the Wagtail admin: review of units and the summary table (the licence: registry.files).

Records are fetched through the scoped default managers, so an administrator whose organisation subtree does not
contain the secretariat gets 404 for every unit and filing.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views import View

from registry import workflows
from registry.models import Division, Organisation
from registry.params import query_choice, query_id, query_string, query_text, query_year, raw
from registry.policies import ScopePolicy
from registry.reports import log_export
from registry.scoping import NOTHING

from . import statistics
from .forms import ApproveForm, RejectForm
from .models import SECRETARIAT, Filing, FilingUnit, YearlySetting
from .spreadsheets import summary_workbook


def reaches_secretariat(user):
    """Whether the secretariat lies in the user's organisation subtree (its own or an ancestor's admins).

    Kept on the user object like Django's permission cache: the menu item, the viewset and the summary panel each ask
    once per admin page."""
    prefix = ScopePolicy.scope_for(user)
    if prefix is None:
        return True
    if prefix == NOTHING:
        return False
    if "_reaches_secretariat" not in user.__dict__:
        secretariats = Organisation.objects.filter(function=SECRETARIAT, path__startswith=prefix)
        user.__dict__["_reaches_secretariat"] = secretariats.exists()
    return user.__dict__["_reaches_secretariat"]


def require_permission(user, codename):
    if not user.has_perm(f"qcgroups.{codename}"):
        raise PermissionDenied


class ReviewView(View):
    """Approve or reject a unit through its workflow; either way the unit is e-mailed (registry.workflows notifiers)."""

    model = FilingUnit  # lets the project's scoping sweep find and probe this URL

    def dispatch(self, request, pk):
        require_permission(request.user, "view_filingunit")
        self.unit = get_object_or_404(FilingUnit.objects.select_related("account", "province", "city"), pk=pk)
        return super().dispatch(request, pk)

    def get(self, request, pk, approve_form=None, reject_form=None):
        filings = Filing.objects.filter(unit=self.unit)
        return TemplateResponse(
            request,
            "qcgroups/admin/review.html",
            {
                "page_title": _("Review filing unit"),
                "header_icon": "group",
                "unit": self.unit,
                "approve_form": approve_form or ApproveForm(prefix="approve"),
                "reject_form": reject_form or RejectForm(prefix="reject"),
                "can_review": self.can_review(request.user),
                "decision": self.unit.last_decision,
                "by_year": statistics.by_year(filings),
                "settings": YearlySetting.objects.filter(unit=self.unit),
            },
        )

    def can_review(self, user):
        """The unit awaits review and ``user`` is one of its approvers (the secretariat's administrators)."""
        state = self.unit.current_workflow_state
        return (
            user.has_perm("qcgroups.change_filingunit")
            and state is not None
            and state.status == state.STATUS_IN_PROGRESS
            and state.current_task_state.task.specific.user_can_approve(self.unit, user)
        )

    def post(self, request, pk):
        require_permission(request.user, "change_filingunit")
        if not self.can_review(request.user):
            messages.error(request, _("This unit is not awaiting your review."))
        elif "reject" in request.POST:
            form = RejectForm(request.POST, prefix="reject")
            if not form.is_valid():
                return self.get(request, pk, reject_form=form)
            workflows.decide(self.unit, request.user, "reject", form.cleaned_data["reason"])
            messages.success(request, _("Rejected; the reason has been e-mailed."))
        elif "approve" in request.POST:
            form = ApproveForm(request.POST, prefix="approve")
            if not form.is_valid():
                return self.get(request, pk, approve_form=form)
            workflows.decide(self.unit, request.user, "approve", form.cleaned_data["remarks"])
            messages.success(request, _("Approved; the unit has been e-mailed."))
        return redirect("qc_units:review", pk=self.unit.pk)


def filtered_filings(request):
    """The secretariat's filings narrowed by the GET filters; also the filter values for the template."""
    filings = Filing.objects.select_related("unit")
    year, unit = query_year(request, "year"), query_id(request, "unit")
    filters = {  # strings, as the filter form's options compare them
        "year": "" if year is None else str(year),
        "unit": "" if unit is None else str(unit),
        "kind": query_choice(request, "kind", Filing.Kind.values, default=""),
        "province": query_text(request, "province", max_length=12),
        "q": query_text(request, "q"),
    }
    if year is not None:
        filings = filings.filter(year=year)
    if unit is not None:
        filings = filings.filter(unit_id=unit)
    if filters["kind"]:
        filings = filings.filter(kind=filters["kind"])
    if filters["province"]:
        filings = filings.filter(unit__province_id=filters["province"])
    if filters["q"]:
        filings = filings.filter(enterprise_name__icontains=filters["q"])
    return filings.order_by("-year", "unit__name", "kind", "pk"), filters


def summary(request):
    require_permission(request.user, "view_filing")
    filings, filters = filtered_filings(request)
    page = Paginator(filings, 100).get_page(raw(request, "page"))
    return TemplateResponse(
        request,
        "qcgroups/admin/summary.html",
        {
            "page_title": _("QC filings summary"),
            "header_icon": "table",
            "page": page,
            "filters": filters,
            "query": query_string(request, page=None),
            "totals": statistics.totals(filings),
            "by_year": statistics.by_year(filings),
            "by_unit": statistics.by_unit(filings)[:50],
            "by_enterprise": statistics.by_enterprise(filings)[:50],
            "years": Filing.objects.order_by("-year").values_list("year", flat=True).distinct(),
            "units": FilingUnit.objects.filter(live=True).order_by("name"),
            "kinds": Filing.Kind.choices,
            "provinces": Division.objects.filter(level=Division.Level.PROVINCE),
        },
    )


def summary_xlsx(request):
    require_permission(request.user, "view_filing")
    filings, filters = filtered_filings(request)
    if filters["year"]:
        title = _("Petroleum and chemical industry %(year)s QC group and trusted team filings") % {
            "year": filters["year"]
        }
    else:
        title = _("Petroleum and chemical industry QC group and trusted team filings")
    workbook = summary_workbook(
        title, filings, with_unit=True, totals=statistics.totals_rows(statistics.totals(filings))
    )
    log_export(request, title, "xlsx")
    return workbook.response(title)
