"""Request-level guards: the admin scope, forced password change and organisation functions nobody holds."""

from django.contrib import messages
from django.http import HttpResponseForbidden
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from .models.organisations import FunctionMissing
from .policies import ScopePolicy
from .scoping import scope


class AdminScopeMiddleware:
    """Confine every admin request's registry queries to the subtree the scope policy gives the user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/") and request.user.is_authenticated:
            with scope(ScopePolicy.scope_for(request.user), unit=getattr(request.user, "organisation", None)):
                return self.get_response(request)
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """Send users holding a one-time password to the change-password page before anything else."""

    allowed_url_names = (
        "registry_password_change_required",
        "wagtailadmin_logout",
        "portal_logout",
        # What the change-password page itself loads: the icon sprite and the translations for scripts.
        "wagtailadmin_sprite",
        "wagtailadmin_javascript_catalog",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.must_change_password:
            allowed = {reverse(name) for name in self.allowed_url_names}
            if request.path not in allowed and not request.path.startswith(("/static/", "/media/")):
                if request.method != "GET" or "text/html" not in request.headers.get("Accept", ""):
                    # Background fetches (icons, autosave, API) are refused rather than redirected, so
                    # they never become the page the user returns to after choosing a password.
                    return HttpResponseForbidden(_("Password change required"))
                return redirect(f"{reverse('registry_password_change_required')}?next={request.path}")
        return self.get_response(request)


class FunctionMissingMiddleware:
    """A flow that needs an organisation function nobody holds says so instead of failing with a server error:
    administrators get the message on the dashboard, visitors a page asking them to come back later."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, FunctionMissing):
            return None
        home = reverse("wagtailadmin_home")
        if request.path.startswith("/admin/") and request.path != home:
            messages.error(request, str(exception))
            return redirect(home)
        return TemplateResponse(request, "registry/function_missing.html", {"message": exception}, status=503)
