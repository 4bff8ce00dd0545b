"""The business licence's limits, through the project's one upload validator (registry.uploads)."""

from registry.uploads import MB, SCANS, UploadValidator

#: A licence is a scan or photograph: a real PDF, JPEG or PNG of at most 5 MB (named so migration 0001 finds it).
validate_licence = UploadValidator(SCANS, 5 * MB)
