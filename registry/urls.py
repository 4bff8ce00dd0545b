"""Public (non-admin) URLs of the registry: portal accounts and the private files' checking view."""

from django.urls import include, path

from . import files, views

urlpatterns = [
    path("accounts/login/", views.PortalLoginView.as_view(), name="portal_login"),
    path("accounts/logout/", views.PortalLogoutView.as_view(), name="portal_logout"),
    path("accounts/home/", views.portal_home, name="portal_home"),
    path("files/<str:model>/<str:field>/<int:pk>/", files.private_file, name="private_file"),
    path("", include("registry.officers.urls")),
]
