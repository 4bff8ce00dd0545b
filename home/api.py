"""Wagtail's read-only API (live, public pages only) at /api/v2/."""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet as WagtailPagesAPIViewSet

from registry.params import query_int


class PagesAPIViewSet(WagtailPagesAPIViewSet):
    def listing_view(self, request):
        """Wagtail checks only that ``offset`` is not negative; a 23-digit one overflowed the database's integer."""
        query_int(request, "offset", minimum=0)
        return super().listing_view(request)


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
