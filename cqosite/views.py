"""Project-wide views."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def switch_language(request, code):
    """Remember the visitor's language in a cookie (a plain link, so pages need no CSRF form and stay cacheable)."""
    if code not in dict(settings.LANGUAGES):
        raise Http404
    target = request.META.get("HTTP_REFERER") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = redirect(target)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, max_age=365 * 24 * 3600, samesite="Lax")
    return response
