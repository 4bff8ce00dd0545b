"""Two-factor sign-in for administrators (等级保护 2.0) with django-otp: an authenticator app's time-based codes
(TOTP) and one-time recovery codes.

Platform, national and provincial administrators must enrol (``TWO_FACTOR_REQUIRED``; the test settings turn it
off so that other tests need no authenticator); any other administrator may, and once enrolled is always asked
for a code. After the password (and captcha) an administrator who has a device is sent to the
code page before any other admin page; one who must enrol and has not is sent to enrolment. Each wrong code
counts as a failed login for django-axes, so the lockout that guards passwords guards the second factor too,
and the device's own throttle slows guessing further. A platform administrator can reset a colleague's device.
"""

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import devices_for_user, user_has_device, verify_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log

from .models import Administrator, Role, User
from .params import raw

#: Roles that may not use the admin without a second factor.
REQUIRED_ROLES = {Role.PLATFORM, Role.NATIONAL, Role.PROVINCIAL}
RECOVERY_CODES = 10
ENROL_ACTION = "registry.two_factor.enrol"
RESET_ACTION = "registry.two_factor.reset"


def must_enrol(user):
    if not settings.TWO_FACTOR_REQUIRED:
        return False
    return user.is_superuser or (user.is_administrator and user.role in REQUIRED_ROLES)


def needs_second_factor(user):
    """Whether ``user`` may not use the admin yet in this session: a device to verify, or one to enrol."""
    if not user.is_authenticated or user.is_verified():
        return False
    return user_has_device(user) or must_enrol(user)


class TwoFactorMiddleware:
    """Before any other admin page: the code page for enrolled administrators, enrolment for those who must."""

    allowed_url_names = (
        "registry_two_factor_verify",
        "registry_two_factor_setup",
        "wagtailadmin_logout",
        # What the sign-in pages themselves load: the icon sprite and the translations for scripts.
        "wagtailadmin_sprite",
        "wagtailadmin_javascript_catalog",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/") and needs_second_factor(request.user):
            allowed = {reverse(name) for name in self.allowed_url_names}
            if request.path not in allowed and not request.path.startswith("/admin/login/"):
                if request.method != "GET" or "text/html" not in request.headers.get("Accept", ""):
                    return HttpResponseForbidden(_("Two-factor sign-in required"))
                name = "registry_two_factor_verify" if user_has_device(request.user) else "registry_two_factor_setup"
                return redirect(f"{reverse(name)}?next={request.path}")
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        help_text=gettext_lazy("The six digits your authenticator app shows now, or one of your recovery codes."),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split())


def next_url(request):
    wanted = raw(request.POST, "next") or raw(request, "next")
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return wanted
    return reverse("wagtailadmin_home")


def matching_device(user, code):
    """The device that accepts ``code``: six digits go to the authenticator, anything else to the recovery codes."""
    kind = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    for device in devices_for_user(user):
        if isinstance(device, kind):
            return verify_token(user, device.persistent_id, code)
    return None


def wrong_code(request, form):
    """A wrong code is a failed login for django-axes; a locked-out account is signed out at once."""
    user = request.user
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
    if getattr(request, "axes_locked_out", False):
        logout(request)
        messages.error(request, _("Too many wrong codes: this account is locked for a while. Sign in again later."))
        return redirect("wagtailadmin_login")
    form.add_error("code", _("This code is not valid. Check the time on your phone and try the newest code."))
    return None


def verify_view(request):
    user = request.user
    if not user.is_authenticated:
        return redirect("wagtailadmin_login")
    if not user_has_device(user):
        return redirect(f"{reverse('registry_two_factor_setup')}?next={next_url(request)}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = matching_device(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(request, _("Recovery code used: %(left)d left.") % {"left": left})
            return redirect(next_url(request))
        if response := wrong_code(request, form):
            return response
    return TemplateResponse(
        request, "registry/two_factor_verify.html", {"form": form, "next": next_url(request), "user": user}
    )


def qr_svg(text):
    # segno writes the SVG; its only content is the device's own configuration URL.
    return mark_safe(segno.make(text, error="m").svg_inline(scale=4, title=_("QR code")))


def setup_view(request):
    """Enrol an authenticator app: scan, confirm with a code, then see the recovery codes once."""
    user = request.user
    if not user.is_authenticated:
        return redirect("wagtailadmin_login")
    if user_has_device(user) and not user.is_verified():
        return redirect(f"{reverse('registry_two_factor_verify')}?next={next_url(request)}")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            codes = confirm(user, device)
            otp_login(request, device)
            return TemplateResponse(
                request, "registry/two_factor_codes.html", {"codes": codes, "next": next_url(request)}
            )
        form.add_error("code", _("This code is not valid. Check the time on your phone and try the newest code."))
    secret = device.config_url.split("secret=", 1)[1].split("&", 1)[0]
    context = {
        "form": form,
        "qr": qr_svg(device.config_url),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "required": must_enrol(user),
        "next": next_url(request),
    }
    return TemplateResponse(request, "registry/two_factor_setup.html", context)


def confirm(user, device):
    """Confirm ``device`` as the user's only authenticator and issue fresh recovery codes (returned to show once)."""
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save()
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name=_("Recovery codes"), confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    log(as_administrator(user), ENROL_ACTION, user=user)
    return codes


def as_administrator(user):
    """The audit log files entries about accounts under the administrator model the admin registers."""
    return Administrator.objects.filter(pk=user.pk).first() or user


def reset_view(request, pk):
    """A platform administrator removes a colleague's devices (a lost phone); the colleague enrols again."""
    actor = request.user
    target = get_object_or_404(User, pk=pk, kind=User.Kind.ADMINISTRATOR)
    if not (actor.is_superuser or (actor.is_administrator and actor.role == Role.PLATFORM)) or not actor.can_manage(
        target
    ):
        raise PermissionDenied
    if request.method == "POST":
        for device in devices_for_user(target, confirmed=None):
            device.delete()
        log(as_administrator(target), RESET_ACTION, user=actor)
        messages.success(request, _("Two-factor sign-in of %(name)s was reset.") % {"name": target})
        return redirect("wagtailadmin_home")
    return TemplateResponse(request, "registry/two_factor_reset.html", {"target": target})


def admin_urls():
    return [
        path("two-factor/verify/", verify_view, name="registry_two_factor_verify"),
        path("two-factor/setup/", setup_view, name="registry_two_factor_setup"),
        path("two-factor/reset/<int:pk>/", reset_view, name="registry_two_factor_reset"),
    ]
