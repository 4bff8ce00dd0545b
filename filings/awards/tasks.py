"""Background work: the printed application is rendered and stored when it changes state."""

from django_tasks import task


@task()
def store_pdf(application_pk):
    from . import pdf
    from .models import Application

    application = Application.unscoped.filter(pk=application_pk).first()
    if application is not None and application.printable and application.submission_id:
        pdf.stored_pdf(application)
