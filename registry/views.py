"""Account views shared by every kind of user."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, LogoutView
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.views.account import AccountView, AvatarSettingsPanel, BaseSettingsPanel, NameEmailSettingsPanel

from .forms import PortalLoginForm, ProfileForm, RequiredPasswordChangeForm
from .params import raw
from .published_media import AvatarForm


@login_required
def password_change_required(request):
    """Where a user holding a one-time password is sent until they choose their own."""
    next_url = request.POST.get("next") or raw(request, "next") or "/admin/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/admin/"
    form = RequiredPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password has been changed."))
        return redirect(next_url)
    return TemplateResponse(request, "registry/password_change_required.html", {"form": form, "next": next_url})


class PortalLoginView(LoginView):
    """Login for enterprise accounts and officers on the public portal."""

    template_name = "registry/portal_login.html"
    authentication_form = PortalLoginForm
    redirect_authenticated_user = True


class PortalLogoutView(LogoutView):
    next_page = "/"


class ProfileSettingsPanel(BaseSettingsPanel):
    name = "profile"
    title = gettext_lazy("Personal details")
    order = 100
    form_class = ProfileForm


class AvatarPanel(AvatarSettingsPanel):
    form_class = AvatarForm


class ProfileAccountView(AccountView):
    """Wagtail's account page with our personal details in place of first/last name, and the profile picture
    checked by content like every upload."""

    replaced_panels = {NameEmailSettingsPanel: ProfileSettingsPanel, AvatarSettingsPanel: AvatarPanel}

    def get_panels(self):
        return [
            self.replaced_panels.get(type(panel), type(panel))(self.request, panel.user, panel.profile)
            if type(panel) in self.replaced_panels
            else panel
            for panel in super().get_panels()
        ]


@login_required
def portal_home(request):
    """Where a portal login lands: the areas this account can use (administrators go to the admin)."""
    user = request.user
    if user.is_administrator or user.is_superuser:
        return redirect("/admin/")
    areas = []
    if user.enterprise_id:
        areas += [
            (_("Product standard self-declaration"), "/enterprise/standards/"),
            (_("Quality benchmark applications"), "/apply/"),
            (_("Chief Quality Officer filing"), "/talent-pool/file/"),
            (_("CQO training and examination"), "/training/"),
            (_("Account"), "/enterprise/account/"),
        ]
    if user.kind == user.Kind.OFFICER and hasattr(user, "officer_record"):
        areas.append((_("CQO training and examination"), "/training/"))
    if hasattr(user, "qc_unit"):
        areas.append((_("QC-group and trusted-team filings"), "/qc/"))
    if user.kind == user.Kind.OFFICER or not areas:
        areas.append((_("Award reviews"), "/apply/reviews/"))
    if len(areas) == 1:
        return redirect(areas[0][1])
    return TemplateResponse(request, "registry/portal_home.html", {"areas": areas})
