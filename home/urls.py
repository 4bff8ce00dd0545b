"""Public URLs of the portal: site search and the pages API."""

from django.urls import path

from . import views
from .api import api_router

urlpatterns = [
    path("search/", views.search, name="search"),
    path("api/v2/", api_router.urls),
]
