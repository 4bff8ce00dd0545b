"""Uploaded evidence: checked by content (magic bytes) and size, never by the name the browser sent."""

import os
import uuid

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from registry.uploads import sniff

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


@deconstructible
class ContentValidator:
    """Accept files up to the size limit whose first bytes are one of ``kinds``."""

    def __init__(self, kinds, label):
        self.kinds, self.label = tuple(kinds), label

    def __call__(self, file):
        if file.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                "文件不能超过 %(mb)d MB / The file must not exceed %(mb)d MB.",
                code="file_too_large",
                params={"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
            )
        if sniff(file) not in self.kinds:
            raise ValidationError(
                "文件内容必须是 %(label)s / The file content must be %(label)s.",
                code="file_type",
                params={"label": self.label},
            )

    def __eq__(self, other):
        return isinstance(other, ContentValidator) and (self.kinds, self.label) == (other.kinds, other.label)


validate_evidence = ContentValidator(("pdf", "jpeg", "png"), "PDF/JPEG/PNG")
validate_pdf = ContentValidator(("pdf",), "PDF")


def upload_to(instance, filename):
    """A random stored name (the sent name is untrusted); downloads are named from the sniffed content."""
    extension = os.path.splitext(filename)[1].lower()
    if extension not in {".pdf", ".jpg", ".jpeg", ".png"}:
        extension = ""
    return f"awards/{instance._meta.model_name}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"
