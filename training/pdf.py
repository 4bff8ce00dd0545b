"""The certificate PDF (WeasyPrint, Chinese fonts as in the award dossiers) with a QR code (segno) of its public
verification address: number and holder's name in the query, so a scan shows the certificate's status."""

import base64
import io
from urllib.parse import urlencode

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse


def verification_url(request, certificate):
    query = urlencode({"number": certificate.number, "name": certificate.holder_name})
    return request.build_absolute_uri(f"{reverse('training:verify')}?{query}")


def qr_png(text):
    """The QR code as a PNG of one pixel per module (no quiet zone: the page draws it), scaled up when printed."""
    import segno

    output = io.BytesIO()
    segno.make(text, error="m", micro=False).save(output, kind="png", scale=1, border=0)
    return output.getvalue()


def certificate_pdf(request, certificate):
    from weasyprint import HTML

    url = verification_url(request, certificate)
    html = render_to_string(
        "training/certificate_pdf.html",
        {
            "certificate": certificate,
            "training": certificate.training,
            "enterprise": certificate.officer.enterprise,
            "verification_page": request.build_absolute_uri(reverse("training:verify")),
            "qr": "data:image/png;base64," + base64.b64encode(qr_png(url)).decode(),
        },
    )
    return HTML(string=html).write_pdf()


def certificate_response(request, certificate):
    response = HttpResponse(certificate_pdf(request, certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificate.number}.pdf"'
    return response
