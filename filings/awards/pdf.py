"""The printed application (申报书) with the recommendation form, rendered synchronously by WeasyPrint.

The seed system queued this for 5-20 minutes; with fonts referenced by family name and HarfBuzz subsetting
it takes well under a second, so it is generated on request and cached by the content it depends on.
"""

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Application

CACHE_SECONDS = 24 * 3600


def cache_key(application):
    parts = (application.pk, application.revision, application.filing.updated_at, application.project.updated_at)
    return "awards:pdf:" + ":".join(str(part.timestamp() if hasattr(part, "timestamp") else part) for part in parts)


def application_context(application):
    application = (
        Application.unscoped.select_related(
            "programme", "filing__economic_type", "filing__region__parent", "filing__industry", "project"
        )
        .prefetch_related("filing__economic_years", "project__intellectual_property", "project__honours", "log__actor")
        .get(pk=application.pk)
    )
    return {
        "application": application,
        "filing": application.filing,
        "project": application.project,
        "programme": application.programme,
        "printed_at": timezone.localtime(),
    }


def render_html(application):
    return render_to_string("awards/application_pdf.html", application_context(application))


def render_pdf(html):
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def application_pdf(application):
    """The PDF bytes for ``application`` (cached until the application, filing or project changes)."""
    key = cache_key(application)
    pdf = cache.get(key)
    if pdf is None:
        pdf = render_pdf(render_html(application))
        cache.set(key, pdf, CACHE_SECONDS)
    return pdf
