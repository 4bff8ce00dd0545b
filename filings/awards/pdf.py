"""The printed application (申报书): the submitted version with the recommendation form, the review log, and the
summary material appended when it is a PDF, so the file is the whole dossier.

The submitted version never changes, so it is rendered once per submission and kept (``dossier_pdf``); only the
review log is rendered again as the review goes on, and the parts are joined with pypdf. A background task
stores the whole file whenever the application changes state (``tasks.store_pdf``), and the download serves
that file; one that finds no current file renders and stores it on the spot. (The seed system queued this for
5-20 minutes.)
"""

import io
import logging

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Application, Submission

logger = logging.getLogger(__name__)


def pdf_key(application):
    """What the stored PDF depends on: the submitted version and the application's review state (its revision)."""
    return f"{application.submission_id}.{application.revision}"


def application_context(application):
    application = Application.unscoped.select_related("programme", "submission").get(pk=application.pk)
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
    """The submitted version (cover to pledge): the same for the life of the submission."""
    return render_to_string("awards/application_pdf.html", application_context(application))


def render_log_html(application):
    """The review log and the current state: what changes as the review goes on."""
    return render_to_string("awards/application_log_pdf.html", application_context(application))


def render_pdf(html):
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def dossier_pdf(application):
    """The submitted version's PDF, rendered once per submission and kept with it (it never changes)."""
    submission = application.submission
    if submission.pdf:
        with submission.pdf.open("rb") as stored:
            return stored.read()
    data = render_pdf(render_html(application))
    submission.pdf.save(f"submission-{submission.pk}.pdf", ContentFile(data), save=False)
    Submission.objects.filter(pk=submission.pk).update(pdf=submission.pdf.name)
    return data


def _summary_bytes(application):
    if application.dossier.application["summary_kind"] != "pdf":
        return None
    summary = application.submission.files.filter(key="summary").first()
    if summary is None:
        return None
    with summary.file.open("rb") as source:
        return source.read()


def application_pdf(application):
    """The whole dossier: the submitted version, the review log, then the summary material when it is a PDF
    (left out, with a warning logged, if it cannot be read)."""
    from pypdf import PdfWriter
    from pypdf.errors import PdfReadError

    application = Application.unscoped.select_related("submission").get(pk=application.pk)
    writer = PdfWriter(clone_from=io.BytesIO(dossier_pdf(application)))
    writer.append(io.BytesIO(render_pdf(render_log_html(application))))
    summary = _summary_bytes(application)
    if summary is not None:
        try:
            writer.append(io.BytesIO(summary), outline_item="总结材料")
        except (PdfReadError, ValueError) as error:
            logger.warning("summary material of application %s not appended: %s", application.pk, error)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


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
