"""Any organisation registers to apply for awards (seed 001, issue 22 item 3): name, USCC and a mobile proved by
SMS code; the reviewed organisation filing, not the registration, is what makes it eligible.

The account belongs to the shared enterprise identity (``registry.Enterprise``), a new record placed in the region its
USCC names; an organisation the registry already holds registers through the enterprise registration instead, whose
check (legal representative, or documents confirmed by the bureau) guards the record and what its bureau filed.
"""

import re

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from registry import sms_codes
from registry.models import Enterprise, SMSCode, User, region_from_uscc
from registry.security import client_ip
from registry.validators import validate_mobile, validate_uscc

SESSION_ORGANISATION = "awards_register_organisation"
USERNAME_RE = re.compile(r"[A-Za-z0-9_]{6,20}")


class OrganisationForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Organisation name"), max_length=200)
    uscc = forms.CharField(label=gettext_lazy("Unified social credit code"), max_length=40)

    enterprise = None
    region = None
    in_registry = False

    def clean_uscc(self):
        return validate_uscc(self.cleaned_data["uscc"])

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        self.enterprise = Enterprise.unscoped.filter(uscc=cleaned["uscc"]).first()
        if self.enterprise is not None:
            # Name and code are public: claiming a registry record (and what its bureau filed for it) takes the
            # enterprise registration's check of the legal representative or of documents by the bureau.
            self.in_registry = not self.enterprise.accounts.exists()
            self.add_error(
                "uscc",
                _(
                    "This organisation is in the registry: register its account with the enterprise registration, "
                    "which checks it, then sign in here to apply."
                )
                if self.in_registry
                else _(
                    "This organisation already has an account: sign in with it (or recover its user name), or ask "
                    "its holder to apply."
                ),
            )
            return cleaned
        self.region = region_from_uscc(cleaned["uscc"])
        if self.region is None:
            self.add_error("uscc", _("No bureau covers the region this code was registered in: check the code."))
        return cleaned


class AccountForm(sms_codes.SMSCodeMixin, SetPasswordMixin, forms.Form):
    sms_purpose = SMSCode.Purpose.REGISTER

    username = forms.CharField(
        label=gettext_lazy("User name"),
        max_length=20,
        help_text=gettext_lazy("6-20 letters, digits or underscores; used to log in."),
    )
    real_name = forms.CharField(label=gettext_lazy("Contact name"), max_length=64)
    mobile = forms.CharField(label=gettext_lazy("Mobile"), max_length=20)
    sms_code = forms.CharField(label=gettext_lazy("SMS code"), max_length=6)
    password1, password2 = SetPasswordMixin.create_password_fields()

    def clean_username(self):
        username = self.cleaned_data["username"]
        if not USERNAME_RE.fullmatch(username):
            raise ValidationError(_("The user name must be 6-20 letters, digits or underscores."))
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This user name is taken."))
        return username

    def clean_mobile(self):
        return validate_mobile(self.cleaned_data["mobile"])

    def clean(self):
        cleaned = super().clean()
        self.validate_passwords()
        self.validate_password_for_user(User(username=cleaned.get("username", ""), real_name=cleaned.get("real_name")))
        self.check_sms_code()
        # Only the number's holder, who has just proved it with the code, learns that it is taken.
        if not self.errors and User.objects.filter(mobile=cleaned["mobile"]).exists():
            self.add_error("mobile", _("This mobile number is already registered: sign in with its account."))
        return cleaned


def register(request):
    """Step one: an organisation new to the registry (one the registry holds registers with its check)."""
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        request.session[SESSION_ORGANISATION] = {"name": form.cleaned_data["name"], "uscc": form.cleaned_data["uscc"]}
        return redirect("awards:register_account")
    return TemplateResponse(request, "awards/register.html", {"form": form, "step": 1})


def register_account(request):
    """Step two: the contact's mobile, proved by code; the account is signed in and sent to the filing form."""
    organisation = request.session.get(SESSION_ORGANISATION)
    if organisation is None:
        return redirect("awards:register")
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = OrganisationForm(organisation)  # again: another account may have claimed the record meanwhile
        if not check.is_valid():
            messages.error(request, " ".join(check.errors.get("uscc", check.errors.get("name", []))))
            return redirect("awards:register")
        data = form.cleaned_data
        with transaction.atomic():
            enterprise = Enterprise.objects.create(
                uscc=organisation["uscc"], name=organisation["name"].strip(), region=check.region
            )
            user = User(
                username=data["username"],
                kind=User.Kind.ENTERPRISE,
                enterprise=enterprise,
                real_name=data["real_name"],
                mobile=data["mobile"],
                organisation=enterprise.organisation,
            )
            form.set_password_and_save(user)
        del request.session[SESSION_ORGANISATION]
        login(request, user, backend="registry.backends.MobileOrUsernameBackend")
        messages.success(request, _("Registered. File your organisation's details for review to apply for awards."))
        return redirect("awards:filing_new")
    return TemplateResponse(request, "awards/register.html", {"form": form, "step": 2, "organisation": organisation})


@require_POST
def send_code(request):
    """The registration code, only after step one (the code flow's limits apply: registry.sms_codes)."""
    if not request.session.get(SESSION_ORGANISATION):
        return JsonResponse({"ok": False, "error": _("Fill in the organisation (step 1) first.")}, status=403)
    try:
        mobile = validate_mobile(request.POST.get("mobile", ""))
        sms_codes.issue_code(mobile, SMSCode.Purpose.REGISTER, client_ip(request))
    except ValidationError as error:
        return JsonResponse({"ok": False, "error": " ".join(error.messages)}, status=400)
    except sms_codes.SMSRateLimited as error:
        return JsonResponse({"ok": False, "error": str(error)}, status=429)
    return JsonResponse({"ok": True})
