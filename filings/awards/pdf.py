"""The printed application (申报书): the submitted version with the recommendation form, and the summary material
appended when it is a PDF, so the file is the whole dossier.

The seed system queued this for 5-20 minutes. Here a background task renders it whenever the application
changes state (``tasks.store_pdf``) and the download serves the stored file; a download that finds no current
file renders it on the spot (well under a second) and stores it.
"""

import io
import logging

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Application

logger = logging.getLogger(__name__)


def pdf_key(application):
    """What the stored PDF depends on: the submitted version and the application's review state (its revision)."""
    return f"{application.submission_id}.{application.revision}"


def application_context(application):
    application = (
        Application.unscoped.select_related("programme", "submission")
        .prefetch_related("log__actor")
        .get(pk=application.pk)
    )
    dossier = application.dossier
    return {
        "application": application,
        "dossier": dossier,
        "filing": dossier.filing,
        "project": dossier.project,
        "form": dossier.application,
        "programme": application.programme,
        "printed_at": timezone.localtime(),
    }


def render_html(application):
    return render_to_string("awards/application_pdf.html", application_context(application))


def render_pdf(html):
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def append_summary(pdf, application):
    """``pdf`` with the submitted summary material's pages appended (unchanged when it is not a readable PDF)."""
    from pypdf import PdfWriter
    from pypdf.errors import PdfReadError

    dossier = application.dossier
    if dossier.application["summary_kind"] != "pdf":
        return pdf
    summary = application.submission.files.filter(key="summary").first()
    if summary is None:
        return pdf
    try:
        writer = PdfWriter(clone_from=io.BytesIO(pdf))
        with summary.file.open("rb") as source:
            writer.append(io.BytesIO(source.read()), outline_item="总结材料")
    except (PdfReadError, ValueError) as error:
        logger.warning("summary material of application %s not appended: %s", application.pk, error)
        return pdf
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def application_pdf(application):
    """The PDF bytes of ``application``'s submitted version with its summary material appended."""
    return append_summary(render_pdf(render_html(application)), application)


def stored_pdf(application):
    """The stored PDF file when it is current, else render, store and return it."""
    key = pdf_key(application)
    if application.printed_key == key and application.printed_pdf:
        return application.printed_pdf
    return store(application)


def store(application):
    key = pdf_key(application)
    field = application.printed_pdf
    previous = field.name
    field.save(f"application-{application.pk}.pdf", ContentFile(application_pdf(application)), save=False)
    # update(), not save(): saving would change the revision the key depends on.
    Application.unscoped.filter(pk=application.pk).update(printed_pdf=field.name, printed_key=key)
    application.printed_key = key
    if previous:
        field.storage.delete(previous)
    return field
