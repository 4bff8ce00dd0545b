"""A data subject's rights over an officer record (PIPL arts. 45 and 47): a copy of what the registry holds about
the person, and erasure that keeps the statistics.

Erasure blanks every personal field, the stamped form and the officer's portal account, rewrites the record's
revisions and history labels (Wagtail keeps a full copy of the record in each revision) and takes the record off
the talent pool; the record itself stays live and enabled, so every statistic stays as it was.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, Revision

from ..exports import ExportWorkbook, dated_filename, labelled
from ..models import ChiefQualityOfficer, Role
from ..models.users import ROLE_RANK
from ..roles import sees_contact_details
from . import admin_views

SUBJECT_EXPORT_ACTION = "registry.subject_export"
ERASE_ACTION = "registry.erase"
REVEAL_ACTION = "registry.reveal"

#: What the listing, inspect page and exports show masked, and a reveal shows whole (registry.crypto.masked).
REVEALED_FIELDS = ("id_number", "mobile")

#: The fields that say who the person is or how to reach them; what erasure blanks.
PERSONAL_FIELDS = (
    "real_name",
    "mobile",
    "id_number",
    "birth_date",
    "major",
    "graduate_school",
    "title",
    "concurrent_posts",
    "address",
    "postcode",
    "email",
    "training_certificate_number",
    "work_history",
    "remarks",
)
#: What the data subject receives besides the personal fields: the record as the registry uses it.
RECORD_FIELDS = (
    "id_document_type",
    "gender",
    "education",
    "enterprise",
    "organisation",
    "position",
    "category",
    "appointment_date",
    "training_certificate_issuer",
    "review_status",
    "enabled",
    "created_at",
    "updated_at",
)


def may_erase(user, officer):
    """Erasure belongs to provincial administrators and above whose subtree holds the record."""
    if user.is_superuser:
        return True
    organisation = user.organisation
    return (
        user.is_administrator
        and organisation is not None
        and ROLE_RANK.get(user.role, 0) >= ROLE_RANK[Role.PROVINCIAL]
        and officer.organisation.path.startswith(organisation.path)
    )


def may_reveal(user, officer):
    """Whole ID numbers and mobiles: administrators whose role contacts officers (registry.roles.CONTACT_ROLES),
    for a record their subtree holds (the admin's scoped manager found it) that is not erased."""
    return officer.erased_at is None and sees_contact_details(user)


def subject_workbook(officer):
    """The person's data and the record of its processing (every history entry), as one workbook."""
    workbook = ExportWorkbook()
    sheet = workbook.sheet(_("Personal data"), [_("Field"), _("Value")], widths=(24, 60))
    for name in PERSONAL_FIELDS + RECORD_FIELDS:
        sheet.append([ChiefQualityOfficer._meta.get_field(name).verbose_name, labelled(officer, name)])
    history = workbook.sheet(_("Processing record"), [_("Time"), _("Action"), _("By")], widths=(20, 40, 20))
    entries = ModelLogEntry.objects.for_instance(officer).select_related("user").order_by("timestamp", "pk")
    for entry in entries:
        history.append([entry.timestamp, entry.message, entry.user_display_name])
    return workbook


def subject_export_view(request, pk):
    """Any administrator who may see the record hands the person a copy (audited)."""
    admin_views.require_officer_permission(request, "view")
    officer = get_object_or_404(ChiefQualityOfficer.objects.select_related("enterprise", "organisation"), pk=pk)
    if officer.erased_at is not None:
        raise PermissionDenied
    log(officer, SUBJECT_EXPORT_ACTION, user=request.user)
    return subject_workbook(officer).response(dated_filename(f"personal-data-{officer.pk}"))


class EraseForm(forms.Form):
    REASONS = [
        ("request", _("The person asked for erasure")),
        ("purpose", _("The purpose of processing has ended")),
        ("consent", _("The person withdrew consent")),
        ("unlawful", _("The data was processed against the law or an agreement")),
    ]
    reason = forms.ChoiceField(label=_("Reason"), choices=REASONS, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )


@transaction.atomic
def erase(officer, user, reason, comment=""):
    """Blank the person's data everywhere the registry keeps it, keep the record for the statistics."""
    officer = ChiefQualityOfficer.unscoped.select_for_update().get(pk=officer.pk)
    for name in PERSONAL_FIELDS:
        field = ChiefQualityOfficer._meta.get_field(name)
        setattr(officer, name, None if field.null else "")
    officer.real_name = pgettext("stored name of an erased officer", "Erased")
    if officer.registration_form:
        officer.registration_form.delete(save=False)
    account = officer.account
    officer.account = None
    officer.erased_at = timezone.now()
    officer.save()
    if account is not None and account.kind == account.Kind.OFFICER:
        account.is_active = False
        account.real_name, account.mobile, account.id_number, account.email = "", None, None, ""
        account.username = f"erased-{account.pk}"
        account.save()
    Revision.objects.for_instance(officer).update(content=officer.serializable_data(), object_str=str(officer)[:255])
    ModelLogEntry.objects.for_instance(officer).update(label=str(officer))
    log(officer, ERASE_ACTION, user=user, data={"reason": reason, "comment": comment})
    return officer


def erase_view(request, pk):
    officer = get_object_or_404(ChiefQualityOfficer.objects.select_related("organisation"), pk=pk)
    if officer.erased_at is not None or not may_erase(request.user, officer):
        raise PermissionDenied
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        erase(officer, request.user, form.cleaned_data["reason"], form.cleaned_data["comment"])
        messages.success(request, _("The personal data of record %(number)s was erased.") % {"number": officer.pk})
        return redirect(admin_views.url("list"))
    return TemplateResponse(request, "registry/officer_erase.html", {"officer": officer, "form": form})


class RevealForm(forms.Form):
    REASONS = [
        ("review", _("Reviewing the record")),
        ("contact", _("Contacting the officer")),
        ("correction", _("Correcting the record with the person")),
        ("request", _("The person's own request")),
    ]
    reason = forms.ChoiceField(label=_("Why the whole values are needed"), choices=REASONS, widget=forms.RadioSelect)


def reveal_view(request, pk):
    """The record's whole ID number and mobile, after a reason chosen from a list; each reveal is an audit entry
    (who, whose, when, why) in the record's history and the site-history report."""
    admin_views.require_officer_permission(request, "view")
    officer = get_object_or_404(ChiefQualityOfficer.objects.select_related("enterprise"), pk=pk)
    if not may_reveal(request.user, officer):
        raise PermissionDenied
    form = RevealForm(request.POST or None)
    revealed = []
    if request.method == "POST" and form.is_valid():
        log(officer, REVEAL_ACTION, user=request.user, data={"reason": form.cleaned_data["reason"]})
        revealed = [
            (ChiefQualityOfficer._meta.get_field(name).verbose_name, getattr(officer, name) or "-")
            for name in REVEALED_FIELDS
        ]
    response = TemplateResponse(
        request, "registry/officer_reveal.html", {"officer": officer, "form": form, "revealed": revealed}
    )
    add_never_cache_headers(response)
    return response
