"""The applicant area (apply/) and the experts' score sheets (apply/reviews/)."""

from django.urls import path

from . import registration, views

app_name = "awards"

urlpatterns = [
    path("apply/", views.dashboard, name="dashboard"),
    path("apply/register/", registration.register, name="register"),
    path("apply/register/account/", registration.register_account, name="register_account"),
    path("apply/register/sms/", registration.send_code, name="send_code"),
    path("apply/filings/new/", views.filing_edit, name="filing_new"),
    path("apply/filings/<int:pk>/", views.filing_edit, name="filing_edit"),
    path("apply/projects/new/", views.project_edit, name="project_new"),
    path("apply/projects/<int:pk>/", views.project_edit, name="project_edit"),
    path("apply/programmes/<int:programme_pk>/apply/", views.application_edit, name="application_new"),
    path("apply/applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("apply/applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("apply/applications/<int:pk>/delete/", views.application_delete, name="application_delete"),
    path("apply/applications/<int:pk>/print/", views.application_print, name="application_print"),
    path("apply/reviews/", views.review_list, name="review_list"),
    path("apply/reviews/<int:pk>/", views.review_sheet, name="review_sheet"),
]
