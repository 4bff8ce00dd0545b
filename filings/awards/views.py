"""The applicant area (/apply/): filings, projects, applications, printing; and the experts' score sheets."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from registry import workflows
from registry.policies import permitted
from registry.portal import enterprise_required

from . import access
from .forms import (
    ApplicationForm,
    ConflictDeclarationForm,
    EconomicYearFormSet,
    FilingForm,
    HonourFormSet,
    IntellectualPropertyFormSet,
    ProjectForm,
    ScoreSheetForm,
    required_filing_years,
)
from .models import (
    Application,
    AwardProgrammePage,
    OrganisationFiling,
    OrganisationFilingApprovalTask,
    Project,
    ReviewerAssignment,
    Score,
)
from .pdf import stored_pdf
from .review import ReviewError
from .review import submit as submit_application


def _mine(request, model, pk, action="change", related=()):
    """The account's own record ``pk`` of ``model``, by the model's scope policy: another enterprise's is a 404."""
    return get_object_or_404(permitted(request.user, model, action).select_related(*related), pk=pk)


@enterprise_required
def dashboard(request):
    user = request.user
    now = timezone.now()
    context = {
        "programmes": AwardProgrammePage.objects.live().filter(opens_at__lte=now, closes_at__gt=now),
        "filings": permitted(user, OrganisationFiling),
        "projects": permitted(user, Project),
        "applications": permitted(user, Application).select_related("programme", "filing", "project"),
    }
    return render(request, "awards/dashboard.html", context)


@enterprise_required
def filing_edit(request, pk=None):
    filing = _mine(request, OrganisationFiling, pk) if pk else OrganisationFiling(enterprise=request.user.enterprise)
    if pk and not filing.editable:
        messages.info(request, _("The filing is under review and cannot be changed now."))
        return redirect("awards:dashboard")
    form = FilingForm(request.POST or None, request.FILES or None, instance=filing)
    years = EconomicYearFormSet(request.POST or None, request.FILES or None, instance=filing, prefix="years")
    required = required_filing_years()
    if request.method == "POST" and form.is_valid() and years.is_valid():
        filing_now = "file" in request.POST
        kept = {f.cleaned_data["year"] for f in years.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")}
        missing = [year for year in required if year not in kept]
        if filing_now and missing:
            listed = "、".join(map(str, missing))
            form.add_error(None, _("Economic data for %(years)s is missing.") % {"years": listed})
        else:
            with transaction.atomic():
                filing = form.save(commit=False)
                filing.live = False  # a changed filing is out of use until the organiser approves it again
                filing.has_unpublished_changes = True
                filing.submitted_at = timezone.now() if filing_now else filing.submitted_at
                filing.save()
                years.instance = filing
                years.save()
                if filing_now:
                    workflows.submit(filing, request.user, OrganisationFilingApprovalTask.workflow())
            if filing_now:
                messages.success(
                    request, _("Filed; awaiting the review of %(organiser)s.") % {"organiser": access.organiser_name()}
                )
                return redirect("awards:dashboard")
            messages.success(request, _("Saved."))
            return redirect("awards:filing_edit", pk=filing.pk)
    return render(
        request, "awards/filing_form.html", {"form": form, "years": years, "filing": filing, "required_years": required}
    )


@enterprise_required
def project_edit(request, pk=None):
    project = _mine(request, Project, pk) if pk else Project(enterprise=request.user.enterprise)
    form = ProjectForm(request.POST or None, request.FILES or None, instance=project)
    ip = IntellectualPropertyFormSet(request.POST or None, request.FILES or None, instance=project, prefix="ip")
    honours = HonourFormSet(request.POST or None, request.FILES or None, instance=project, prefix="honours")
    if request.method == "POST" and form.is_valid() and ip.is_valid() and honours.is_valid():
        with transaction.atomic():
            project = form.save()
            ip.instance = honours.instance = project
            ip.save()
            honours.save()
        messages.success(request, _("Project saved."))
        return redirect("awards:project_edit", pk=project.pk)
    return render(request, "awards/project_form.html", {"form": form, "ip": ip, "honours": honours, "project": project})


@enterprise_required
def application_edit(request, programme_pk=None, pk=None):
    if pk:
        application = _mine(request, Application, pk, related=["programme"])
        programme = application.programme
        if not application.editable:
            return redirect("awards:application_detail", pk=application.pk)
    else:
        programme = get_object_or_404(AwardProgrammePage.objects.live(), pk=programme_pk)
        if not programme.is_open():
            messages.error(request, _("This programme is not open for applications."))
            return redirect("awards:dashboard")
        application = Application(programme=programme, enterprise=request.user.enterprise, created_by=request.user)
    form = ApplicationForm(
        request.POST or None,
        request.FILES or None,
        instance=application,
        programme=programme,
        enterprise=request.user.enterprise,
    )
    if request.method == "POST" and form.is_valid():
        application = form.save()
        if "submit" in request.POST:
            try:
                submit_application(application, request.user)
            except ReviewError as error:
                messages.error(request, str(error))
                return redirect("awards:application_edit", pk=application.pk)
            messages.success(request, _("Application submitted."))
            return redirect("awards:application_detail", pk=application.pk)
        messages.success(request, _("Draft saved."))
        return redirect("awards:application_edit", pk=application.pk)
    return render(
        request,
        "awards/application_form.html",
        {"form": form, "programme": programme, "application": application},
    )


@enterprise_required
def application_detail(request, pk):
    application = _mine(request, Application, pk, "view", related=["programme", "filing", "project", "submission"])
    return render(
        request, "awards/application_detail.html", {"application": application, "dossier": application.dossier}
    )


@login_required
def application_print(request, pk):
    """The application PDF, once past qualification review, for whoever may see the application; served from
    the stored file rendered in the background (rendered now if the application changed since)."""
    application = get_object_or_404(Application.unscoped.select_related("programme"), pk=pk)
    if not access.can_view_application(request.user, application):
        raise Http404
    if not application.printable or not application.submission_id:
        raise PermissionDenied(_("Printing is available after the qualification review."))
    return FileResponse(
        stored_pdf(application).open("rb"),
        as_attachment=True,
        filename=f"application-{application.pk}.pdf",
        content_type="application/pdf",
    )


@login_required
def review_list(request):
    assignments = access.reviewer_assignments(request.user).select_related(
        "application__programme", "application__filing", "application__project"
    )
    return render(request, "awards/review_list.html", {"assignments": assignments})


@login_required
def review_sheet(request, pk):
    """An expert declares conflicts of interest, then scores each criterion; only their own assignments."""
    assignment = get_object_or_404(
        access.reviewer_assignments(request.user).select_related("application__programme", "application__submission"),
        pk=pk,
    )
    application = assignment.application
    criteria = application.programme.criteria.all()
    declaration = ConflictDeclarationForm(
        request.POST if "declare" in request.POST else None, instance=assignment, prefix="coi"
    )
    scores = {score.criterion_id: score.score for score in assignment.scores.all()}
    sheet = ScoreSheetForm(
        request.POST if "score" in request.POST else None,
        criteria=criteria,
        initial_scores=scores,
        initial={"comment": assignment.comment},
    )
    if request.method == "POST":
        if assignment.submitted_at:
            messages.error(request, _("Scores were already submitted."))
        elif "declare" in request.POST and declaration.is_valid():
            declaration.save()
            messages.success(request, _("Declaration saved."))
            return redirect("awards:review_sheet", pk=pk)
        elif "score" in request.POST:
            if assignment.conflict != ReviewerAssignment.Conflict.NONE:
                messages.error(request, _("Declare no conflict of interest first."))
            elif sheet.is_valid():
                with transaction.atomic():
                    for criterion, value in sheet.scores().items():
                        Score.objects.update_or_create(
                            assignment=assignment, criterion=criterion, defaults={"score": value}
                        )
                    assignment.comment = sheet.cleaned_data["comment"]
                    assignment.submitted_at = timezone.now()
                    assignment.save()
                messages.success(request, _("Scores submitted."))
                return redirect("awards:review_list")
    return render(
        request,
        "awards/review_sheet.html",
        {
            "assignment": assignment,
            "application": application,
            "dossier": application.dossier,
            "declaration": declaration,
            "sheet": sheet,
        },
    )


@require_POST
@enterprise_required
def application_delete(request, pk):
    application = _mine(request, Application, pk, "delete")
    if application.state != Application.State.DRAFT:
        raise PermissionDenied(_("Only drafts can be deleted."))
    application.delete()
    messages.success(request, _("Draft deleted."))
    return redirect("awards:dashboard")
