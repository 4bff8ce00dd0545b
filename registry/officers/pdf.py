"""The provincial CQO registration form (seed 003 annex 3) as a PDF, rendered by WeasyPrint with Noto CJK."""

from django.template.loader import render_to_string
from django.utils import timezone


def registration_form_pdf(officer):
    from weasyprint import HTML

    html = render_to_string(
        "registry/officer_registration_form.html",
        {"officer": officer, "enterprise": officer.enterprise, "today": timezone.localdate()},
    )
    return HTML(string=html).write_pdf()
