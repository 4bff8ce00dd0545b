"""The admin dashboard shows page panels only to those who edit pages.

Wagtail's dashboard is page-centric: recently edited pages, pages locked by the user and a "search all pages" box.
An administrator who holds no page permission (a registry administrator whose unit has no news section, an
enterprise account) can use none of them, so they are left out; the panels registry apps add (review queue,
statistics, verifications) are untouched. Wagtail itself already hides the page count of the site summary from
them (``PagesSummaryItem.is_shown``); the search box is left out by ``templates/wagtailadmin/home.html``.
"""

from wagtail import hooks
from wagtail.admin.auth import user_has_any_page_permission

#: Wagtail's own dashboard panels about pages (``wagtail.admin.views.home``), by their ``name``.
PAGE_PANELS = {"recent_edits", "locked_pages"}


@hooks.register("construct_homepage_panels")
def page_panels_for_page_editors(request, panels):
    if not user_has_any_page_permission(request.user):
        panels[:] = [panel for panel in panels if getattr(panel, "name", None) not in PAGE_PANELS]
