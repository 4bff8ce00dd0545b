"""Portal and public URLs of training: the enterprise's area, the exam by its attempt's token, the verification."""

from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("training/", views.home, name="home"),
    path("training/<int:pk>/enrol/", views.enrol, name="enrol"),
    path("training/enrolments/<int:pk>/exams/<int:exam_pk>/start/", views.start, name="start"),
    path("training/exam/<str:token>/ready/", views.ready, name="ready"),
    path("training/exam/<str:token>/", views.exam, name="exam"),
    path("training/exam/<str:token>/answer/", views.answer, name="answer"),
    path("training/exam/<str:token>/submit/", views.submit, name="submit"),
    path("training/certificates/<str:number>.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("training/verify/", views.verify, name="verify"),
]
