"""Security headers for every response, and a clear refusal of query strings and parameters a view cannot use."""

from django.contrib.admin.options import IncorrectLookupParameters
from django.core.paginator import InvalidPage
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from registry.params import BadQueryParameter, check_query


def content_security_policy(script_src):
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {script_src}",
            # Styles may still be inline (a few style attributes, the printable standard's <style>): a style
            # cannot run code, and every origin other than this site's stays refused.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "frame-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


#: The public site and the portal: scripts only from this site's files (static/js/portal.js), never inline, so
#: markup an attacker gets onto a page cannot run (tests/cqosite/test_csp.py checks every template).
CONTENT_SECURITY_POLICY = content_security_policy("'self'")
#: Wagtail's admin still writes inline scripts (date pickers, inline panels: wagtailadmin/widgets/*_input.html,
#: panels/inline_panel.html) that it offers no nonce for; only /admin/ allows them.
ADMIN_CONTENT_SECURITY_POLICY = content_security_policy("'self' 'unsafe-inline'")
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    """A Content-Security-Policy that allows no third-party origin at all (assets are served locally), and inline
    scripts only in Wagtail's admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        admin = request.path_info.startswith("/admin/")
        response.headers.setdefault(
            "Content-Security-Policy", ADMIN_CONTENT_SECURITY_POLICY if admin else CONTENT_SECURITY_POLICY
        )
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class NulQueryMiddleware:
    """Answers 400 to a query string holding a NUL character (``%00``).

    PostgreSQL text cannot hold one, so every search given one (``/standards/?q=a%00``) failed with a server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "%00" in request.META.get("QUERY_STRING", ""):
            return HttpResponseBadRequest(
                _("The query string contains a NUL character; remove it and try again."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class QueryParameterMiddleware:
    """Answers 400 with the parser's message (``registry.params``) when a view was given a query parameter it
    cannot use, or any parameter is longer than any view takes: JSON for the APIs, the portal's error page
    for everything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            check_query(request)
        except BadQueryParameter as error:
            return self.process_exception(request, error)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, InvalidPage):  # Wagtail's workflow editor pages its list without bounds
            raise Http404(_("There is no such page of this list.")) from exception
        if isinstance(exception, IncorrectLookupParameters):  # a listing given a filter it does not have
            exception = BadQueryParameter("", _("This list cannot be filtered by these parameters."))
        if not isinstance(exception, BadQueryParameter):
            return None
        if request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
            return JsonResponse({"error": exception.message, "parameter": exception.name}, status=400)
        context = {"message": exception.message, "parameter": exception.name}
        return TemplateResponse(request, "400.html", context, status=400).render()
