"""Business-licence uploads: accepted by what the bytes are, never by the file name."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from registry.uploads import sniff

MAX_LICENCE_BYTES = 5 * 1024 * 1024


def validate_licence(file):
    """A licence must be a real PDF, JPEG or PNG of at most 5 MB."""
    if file.size > MAX_LICENCE_BYTES:
        raise ValidationError(
            _("营业执照文件不能超过5MB（当前%(size).1fMB） / The licence must not exceed 5 MB (got %(size).1f MB)"),
            code="licence_too_large",
            params={"size": file.size / 1024 / 1024},
        )
    if sniff(file) is None:
        raise ValidationError(
            _(
                "营业执照须为PDF、JPG或PNG文件，所传文件内容不是这些格式（改扩展名无效） / "
                "The licence must be a PDF, JPEG or PNG file; the uploaded content is none of these "
                "(renaming a file does not change its content)"
            ),
            code="licence_type",
        )
