"""Admin shortcut: "write news" opens the add form in the administrator's own organisation section."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import LinkMenuItemComponent, MenuItem

from registry import contributions

from .models import NewsSectionPage


class WriteNewsMenuItem(MenuItem):
    def is_shown(self, request):
        return self.section_for(request.user) is not None

    @staticmethod
    def section_for(user):
        if not getattr(user, "organisation_id", None):
            return None
        return NewsSectionPage.objects.filter(organisation_id=user.organisation_id).first()

    def render_component(self, request):
        section = self.section_for(request.user)
        url = reverse("wagtailadmin_pages:add", args=("news", "newspage", section.pk))
        return LinkMenuItemComponent(self.name, self.label, url, icon_name=self.icon_name, classname=self.classname)


contributions.add_menu_group("news", _("News"), "doc-full-inverse", 150)


@hooks.register(contributions.menu_hook("news"))
def register_write_news_menu_item():
    return WriteNewsMenuItem(_("Write news"), "#", icon_name="doc-full-inverse", order=1)
