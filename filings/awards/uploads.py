"""Award evidence: its limits through the project's one upload validator (registry.uploads), and its folders."""

import posixpath

from django.utils import timezone

from registry.uploads import MB, SCANS, UploadValidator

validate_evidence = UploadValidator(SCANS, 10 * MB)
validate_summary = UploadValidator(["pdf", "docx"], 10 * MB)


def ContentValidator(kinds, label):  # noqa: N802 (the class this was; migration 0001 still builds it by name)
    return UploadValidator(kinds, 10 * MB)


def upload_to(instance, filename):
    """A folder per record kind and month; ``filename`` is already random (registry.files.PrivateFieldFile)."""
    return f"awards/{instance._meta.model_name}/{timezone.now():%Y/%m}/{posixpath.basename(filename)}"
