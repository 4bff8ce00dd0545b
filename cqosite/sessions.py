"""Session time-outs (等级保护 2.0): administrators signed out after 30 minutes idle and 12 hours in all, portal
accounts after 2 hours idle; the limits are settings.

The last activity is written into the session at most once per ``SESSION_ACTIVITY_RESOLUTION_SECONDS``, so an
active user's requests do not each write the session store. A signed-out request carries on anonymously: the
view it asked for sends it to the right login page, with a message saying why.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.utils.translation import gettext as _

STARTED_KEY = "session_started_at"
ACTIVITY_KEY = "session_active_at"


def limits_for(user):
    """(idle seconds, total seconds or None) for ``user``'s sessions."""
    if user.is_superuser or getattr(user, "is_administrator", False):
        return settings.ADMIN_SESSION_IDLE_SECONDS, settings.ADMIN_SESSION_MAX_SECONDS
    return settings.PORTAL_SESSION_IDLE_SECONDS, None


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self.check(request, user)
        return self.get_response(request)

    @staticmethod
    def check(request, user):
        session = request.session
        now = int(time.time())
        idle, total = limits_for(user)
        started = session.setdefault(STARTED_KEY, now)
        active = session.get(ACTIVITY_KEY, now)
        if now - active > idle:
            reason = _("You were signed out after %(minutes)d minutes without activity.") % {"minutes": idle // 60}
        elif total is not None and now - started > total:
            reason = _("You were signed out after %(hours)d hours; please sign in again.") % {"hours": total // 3600}
        else:
            if now - active >= settings.SESSION_ACTIVITY_RESOLUTION_SECONDS or ACTIVITY_KEY not in session:
                session[ACTIVITY_KEY] = now
                # The store keeps the session past the idle end, so the next request learns why it was signed out.
                session.set_expiry(2 * idle)
            return
        logout(request)
        messages.warning(request, reason)


def keep_alive(request):
    """What "stay signed in" calls: a signed-in request (which records activity) with nothing to show."""
    return HttpResponse(status=204 if request.user.is_authenticated else 401)
