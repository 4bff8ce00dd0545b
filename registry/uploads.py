"""What an uploaded file really is, judged by its first bytes — never by the name the browser sent.

Every app that accepts scans or documents (officer registration forms, award evidence, QC licences,
standard full texts) asks :func:`sniff` and applies its own size limit and wording.
"""

#: kind → (first bytes, file extension, content type)
FILE_KINDS = {
    "pdf": (b"%PDF-", "pdf", "application/pdf"),
    "jpeg": (b"\xff\xd8\xff", "jpg", "image/jpeg"),
    "png": (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
}


def sniff(file):
    """``"pdf"``, ``"jpeg"`` or ``"png"`` by the file's first bytes, else ``None``; the file position is kept."""
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(16)
    file.seek(position)
    return next((kind for kind, (magic, _ext, _type) in FILE_KINDS.items() if head.startswith(magic)), None)


def extension_and_type(file):
    """(extension, content type) for serving ``file`` as a download, by its content."""
    kind = sniff(file)
    if kind is None:
        return "bin", "application/octet-stream"
    return FILE_KINDS[kind][1], FILE_KINDS[kind][2]
