"""Uploaded evidence: checked by content (magic bytes) and size, never by the name the browser sent."""

import os
import uuid
import zipfile

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from registry.uploads import extension_and_type, sniff

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def sniff_document(file):
    """Like :func:`registry.uploads.sniff`, also telling a Word document (a zip holding word/document.xml)."""
    kind = sniff(file)
    if kind is not None:
        return kind
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        if file.read(4) != b"PK\x03\x04":
            return None
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            return "docx" if "word/document.xml" in archive.namelist() else None
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        file.seek(position)


def download_type(file):
    """(extension, content type) to serve an uploaded file by, judged by its content."""
    if sniff_document(file) == "docx":
        return "docx", DOCX_TYPE
    return extension_and_type(file)


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
        if sniff_document(file) not in self.kinds:
            raise ValidationError(
                "文件内容必须是 %(label)s / The file content must be %(label)s.",
                code="file_type",
                params={"label": self.label},
            )

    def __eq__(self, other):
        return isinstance(other, ContentValidator) and (self.kinds, self.label) == (other.kinds, other.label)


validate_evidence = ContentValidator(("pdf", "jpeg", "png"), "PDF/JPEG/PNG")
validate_summary = ContentValidator(("pdf", "docx"), "PDF/Word (.docx)")


def upload_to(instance, filename):
    """A random stored name (the sent name is untrusted); downloads are named from the sniffed content."""
    extension = os.path.splitext(filename)[1].lower()
    if extension not in {".pdf", ".jpg", ".jpeg", ".png", ".docx"}:
        extension = ""
    return f"awards/{instance._meta.model_name}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"
