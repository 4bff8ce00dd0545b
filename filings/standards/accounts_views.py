"""Enterprise accounts: registration, password and user-name recovery, account page, SMS codes."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from registry import sms_codes
from registry.crypto import mask_mobile
from registry.models import Enterprise, Organisation, SMSCode, User
from registry.params import query_flag, query_id
from registry.portal import enterprise_required
from registry.security import client_ip, take
from registry.validators import validate_mobile

from . import forms, kept_uploads
from .models import EnterpriseProfile, EnterpriseVerification

SESSION_REGISTER = "standards_register_enterprise"
#: The step-one details of an enterprise whose registry record lacks some: proved by documents in step two.
SESSION_CLAIM = "standards_register_claim"
SESSION_RESET = "standards_reset_account"
SESSION_MOBILE_OLD_OK = "standards_mobile_old_verified"


#: Each check of an enterprise's details (registration and forgotten-password step one) tells whether they match
#: the registry, so checks are counted per enterprise code and per address: (scope, window in seconds, allowed).
DETAIL_CHECK_LIMITS = [("ip", 3600, 30), ("code", 3600, 10)]


def details_form(request, form_class):
    """``form_class`` bound to the POST, or, past a limit of detail checks, unbound with a message (never checked)."""
    if request.method != "POST":
        return form_class()
    code = "".join(request.POST.get("code", "").split()).upper()[:40]
    for scope, window, allowed in DETAIL_CHECK_LIMITS:
        subject = client_ip(request) if scope == "ip" else code
        if not take(f"standards:details:{scope}:{subject}", allowed, window):
            messages.error(request, _("Too many attempts. Please try again in an hour."))
            return form_class(initial=request.POST.dict())
    return form_class(request.POST)


def register(request):
    """Step one: the enterprise details must match the registry record, in every detail the registry holds."""
    form = details_form(request, forms.EnterpriseDetailsForm)
    if form.is_bound and form.is_valid():
        request.session[SESSION_REGISTER] = form.enterprise.pk
        if form.unrecorded:
            request.session[SESSION_CLAIM] = form.claim()
        else:
            request.session.pop(SESSION_CLAIM, None)
        return redirect("standards:register_account")
    return TemplateResponse(request, "standards/register.html", {"form": form})


def register_account(request):
    """Step two: the account itself; the supervising bureau defaults to the enterprise's. Where the registry lacked
    a detail of step one, the account also carries the documents and waits for the bureau's check."""
    enterprise = Enterprise.unscoped.filter(pk=request.session.get(SESSION_REGISTER)).first()
    if enterprise is None:
        return redirect("standards:register")
    claim = request.session.get(SESSION_CLAIM)
    form_class = forms.DocumentedRegistrationForm if claim else forms.RegistrationAccountForm
    posted = request.method == "POST"
    files = kept_uploads.restore(request.POST, request.FILES, request.session.session_key) if posted else None
    form = form_class(request.POST if posted else None, files, initial={"bureau": enterprise.organisation_id})
    if posted and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            user = User(
                username=data["username"],
                kind=User.Kind.ENTERPRISE,
                enterprise=enterprise,
                real_name=data["real_name"],
                id_number=data["id_number"],
                mobile=data["mobile"],
                organisation=data["bureau"],
                is_active=not claim,
            )
            user.set_password(data["password1"])
            user.save()
            EnterpriseProfile.for_user(user)
            if claim:
                verification = EnterpriseVerification(
                    enterprise=enterprise,
                    organisation=enterprise.organisation,
                    account=user,
                    username=user.username,
                    mobile=user.mobile,
                    business_licence=data["business_licence"],
                    representative_document=data["representative_document"],
                    **claim,
                )
                verification.save()
        del request.session[SESSION_REGISTER]
        if claim:
            kept_uploads.discard(files)
            del request.session[SESSION_CLAIM]
            verification.tell_bureau()
            return TemplateResponse(request, "standards/register_pending.html", {"verification": verification})
        messages.success(request, _("Registered; please log in"))
        return redirect(f"{reverse('portal_login')}?next={reverse('standards:own_list')}")
    if claim and posted:
        kept_uploads.keep_uploads([form], request.session.session_key)
    return TemplateResponse(
        request,
        "standards/register_account.html",
        {
            "form": form,
            "enterprise": enterprise,
            "bureau_chain": bureau_chain(form["bureau"].value()),
            "documents_needed": bool(claim),
        },
    )


def bureau_chain(bureau_id):
    """[(level options, selected id)] for the province → city → county selects."""
    bureau = Organisation.objects.filter(pk=bureau_id).first() if bureau_id else None
    ancestors = list(bureau.get_ancestors()) + [bureau] if bureau else []
    selected = [o for o in ancestors if o.division_id]
    provinces = forms.bureau_queryset().filter(depth=3)
    levels = [(list(provinces), selected[0].pk if selected else None)]
    for index, chosen in enumerate(selected[:2]):
        children = list(chosen.get_children().filter(kind=Organisation.Kind.BUREAU, division__isnull=False))
        if children:
            levels.append((children, selected[index + 1].pk if len(selected) > index + 1 else None))
    return levels


@require_GET
def bureaus(request):
    """Child bureaus of ``?parent=`` (JSON) for the dependent selects."""
    parent = Organisation.objects.filter(pk=query_id(request, "parent") or 0).first()
    children = parent.get_children().filter(kind=Organisation.Kind.BUREAU, division__isnull=False) if parent else []
    return JsonResponse({"results": [{"id": o.pk, "name": o.name} for o in children]})


@require_POST
def send_code(request):
    """Send an SMS code; the number comes from the form only where the user proves it by the code."""
    purpose = request.POST.get("purpose")
    mobile = None
    if purpose in (SMSCode.Purpose.REGISTER, SMSCode.Purpose.RECOVER_USERNAME, SMSCode.Purpose.CHANGE_MOBILE_NEW):
        try:
            mobile = validate_mobile(request.POST.get("mobile", ""))
        except Exception as error:  # noqa: BLE001 - ValidationError; report its message
            return JsonResponse({"ok": False, "error": " ".join(getattr(error, "messages", [str(error)]))}, status=400)
        if purpose == SMSCode.Purpose.CHANGE_MOBILE_NEW and not request.session.get(SESSION_MOBILE_OLD_OK):
            return JsonResponse({"ok": False, "error": _("Verify the current mobile first")}, status=403)
        if purpose == SMSCode.Purpose.REGISTER and not request.session.get(SESSION_REGISTER):
            return JsonResponse(
                {"ok": False, "error": _("Fill in and check the enterprise details (step 1) first.")}, status=403
            )
        if purpose == SMSCode.Purpose.RECOVER_USERNAME:
            # One answer, limits included, whether or not an account has the number; only an account's is texted.
            try:
                sms_codes.issue_code(
                    mobile, purpose, client_ip(request), deliver=User.objects.filter(mobile=mobile).exists()
                )
            except sms_codes.SMSRateLimited as error:
                return JsonResponse({"ok": False, "error": str(error)}, status=429)
            return JsonResponse(
                {"ok": True, "message": _("If an account has this number, a code has been sent to it.")}
            )
    elif purpose == SMSCode.Purpose.RESET_PASSWORD:
        account = User.objects.filter(pk=request.session.get(SESSION_RESET)).first()
        mobile = account.mobile if account else None
    elif purpose == SMSCode.Purpose.CHANGE_MOBILE_OLD and request.user.is_authenticated:
        mobile = request.user.mobile
    if not mobile:
        return JsonResponse({"ok": False, "error": _("Cannot send a code")}, status=400)
    try:
        sms_codes.issue_code(mobile, purpose, client_ip(request))
    except sms_codes.SMSRateLimited as error:
        return JsonResponse({"ok": False, "error": str(error)}, status=429)
    return JsonResponse({"ok": True, "masked": mask_mobile(mobile)})


def forgot_password(request):
    """Enterprise details + user name, then the code sent to the registered mobile and a new password."""
    account = User.objects.filter(pk=request.session.get(SESSION_RESET), kind=User.Kind.ENTERPRISE).first()
    if account is None or query_flag(request, "restart"):
        request.session.pop(SESSION_RESET, None)
        form = details_form(request, forms.ForgotPasswordDetailsForm)
        if form.is_bound and form.is_valid():
            request.session[SESSION_RESET] = form.account.pk
            return redirect("standards:forgot_password")
        return TemplateResponse(request, "standards/forgot_password.html", {"form": form, "step": 1})
    form = forms.NewPasswordForm(account, request.POST or None)
    if request.method == "POST" and form.is_valid():
        account.set_password(form.cleaned_data["password1"])
        account.must_change_password = False
        account.save()
        del request.session[SESSION_RESET]
        messages.success(request, _("Your password has been reset; please log in"))
        return redirect(f"{reverse('portal_login')}?next={reverse('standards:own_list')}")
    masked = mask_mobile(account.mobile)
    return TemplateResponse(request, "standards/forgot_password.html", {"form": form, "step": 2, "masked": masked})


def forgot_username(request):
    form = forms.ForgotUsernameForm(request.POST or None)
    username = None
    if request.method == "POST" and form.is_valid():
        username = form.account.username
    return TemplateResponse(request, "standards/forgot_username.html", {"form": form, "username": username})


@enterprise_required
def account(request):
    """Enterprise details (pulled on "update"), contact, password and mobile (seed 002 §6)."""
    user = request.user
    profile = EnterpriseProfile.for_user(user)
    action = request.POST.get("action") if request.method == "POST" else None
    contact_form = forms.ContactForm(request.POST if action == "contact" else None, instance=user)
    password_form = PasswordChangeForm(user, request.POST if action == "password" else None)
    old_mobile_form = forms.OldMobileForm(user, request.POST if action == "mobile_old" else None)
    new_mobile_form = forms.NewMobileForm(request.POST if action == "mobile_new" else None)
    if action == "update":
        profile.pull_from_registry()
        messages.success(request, _("Enterprise details updated from the registry"))
        return redirect("standards:account")
    if action == "contact" and contact_form.is_valid():
        contact_form.save()
        messages.success(request, _("Saved"))
        return redirect("standards:account")
    if action == "password" and password_form.is_valid():
        password_form.save()
        update_session_auth_hash(request, user)
        messages.success(request, _("Password changed"))
        return redirect("standards:account")
    if action == "mobile_old" and old_mobile_form.is_valid():
        request.session[SESSION_MOBILE_OLD_OK] = True
        return redirect("standards:account")
    if action == "mobile_new" and request.session.get(SESSION_MOBILE_OLD_OK) and new_mobile_form.is_valid():
        user.mobile = new_mobile_form.cleaned_data["mobile"]
        user.save(update_fields=["mobile"])
        del request.session[SESSION_MOBILE_OLD_OK]
        messages.success(request, _("Mobile changed"))
        return redirect("standards:account")
    context = {
        "profile": profile,
        "contact_form": contact_form,
        "password_form": password_form,
        "old_mobile_form": old_mobile_form,
        "new_mobile_form": new_mobile_form,
        "mobile_old_verified": bool(request.session.get(SESSION_MOBILE_OLD_OK)),
        "masked_mobile": mask_mobile(user.mobile),
    }
    return TemplateResponse(request, "standards/account.html", context)
