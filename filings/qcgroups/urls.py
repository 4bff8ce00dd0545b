"""Public URLs of the QC-group filings: everything under /qc/."""

from django.urls import path

from . import views

urlpatterns = [
    path("qc/", views.home, name="qcgroups_home"),
    path("qc/register/", views.register, name="qcgroups_register"),
    path("qc/resubmit/", views.resubmit, name="qcgroups_resubmit"),
    path("qc/profile/", views.profile, name="qcgroups_profile"),
    path("qc/profile/password/", views.password_change, name="qcgroups_password_change"),
    path("qc/settings/", views.yearly_setting, name="qcgroups_yearly_setting"),
    path("qc/filings/", views.filing_list, name="qcgroups_filings"),
    path("qc/filings/add/", views.filing_add, name="qcgroups_filing_add"),
    path("qc/filings/<int:pk>/edit/", views.filing_edit, name="qcgroups_filing_edit"),
    path("qc/filings/<int:pk>/delete/", views.filing_delete, name="qcgroups_filing_delete"),
    path("qc/import/", views.import_view, name="qcgroups_import"),
    path("qc/import/template.xlsx", views.template_download, name="qcgroups_import_template"),
    path("qc/summary/", views.summary, name="qcgroups_summary"),
    path("qc/summary.xlsx", views.summary_xlsx, name="qcgroups_summary_xlsx"),
]
