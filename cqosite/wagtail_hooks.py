"""Admin-wide pieces of the project package: the idle time-out warning and its keep-alive URL."""

from django.conf import settings
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail import hooks

from .sessions import keep_alive


@hooks.register("register_admin_urls")
def session_urls():
    return [path("session/keep-alive/", keep_alive, name="session_keep_alive")]


@hooks.register("insert_global_admin_js")
def session_timeout_warning():
    idle = settings.ADMIN_SESSION_IDLE_SECONDS
    warning = min(settings.SESSION_WARNING_SECONDS, idle // 2)
    return format_html(
        '<script src="{}" data-idle-seconds="{}" data-warning-seconds="{}" data-keep-alive-url="{}" '
        'data-message="{}" data-stay="{}"></script>',
        static("js/session-timeout.js"),
        idle,
        warning,
        reverse("session_keep_alive"),
        _("You will be signed out in %(seconds)d seconds because of inactivity.") % {"seconds": warning},
        _("Stay signed in"),
    )
