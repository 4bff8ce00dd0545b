"""Public (non-admin) URLs of the registry: portal accounts."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("accounts/login/", views.PortalLoginView.as_view(), name="portal_login"),
    path("accounts/logout/", views.PortalLogoutView.as_view(), name="portal_logout"),
    path("accounts/home/", views.portal_home, name="portal_home"),
    path("", include("registry.officers.urls")),
]
