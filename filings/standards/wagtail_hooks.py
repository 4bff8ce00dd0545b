"""Admin registration: read-only disclosures for regulators, the catalogue for platform administrators."""

from django.utils.translation import gettext_lazy as _
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from registry import contributions

from .models import DisclosedStandard
from .viewsets import CatalogueStandardViewSet, DisclosedStandardViewSet, ReadOnlyPolicy

register_permission_policy(DisclosedStandard, ReadOnlyPolicy(DisclosedStandard))
register_snippet(DisclosedStandardViewSet)
register_snippet(CatalogueStandardViewSet)
contributions.add_menu_group("standards", _("Product standards"), "doc-full", 210)
