"""Public officer URLs: the talent pool and enterprise self-filing."""

from django.urls import path

from . import TALENT_POOL, views

urlpatterns = [
    path(TALENT_POOL, views.talent_pool, name="talent_pool"),
    path(f"{TALENT_POOL}file/", views.file_officer, name="officer_filing"),
    path(f"{TALENT_POOL}file/form.pdf", views.registration_form, name="officer_registration_form"),
]
