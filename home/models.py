"""Portal pages."""

from django.utils.translation import gettext_lazy as _
from wagtail.models import Page


class HomePage(Page):
    """The portal's front page."""

    max_count = 1

    class Meta:
        verbose_name = _("home page")
