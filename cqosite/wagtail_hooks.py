"""Admin-wide pieces of the project package.

- The idle time-out warning and its keep-alive URL (cqosite.sessions).
- The help menu without Wagtail's own links (its branding is in templates/wagtailadmin/).
- Page explorer and choosers: an administrator sees drafts only in the page subtrees they hold permissions on.
  Wagtail's page chooser lists the whole tree, and a draft's title (or a live page's unpublished new title) there
  tells a neighbouring region what is being written. Published pages stay visible everywhere: they are public.
"""

from django.conf import settings
from django.db.models import Q
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.models import GroupPagePermission, Page

from .sessions import keep_alive


@hooks.register("construct_help_menu")
def portal_help_only(request, menu_items):
    """No links to wagtail.org (release notes, editor guide): in English and often unreachable from China."""
    menu_items[:] = [item for item in menu_items if item.name == "keyboard-shortcuts-trigger"]


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


def visible_pages(pages, user):
    """``pages`` without drafts (or unpublished changes) outside the subtrees ``user`` holds permissions on."""
    if user.is_superuser:
        return pages
    roots = set(GroupPagePermission.objects.filter(group__user=user).values_list("page__path", flat=True))
    ancestors = {root[:end] for root in roots for end in range(Page.steplen, len(root), Page.steplen)}
    condition = Q(live=True, has_unpublished_changes=False) | Q(path__in=ancestors)
    for root in roots:
        condition |= Q(path__startswith=root)
    # By id: search results filter only on indexed fields, and "has_unpublished_changes" is not one.
    return pages.filter(id__in=Page.objects.filter(condition).values("id"))


@hooks.register("construct_explorer_page_queryset")
def explorer_pages(parent_page, pages, request):
    return visible_pages(pages, request.user)


@hooks.register("construct_page_chooser_queryset")
def chooser_pages(pages, request):
    return visible_pages(pages, request.user)
