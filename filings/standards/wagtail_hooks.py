"""Admin registration: read-only disclosures for regulators, the catalogue for platform administrators."""

from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from .models import DisclosedStandard
from .viewsets import CatalogueStandardViewSet, DisclosedStandardViewSet, ReadOnlyPolicy

register_permission_policy(DisclosedStandard, ReadOnlyPolicy(DisclosedStandard))
register_snippet(DisclosedStandardViewSet)
register_snippet(CatalogueStandardViewSet)
