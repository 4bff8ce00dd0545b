"""Admin views the snippet viewset lacks: batch import, 撤销审核 (revoke), password reset and the printable form.

They live under the officer snippet URLs (/admin/snippets/registry/chiefqualityofficer/…), so the admin scope
middleware confines them to the user's subtree: a record outside it answers 404.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.log_actions import log

from ..imports import MAX_FILE_BYTES, WORKBOOK_ACCEPT, check_workbook_upload
from ..models import ChiefQualityOfficer, ImportJob, ReviewJob, User
from ..params import raw
from ..reports import PASSWORD_RESET_ACTION, log_export
from ..uploads import UploadValidator
from .importing import MAX_ROWS
from .pdf import registration_form_pdf
from .submission import can_revoke, revoke
from .workbooks import template_workbook

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def url(name, *args):
    return reverse(f"wagtailsnippets_registry_chiefqualityofficer:{name}", args=args)


def require_officer_permission(request, action):
    if not request.user.has_perm(f"registry.{action}_chiefqualityofficer"):
        raise PermissionDenied


class ImportForm(forms.Form):
    workbook = forms.FileField(
        label=_("Workbook (.xlsx or .xls)"),
        widget=forms.FileInput(attrs={"accept": WORKBOOK_ACCEPT}),
        validators=[UploadValidator(["xlsx", "xls"], MAX_FILE_BYTES, label=_("Workbook (.xlsx or .xls)"))],
    )

    def clean_workbook(self):
        upload = self.cleaned_data["workbook"]
        check_workbook_upload(upload, MAX_ROWS)
        return upload


def import_view(request):
    """Upload a filled template; the import runs as a background task and the job page shows its progress."""
    require_officer_permission(request, "add")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        from .tasks import import_officers_task

        upload = form.cleaned_data["workbook"]
        job = ImportJob.objects.create(user=request.user, workbook=upload, original_name=upload.name[:255])
        transaction.on_commit(lambda: import_officers_task.enqueue(job.pk))
        return redirect(url("import_job", job.pk))
    jobs = ImportJob.objects.filter(user=request.user)[:10]
    return TemplateResponse(
        request, "registry/import_officers.html", {"form": form, "jobs": jobs, "template_url": url("import_template")}
    )


def import_template_view(request):
    require_officer_permission(request, "add")
    response = HttpResponse(template_workbook(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="cqo-import-template.xlsx"'
    return response


def import_job_view(request, pk):
    """The job's progress (JSON for the progress bar when ``?format=json``) and, when done, its report.

    Its owner retries an interrupted job by posting here.
    """
    job = get_object_or_404(ImportJob, pk=pk, user=request.user)
    if request.method == "POST":
        from .tasks import retry

        if retry(job):
            messages.success(request, _("The import was queued again."))
        return redirect(url("import_job", job.pk))
    if raw(request, "format") == "json":
        return JsonResponse(
            {
                "status": job.status,
                "percent": job.progress_percent,
                "finished": job.finished_at is not None,
                "processed": job.processed_rows,
                "total": job.total_rows,
            }
        )
    return TemplateResponse(
        request,
        "registry/import_job.html",
        {"job": job, "list_url": url("list"), "import_url": url("import")},
    )


def review_job_view(request, pk):
    """A bulk review's progress (JSON for the progress bar when ``?format=json``) and, when done, its outcome."""
    job = get_object_or_404(ReviewJob, pk=pk, user=request.user)
    if raw(request, "format") == "json":
        return JsonResponse(
            {
                "status": job.status,
                "percent": job.progress_percent,
                "finished": job.finished_at is not None,
                "processed": job.processed,
                "total": job.total,
            }
        )
    return TemplateResponse(request, "registry/review_job.html", {"job": job, "list_url": url("list")})


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    reject = forms.BooleanField(label=_("Reject the record instead of returning it to pending review"), required=False)


def revoke_view(request, pk):
    """撤销审核: an administrator above the record's organisation withdraws its approval (or rejects it)."""
    officer = get_object_or_404(ChiefQualityOfficer, pk=pk)
    if not can_revoke(officer, request.user):
        raise PermissionDenied
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        revoke(officer, request.user, form.cleaned_data["reason"], reject=form.cleaned_data["reject"])
        messages.success(request, _("The review of “%(officer)s” was revoked.") % {"officer": officer})
        return redirect(url("list"))
    return TemplateResponse(request, "registry/officer_revoke.html", {"officer": officer, "form": form})


@require_POST
def reset_password_view(request, pk):
    """Give the officer's portal account a random one-time password, shown once, to be changed at first login."""
    require_officer_permission(request, "change")
    officer = get_object_or_404(ChiefQualityOfficer, pk=pk, erased_at=None)  # an erased person has no account
    with transaction.atomic():
        account = officer.account
        if account is None:
            account = User.objects.filter(mobile=officer.mobile).first() or User(
                username=f"cqo{officer.mobile}", mobile=officer.mobile, kind=User.Kind.OFFICER
            )
            if account.kind != User.Kind.OFFICER:
                messages.error(request, _("The mobile number belongs to another account"))
                return redirect(url("edit", officer.pk))
            account.real_name = officer.real_name
        password = account.issue_one_time_password()
        account.is_active = officer.enabled
        account.save()
        log(officer, PASSWORD_RESET_ACTION, user=request.user)
        if officer.account_id != account.pk:
            ChiefQualityOfficer.unscoped.filter(pk=officer.pk).update(account=account)
    return TemplateResponse(
        request, "registry/officer_password.html", {"officer": officer, "account": account, "password": password}
    )


def registration_form_view(request, pk):
    officer = get_object_or_404(ChiefQualityOfficer.objects.select_related("enterprise"), pk=pk, erased_at=None)
    response = HttpResponse(registration_form_pdf(officer), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="cqo-registration-{officer.pk}.pdf"'
    log_export(request, officer, "pdf")  # the form carries the officer's ID number, phone and address
    return response
