"""Admin pages beyond the generic views: the question bank's workbook import/export, revoking a certificate,
and the certificate PDF."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from registry.exports import dated_filename
from registry.imports import WORKBOOK_ACCEPT, WorkbookError, check_workbook_upload
from registry.models import Organisation
from registry.params import query_id
from registry.policies import ScopePolicy, permitted
from registry.reports import IMPORT_ACTION, log_export
from registry.uploads import MB, UploadValidator

from . import services
from .enrolments import EnrolmentImport
from .enrolments import template_workbook as enrolment_template
from .models import Certificate, Question, Training
from .pdf import certificate_response
from .questions import QuestionImport, template_workbook


def bureaus(user):
    """The bureaus in the user's subtree that keep a question bank (provincial and city bureaus)."""
    prefix = ScopePolicy.scope_for(user)
    units = Organisation.objects.select_related("division").filter(division__level__in=("province", "city"))
    if prefix is not None:
        units = units.filter(path__startswith=prefix)
    return units.order_by("path")


class QuestionImportForm(forms.Form):
    bureau = forms.ModelChoiceField(label=gettext_lazy("Question bank of"), queryset=Organisation.objects.none())
    file = forms.FileField(
        label=gettext_lazy("Workbook (.xlsx or .xls)"),
        widget=forms.FileInput(attrs={"accept": WORKBOOK_ACCEPT}),
        validators=[UploadValidator(["xlsx", "xls"], 10 * MB, label=gettext_lazy("Workbook (.xlsx or .xls)"))],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bureau"].queryset = bureaus(user)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_workbook_upload(upload, QuestionImport.max_rows)
        return upload


def require(request, permission):
    if not request.user.has_perm(f"training.{permission}"):
        raise PermissionDenied


def import_view(request):
    require(request, "add_question")
    form = QuestionImportForm(request.POST or None, request.FILES or None, user=request.user)
    errors = []
    if request.method == "POST" and form.is_valid():
        bureau = form.cleaned_data["bureau"]
        importer = QuestionImport(bureau)
        upload = form.cleaned_data["file"]
        try:
            added, skipped = importer.run(upload.read())
        except WorkbookError as error:
            form.add_error("file", str(error))
        else:
            errors = importer.errors
            if not errors:
                log(bureau, IMPORT_ACTION, user=request.user, data={"file": upload.name, "created": added})
                messages.success(
                    request,
                    _("%(added)d questions added, %(skipped)d already in the bank.")
                    % {"added": added, "skipped": skipped},
                )
                return redirect("training_questions:index")
    return import_page(
        request,
        form,
        errors,
        _("Import questions"),
        _(
            "Fill in the template: one question a row. New questions are added to the chosen bureau's bank; a "
            "question whose text is already there is skipped. Nothing is added while any row has an error."
        ),
        "training_questions:template",
    )


def import_page(request, form, errors, title, intro, template_url_name):
    context = {
        "form": form,
        "errors": errors,
        "title": title,
        "intro": intro,
        "template_url": reverse(template_url_name),
    }
    return TemplateResponse(request, "training/admin/workbook_import.html", context)


class EnrolmentImportForm(forms.Form):
    training = forms.ModelChoiceField(label=gettext_lazy("Training"), queryset=Training.objects.none())
    file = QuestionImportForm.base_fields["file"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["training"].queryset = permitted(user, Training).order_by("-starts_on")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_workbook_upload(upload, EnrolmentImport.max_rows)
        return upload


def enrolment_import_view(request):
    require(request, "add_enrolment")
    form = EnrolmentImportForm(request.POST or None, request.FILES or None, user=request.user)
    errors = []
    if request.method == "POST" and form.is_valid():
        training, upload = form.cleaned_data["training"], form.cleaned_data["file"]
        importer = EnrolmentImport(training, request.user)
        try:
            added = importer.run(upload.read())
        except WorkbookError as error:
            form.add_error("file", str(error))
        else:
            errors = importer.errors
            if not errors:
                log(training, IMPORT_ACTION, user=request.user, data={"file": upload.name, "created": added})
                messages.success(request, _("%(count)d officers enrolled.") % {"count": added})
                return redirect("training_enrolments:index")
    return import_page(
        request,
        form,
        errors,
        _("Enrol from a workbook"),
        _(
            "Fill in the template: one officer a row, by the enterprise's credit code and the officer's name. "
            "Nothing is enrolled while any row has an error."
        ),
        "training_enrolments:template",
    )


def enrolment_template_view(request):
    require(request, "add_enrolment")
    return enrolment_template().response("enrolment-template")


def template_view(request):
    require(request, "view_question")
    return template_workbook().response("question-bank-template")


def export_view(request):
    """The bank (of one bureau when ``?bureau=`` names it) in the import template's layout."""
    questions = permitted(request.user, Question).order_by("organisation_id", "kind", "topic", "pk")
    bureau = query_id(request, "bureau")
    if bureau is not None:
        questions = questions.filter(organisation_id=bureau)
    log_export(request, _("Question bank"), "xlsx")
    return template_workbook(questions.iterator()).response(dated_filename("question-bank"))


class RevokeForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


def revoke_view(request, pk):
    require(request, "change_certificate")
    certificate = get_object_or_404(permitted(request.user, Certificate), pk=pk)
    form = RevokeForm(request.POST or None)
    if certificate.revoked_at is None and request.method == "POST" and form.is_valid():
        services.revoke(certificate, form.cleaned_data["reason"])
        log(certificate, "training.revoke", user=request.user, data={"reason": form.cleaned_data["reason"]})
        messages.success(request, _("Certificate %(number)s was revoked.") % {"number": certificate.number})
        return redirect(reverse("training_certificates:index"))
    return TemplateResponse(
        request, "training/admin/certificate_revoke.html", {"certificate": certificate, "form": form}
    )


def certificate_pdf_view(request, pk):
    return certificate_response(request, get_object_or_404(permitted(request.user, Certificate), pk=pk))
