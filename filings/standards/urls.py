"""Public URLs: standards/ (public search), enterprise/ (accounts and own standards), api/standards/."""

from django.urls import include, path

from . import accounts_views, api, views

app_name = "standards"

urlpatterns = [
    path("standards/", views.public_search, name="public_search"),
    path("standards/<int:pk>/", views.public_detail, name="public_detail"),
    path("standards/<int:pk>/print/", views.public_print, name="public_print"),
    path("standards/<int:pk>/pdf/", views.public_pdf, name="public_pdf"),
    path("standards/<int:pk>/full-text/", views.public_full_text, name="public_full_text"),
    path("enterprise/register/", accounts_views.register, name="register"),
    path("enterprise/register/account/", accounts_views.register_account, name="register_account"),
    path("enterprise/forgot-password/", accounts_views.forgot_password, name="forgot_password"),
    path("enterprise/forgot-username/", accounts_views.forgot_username, name="forgot_username"),
    path("enterprise/account/", accounts_views.account, name="account"),
    path("enterprise/sms/", accounts_views.send_code, name="send_code"),
    path("enterprise/bureaus/", accounts_views.bureaus, name="bureaus"),
    path("enterprise/catalogue/", views.catalogue_search, name="catalogue_search"),
    path("enterprise/standards/", views.own_list, name="own_list"),
    path("enterprise/standards/new/<str:kind>/", views.new, name="new"),
    path("enterprise/standards/<int:pk>/", views.own_view, name="view"),
    path("enterprise/standards/<int:pk>/edit/", views.edit, name="edit"),
    path("enterprise/standards/<int:pk>/associate/", views.associate, name="associate"),
    path("enterprise/standards/<int:pk>/revise/", views.revise, name="revise"),
    path("enterprise/standards/<int:pk>/revision/", views.revise_edit, name="revise_edit"),
    path("enterprise/standards/<int:pk>/abolish/", views.abolish, name="abolish"),
    path("enterprise/standards/<int:pk>/delete/", views.delete, name="delete"),
    path("enterprise/standards/<int:pk>/continue/", views.continue_use, name="continue"),
    path("api/standards/docs/", api.api_docs, name="api_docs"),
    path("api/openapi.json", api.openapi_document, name="openapi"),
    # The django-ninja operations' own URL names (api_list, api_detail), without a namespace of their own.
    path("api/", include(api.api.urls[0])),
]
