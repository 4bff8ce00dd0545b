"""Account views shared by every kind of user."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, LogoutView
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .forms import PortalLoginForm, RequiredPasswordChangeForm


@login_required
def password_change_required(request):
    """Where a user holding a one-time password is sent until they choose their own."""
    next_url = request.POST.get("next") or request.GET.get("next") or "/admin/"
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
